"""System checks of the procedure engine (run by runserver, migrate, check)."""

from django.conf import settings
from django.core.checks import Error, register

from . import conf


@register()
def antivirus_check(app_configs, **kwargs):
    """Production must scan uploads: no CLAMAV_URL with DEBUG off is an error
    unless PROCEDURES_ALLOW_NO_ANTIVIRUS is set (isolated test bench)."""
    refusal = conf.no_antivirus_refusal(debug=bool(settings.DEBUG))
    if refusal:
        return [
            Error(
                refusal,
                hint="CLAMAV_URL=tcp://clamav:3310",
                id="procedures.E001",
            )
        ]
    return []
