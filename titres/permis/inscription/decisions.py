"""What the back office's decisions do to an inscription, heard from the
engine's `status_changed` signal inside the transition's transaction (the
NEPH and the status change commit together, or not at all)."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from titres.procedures.workflow import TransitionRefused, status_changed

from .procedure import CODE
from .services import attribute_neph

NO_PRODUCTION = _(
    "Une inscription ne donne pas lieu à la fabrication d’un titre : le titre est demandé "
    "après la réussite à l’examen (demande de fabrication du titre)."
)


@receiver(status_changed, dispatch_uid="permis_inscription_decisions")
def _on_status_changed(sender, demarche, change, event, **kwargs):
    if demarche.procedure_code != CODE:
        return
    if event == "valider":
        attribute_neph(demarche=demarche, actor=change.actor)
    elif event == "transmettre_production":
        raise TransitionRefused(NO_PRODUCTION, code="no_production")
