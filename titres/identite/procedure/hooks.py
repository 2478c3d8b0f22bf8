"""Submission and abandonment of a pré-demande: stamps consumed or given
back, the register's numbers created or withdrawn."""

from __future__ import annotations

import logging

from ..enums import ApplicationStatus
from . import rules

logger = logging.getLogger(__name__)


def _stamp_fields(demarche) -> dict[str, str]:
    stored = (demarche.answers or {}).get("paiement") or {}
    return {k: v for k, v in stored.items() if k.startswith("timbre_") and v}


def release_stamps(demarche, *, keep_due: bool, actor=None, request=None) -> None:
    """Give back the stamps reserved by the draft (all, or those no longer
    due when `keep_due`), and forget their numbers."""
    from titres.paiements.services import StampError, release_stamp
    from titres.procedures.models import Demarche

    due = {f"timbre_{t}" for t, _p, _c in rules.stamps_due(demarche.answers or {})}
    stored = _stamp_fields(demarche)
    dropped = [name for name in stored if not (keep_due and name in due)]
    for name in dropped:
        try:
            release_stamp(
                number=stored[name],
                holder=rules.stamp_holder(demarche, name),
                actor=actor,
                request=request,
            )
        except StampError as error:
            logger.warning("timbre %s non libéré (%s) : %s", stored[name], demarche.number, error)
    if dropped:
        paiement = {
            k: v
            for k, v in ((demarche.answers or {}).get("paiement") or {}).items()
            if k not in dropped
        }
        demarche.answers = {**demarche.answers, "paiement": paiement}
        Demarche.objects.filter(pk=demarche.pk).update(answers=demarche.answers)


def on_submitted(demarche, *, actor, request=None) -> None:
    """Consume the stamps, then create one register number per title."""
    from titres.paiements.services import StampError, consume_stamp
    from titres.procedures.workflow import TransitionRefused

    from ..services.predemandes import create_predemande

    answers = demarche.answers or {}
    stored = _stamp_fields(demarche)
    for title, purpose, _cents in rules.stamps_due(answers):
        name = f"timbre_{title}"
        try:
            consume_stamp(
                number=stored.get(name, ""),
                holder=rules.stamp_holder(demarche, name),
                purpose=purpose,
                actor=actor,
                request=request,
            )
        except StampError as error:
            raise TransitionRefused(
                error.messages[0], code="stamp", errors=[("paiement", error.messages[0])]
            )
    ec = answers.get("etat_civil") or {}
    for title in rules.titles(answers):
        create_predemande(
            title=title,
            motif=rules.motif(answers),
            last_name=ec.get("nom_naissance", ""),
            first_names=" ".join(ec.get("prenoms") or []),
            birth_date=rules.birth_date(answers),
            owner=demarche.owner,
            demarche=demarche,
            actor=actor,
            request=request,
        )


def on_abandoned(demarche, *, actor) -> None:
    """A draft gives its stamps back; a submitted pré-demande abandoned
    before collection withdraws its numbers (and their appointments)."""
    if demarche.submitted_at is None:
        release_stamps(demarche, keep_due=False, actor=actor)
        return
    from ..services.predemandes import withdraw_predemandes

    withdraw_predemandes(
        predemandes=demarche.predemandes.filter(status=ApplicationStatus.VALIDATED), actor=actor
    )
