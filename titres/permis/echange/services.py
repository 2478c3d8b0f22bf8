"""What the prefecture's validation of an exchange writes in the SNPC: the
file created (or the person's French file completed) with the French
categories, each obtained on its foreign date, and the foreign licence
recorded as surrendered ("remis à l'autorité"). Called in the transaction
of the agent's validation (decisions.py)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from titres.core.journal import record_event

from .. import probation
from ..audit import PermisEvent
from ..enums import HEAVY_CATEGORIES, LicenceState
from ..models import LicenceCategory, LicenceRecord, LicenceRequest, add_years
from ..procedure import resolve_authority
from .countries import table
from .forms import held_categories, probation_start
from .models import ForeignLicence, ForeignLicenceStatus

NEPH_ATTEMPTS = 5
MEDICAL_YEARS = 5


def _new_record(demarche, *, on) -> LicenceRecord:
    from ..inscription.services import next_neph, record_fields

    fields = {
        **record_fields(demarche.answers or {}),
        "state": LicenceState.VALIDE,
        "state_since": on,
        "points_balance": 12,
    }
    code = ((demarche.answers or {}).get("adresse") or {}).get("prefecture") or ""
    if not code:
        departements = resolve_authority(demarche).departements or []
        code = departements[0] if departements else "75"
    for attempt in range(NEPH_ATTEMPTS):
        try:
            with transaction.atomic():
                return LicenceRecord.objects.create(
                    neph=next_neph(year=on.year, departement=code.upper()), **fields
                )
        except IntegrityError:
            # Another validation took this number meanwhile: the next one.
            if attempt == NEPH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def exchange_licence(*, demarche, actor, request=None) -> LicenceRecord:
    """Idempotent: a second call returns the file already written."""
    licence_request = LicenceRequest.objects.select_for_update().get(demarche=demarche)
    done = ForeignLicence.objects.filter(demarche=demarche).select_related("record").first()
    if done is not None:
        return done.record
    on = timezone.localdate()
    answers = dict(demarche.answers or {})
    step = answers.get("permis_etranger") or {}
    obtained = held_categories(answers)
    created = licence_request.record_id is None
    if created:
        record = _new_record(demarche, on=on)
        start = probation_start(obtained, on)
        if start is not None:
            record.probation_start = start
            record.points_balance = record.points_ceiling(on)
            record.save(update_fields=["probation_start", "points_balance", "updated_at"])
            # The ceiling given includes the anniversaries already past.
            probation.settle_elapsed(record, on)
    else:
        record = LicenceRecord.objects.select_for_update().get(pk=licence_request.record_id)
    held = set(record.categories.values_list("category", flat=True))
    added = []
    for code, day in obtained.items():
        if code in held:
            continue
        LicenceCategory.objects.create(
            record=record,
            category=code,
            obtained_on=day,
            # A heavy category's five years run from the medical opinion
            # given with the exchange, not from the foreign exam.
            valid_until=add_years(on, MEDICAL_YEARS) if code in HEAVY_CATEGORIES else None,
        )
        added.append(code)
    country = table().countries.get(step.get("pays") or "")
    foreign = ForeignLicence.objects.create(
        record=record,
        demarche=demarche,
        country_code=step.get("pays", ""),
        country_name=country.name if country else step.get("pays", ""),
        number=step.get("numero", ""),
        issued_on=step.get("date_delivrance"),
        categories=[{"categorie": c, "date": d.isoformat()} for c, d in obtained.items()],
        status=ForeignLicenceStatus.REMIS,
        surrendered_on=on,
    )
    if licence_request.record_id != record.pk:
        licence_request.record = record
        licence_request.save(update_fields=["record"])
    # The back office finds the file by number for the card's production
    # (permis.backoffice.declared_neph reads "etat_civil.neph" first).
    etat_civil = dict(answers.get("etat_civil") or {})
    if etat_civil.get("neph") != record.neph:
        answers["_neph_declare"] = etat_civil.get("neph", "")
        etat_civil["neph"] = record.neph
        answers["etat_civil"] = etat_civil
    answers["neph"] = record.neph
    from titres.procedures.models import Demarche

    Demarche.objects.filter(pk=demarche.pk).update(answers=answers)
    demarche.answers = answers
    record_event(
        PermisEvent.FOREIGN_LICENCE_EXCHANGED,
        actor=actor,
        request=request,
        target=record,
        data={
            "neph": record.neph,
            "demarche": demarche.number,
            "pays": foreign.country_code,
            "categories": added,
            "dossier_cree": created,
            "permis_etranger": "remis",
        },
    )
    return record
