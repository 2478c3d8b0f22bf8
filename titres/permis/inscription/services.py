"""What the prefecture's validation of an inscription writes: the NEPH
attributed and the SNPC file created "en formation"; the candidate and
the driving school are told by e-mail after commit."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from titres.core.journal import record_event
from titres.core.notifications import notify_email
from titres.procedures.notifications import demarche_url

from ..audit import PermisEvent
from ..enums import LicenceState
from ..identifiers import format_neph, make_neph
from ..models import LicenceRecord, LicenceRequest
from . import rules

NEPH_ATTEMPTS = 5


def _departement(demarche) -> str:
    """The département that opens the file: the prefecture of the request."""
    code = ((demarche.answers or {}).get("adresse") or {}).get("prefecture") or ""
    if not code and demarche.authority and demarche.authority.departements:
        code = demarche.authority.departements[0]
    return (code or "75").upper()


def next_neph(*, year: int, departement: str) -> str:
    """The next free NEPH of (year, département): one more than the highest
    sequence already used there."""
    probe = make_neph(year=year, departement=departement, sequence=0)
    prefix = probe[:4]
    last = (
        LicenceRecord.objects.filter(neph__startswith=prefix)
        .order_by("-neph")
        .values_list("neph", flat=True)
        .first()
    )
    sequence = int(last[4:11]) + 1 if last else 1
    return make_neph(year=year, departement=departement, sequence=sequence)


def record_fields(answers: dict) -> dict:
    """The SNPC file's civil status from a request's "etat_civil" answers,
    "en formation" (the state of a file opened by an inscription)."""
    ec = answers.get("etat_civil") or {}
    return {
        "birth_name": ec.get("nom_naissance", ""),
        "usage_name": ec.get("nom_usage", ""),
        "first_names": ", ".join(ec.get("prenoms") or []),
        "sex": ec.get("sexe", ""),
        "birth_date": ec.get("date_naissance"),
        "birth_commune": ec.get("commune_naissance", ""),
        "birth_departement": ec.get("departement_naissance", ""),
        "birth_country": ec.get("pays_naissance", ""),
        "state": LicenceState.EN_FORMATION,
        "state_since": timezone.localdate(),
        "points_balance": 0,
    }


@transaction.atomic
def attribute_neph(*, demarche, actor, request=None) -> LicenceRecord:
    """Create the candidate's SNPC file "en formation" with a new NEPH
    (idempotent: a second call returns the file already made). Called in
    the transaction of the agent's validation."""
    licence_request = LicenceRequest.objects.select_for_update().get(demarche=demarche)
    if licence_request.neph_attributed_at and licence_request.record_id:
        return licence_request.record
    fields = record_fields(demarche.answers or {})
    year = timezone.localdate().year
    departement = _departement(demarche)
    for attempt in range(NEPH_ATTEMPTS):
        neph = next_neph(year=year, departement=departement)
        try:
            with transaction.atomic():
                record = LicenceRecord.objects.create(neph=neph, **fields)
            break
        except IntegrityError:
            # Another validation took this number meanwhile: the next one.
            if attempt == NEPH_ATTEMPTS - 1:
                raise
    licence_request.record = record
    licence_request.neph_attributed_at = timezone.now()
    licence_request.save(update_fields=["record", "neph_attributed_at"])
    # The NEPH joins the answers so the back office's SNPC view and search
    # find the file by number (permis.backoffice.declared_neph reads "neph").
    from titres.procedures.models import Demarche

    answers = {**(demarche.answers or {}), "neph": neph}
    Demarche.objects.filter(pk=demarche.pk).update(answers=answers)
    demarche.answers = answers
    record_event(
        PermisEvent.NEPH_ATTRIBUTED,
        actor=actor,
        request=request,
        target=record,
        data={
            "neph": neph,
            "demarche": demarche.number,
            "categories": licence_request.categories,
            "ecole": demarche.owner_id if rules.filed_by_school(demarche) else None,
        },
    )
    _notify(demarche, record)
    return record


def _notify(demarche, record) -> None:
    context = {
        "number": demarche.display_number,
        "neph": format_neph(record.neph),
        "candidate": f"{' '.join((demarche.answers.get('etat_civil') or {}).get('prenoms') or [])} "
        f"{record.birth_name}".strip(),
        "url": demarche_url(demarche),
    }
    candidate_email = ((demarche.answers or {}).get("adresse") or {}).get("email") or ""
    if rules.filed_by_school(demarche):
        if demarche.owner.email:
            notify_email(
                template="permis/emails/neph_ecole",
                to=demarche.owner.email,
                context=context,
            )
        if candidate_email and candidate_email.lower() != (demarche.owner.email or "").lower():
            notify_email(
                template="permis/emails/neph_candidat", to=candidate_email, context=context
            )
    else:
        to = candidate_email or demarche.owner.email
        if to:
            notify_email(template="permis/emails/neph_candidat", to=to, context=context)
