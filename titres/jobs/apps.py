from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "titres.jobs"
    label = "jobs"
    verbose_name = _("Tâches de fond")
