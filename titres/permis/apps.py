from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermisConfig(AppConfig):
    name = "titres.permis"
    label = "permis"
    verbose_name = _("Permis de conduire")

    def ready(self):
        # The téléprocédure "Permis de conduire" (seed 002) and the hook that
        # gives back the stamp of an abandoned draft.
        from titres.procedures.workflow import status_changed

        from . import procedure

        procedure.register()
        status_changed.connect(procedure.on_abandoned, dispatch_uid="permis-stamp-release")
