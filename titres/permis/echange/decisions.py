"""The prefecture's validation of an exchange writes the SNPC file, heard
from the engine's `status_changed` signal inside the transition's
transaction (the file and the status change commit together, or not at all)."""

from __future__ import annotations

from django.dispatch import receiver

from titres.procedures.workflow import status_changed

from .procedure import CODE
from .services import exchange_licence


@receiver(status_changed, dispatch_uid="permis_echange_decisions")
def _on_status_changed(sender, demarche, change, event, **kwargs):
    if demarche.procedure_code == CODE and event == "valider":
        exchange_licence(demarche=demarche, actor=change.actor)
