from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstructionConfig(AppConfig):
    name = "titres.instruction"
    label = "instruction"
    verbose_name = _("Instruction")
