from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstructionConfig(AppConfig):
    name = "titres.instruction"
    label = "instruction"
    verbose_name = _("Instruction")

    def ready(self):
        from titres.procedures.access import register_access_policy

        from . import signals  # noqa: F401
        from .access import POLICY

        register_access_policy(POLICY)
