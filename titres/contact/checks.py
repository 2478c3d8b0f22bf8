"""System check: the working-day deadlines need the `holidays` library."""

from django.core import checks

from . import workdays


@checks.register()
def holidays_library(app_configs, **kwargs):
    if workdays.library_available():
        return []
    return [
        checks.Warning(
            "The 'holidays' library is not installed: the 15-working-day answer "
            "deadlines of contact tickets ignore French public holidays.",
            hint="Install the requirements (requirements/base.txt).",
            id="contact.W001",
        )
    ]
