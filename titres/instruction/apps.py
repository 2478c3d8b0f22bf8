from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstructionConfig(AppConfig):
    name = "titres.instruction"
    label = "instruction"
    verbose_name = _("Instruction")

    def ready(self):
        from titres.procedures.access import register_access_policy
        from titres.procedures.registry import register_file_link

        from . import attestation, links, signals  # noqa: F401
        from .access import POLICY

        register_access_policy(POLICY)
        # The attestation provisoire on the citizen's file page.
        register_file_link(attestation.file_links)
