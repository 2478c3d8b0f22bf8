"""The back-office hooks of the address change and the duplicate
(ProcedureDefinition, titres/procedures/backoffice.py): the holder and the
plate for the search, the holder as the person, and the SIV panel — the
card typed and the holder beside the registry, the new address beside the
registered one. The only code that reads these procedures' answers for the
back office."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.procedures.backoffice import AgentPanel, ComparisonRow, Person, ReviewFlag, SearchValues

from ..changement.backoffice import (
    Card,
    card_rows,
    names_of,
    same_name,
    situation_row,
    siv_panel,
)
from ..enums import BLOCKING_SITUATIONS, DuplicateReason, PlateSystem, VehicleRejectReason
from ..models import CancelledCertificate, Situation
from ..plates import display_form, parse_plate
from . import state


def _address(demarche) -> dict:
    return (demarche.answers or {}).get(state.ADDRESS) or {}


def search_values(demarche) -> SearchValues:
    start = state.start_answers(demarche)
    last, first, born = state.holder_identity(demarche, start)
    return SearchValues(
        last_name=last,
        first_names=names_of(first),
        birth_date=born,
        reference=str(start.get("immatriculation") or ""),
        motif=str(start.get("motif") or ""),
        postal_code=str(_address(demarche).get("code_postal") or ""),
    )


def person(demarche) -> Person:
    start = state.start_answers(demarche)
    last, first, born = state.holder_identity(demarche, start)
    plate = str(start.get("immatriculation") or "")
    return Person(
        last_name=last,
        first_names=names_of(first),
        birth_date=born,
        details=[(str(_("Immatriculation")), plate)] if plate else [],
    )


def agent_panel(demarche) -> AgentPanel:
    vehicle = state.vehicle_of(demarche)
    if vehicle is None:
        return siv_panel(None, [])
    start = state.start_answers(demarche)
    last, first, _born = state.holder_identity(demarche, start)
    titulaire = vehicle.titulaire
    operation = state.operation_of(demarche)
    before = card_before(operation)
    rows = card_rows(vehicle, start, before)
    if before is not None and Card.of(vehicle) != before:
        rows.append(current_certificate_row(vehicle))
    rows.append(holder_row(demarche, titulaire, last, first))
    address = _address(demarche)
    if address:
        declared = " ".join(
            str(address.get(k) or "") for k in ("adresse", "complement", "code_postal", "commune")
        ).strip()
        recorded = (
            " ".join(p for p in (titulaire.address, titulaire.postal_code, titulaire.commune) if p)
            if titulaire
            else ""
        )
        # The new address differs from the registered one by nature: shown, not flagged.
        rows.append(ComparisonRow(label=str(_("Adresse")), declared=declared, recorded=recorded))
    if start.get("motif"):
        rows.extend(duplicate_rows(demarche, vehicle, start))
    rows.append(situation_row(vehicle))
    return siv_panel(vehicle, rows)


def holder_row(demarche, titulaire, last: str, first: str) -> ComparisonRow:
    """The holder the file names beside the registry's titulaire: a company
    client by its raison sociale and SIRET (the SIRET must be the
    registry's), a person by name."""
    company = state.company_client(demarche)
    recorded = titulaire.display_name if titulaire else ""
    if company:
        if titulaire is not None and titulaire.siret:
            recorded = f"{recorded} (SIRET {titulaire.siret})"
        return ComparisonRow(
            label=str(_("Titulaire")),
            declared=f"{company['raison_sociale']} (SIRET {company['siret']})",
            recorded=recorded,
            differs=titulaire is None or titulaire.siret != company["siret"],
        )
    return ComparisonRow(
        label=str(_("Titulaire")),
        declared=f"{last.upper()} {first}".strip(),
        recorded=recorded,
        differs=titulaire is None
        or not (same_name(last, titulaire.last_name) or same_name(last, titulaire.usage_name)),
    )


def card_before(operation) -> Card | None:
    """The certificate the filer held when filing (written at submission,
    `CertificateOperation.old_*`): the card they typed is compared with it,
    not with the new certificate the submission made. None before
    submission (and for files submitted before it was kept)."""
    if operation is None or operation.registered_at is None or operation.old_ci_date is None:
        return None
    system = parse_plate(operation.old_plate, allow_special=True).system
    return Card(operation.old_plate, system, operation.old_formule, operation.old_ci_date)


def current_certificate_row(vehicle) -> ComparisonRow:
    """The certificate the registry holds now, when it is no longer the
    one the filer held (the submission made a new one): shown, not flagged."""
    return ComparisonRow(
        label=str(_("Certificat en cours au SIV")),
        recorded=_("%(number)s, date du CI %(day)s")
        % {
            "number": vehicle.formule_number or vehicle.plate_display,
            "day": vehicle.ci_date.strftime("%d/%m/%Y"),
        },
    )


def duplicate_rows(demarche, vehicle, start: dict) -> list[ComparisonRow]:
    """The duplicate's motif (and, after a theft, the police report
    number) as the filer declared it beside the certificate the registry
    cancelled at submission (CancelledCertificate of this démarche): the
    agent checks that what was cancelled is what was declared."""
    motif = str(start.get("motif") or "")
    cancelled = (
        CancelledCertificate.objects.filter(vehicle=vehicle, demarche_number=demarche.number)
        .order_by("-id")
        .first()
    )
    labels = dict(DuplicateReason.choices)
    rows = [
        ComparisonRow(
            label=str(_("Motif du duplicata")),
            declared=str(labels.get(motif, motif)),
            recorded=str(cancelled.get_reason_display()) if cancelled else "",
            differs=cancelled is not None and cancelled.reason != motif,
        )
    ]
    declared_report = str(start.get("numero_plainte") or "")
    recorded_report = cancelled.police_report_number if cancelled else ""
    if motif == DuplicateReason.VOL or declared_report or recorded_report:
        rows.append(
            ComparisonRow(
                label=str(_("Numéro du récépissé de dépôt de plainte")),
                declared=declared_report,
                recorded=recorded_report,
                # A theft without the number is refused at filing; shown
                # flagged if it ever reaches the agent.
                differs=not declared_report
                or (cancelled is not None and recorded_report != declared_report),
            )
        )
    if cancelled is not None:
        rows.append(
            ComparisonRow(
                label=str(_("Certificat annulé")),
                recorded=_("%(number)s, annulé le %(day)s")
                % {
                    # An SIV certificate has a formule number, an FNI one only its plate.
                    "number": cancelled.formule_number
                    or display_form(PlateSystem.FNI, cancelled.plate),
                    "day": cancelled.cancelled_on.strftime("%d/%m/%Y"),
                },
            )
        )
    return rows


REVIEW_FLAG = ReviewFlag(
    label=gettext_lazy("Situation SIV à vérifier"),
    expression=lambda: Exists(
        Situation.objects.filter(
            vehicle__certificate_operations__demarche=OuterRef("pk"),
            lifted_on__isnull=True,
            kind__in=list(BLOCKING_SITUATIONS),
        )
    ),
)


def hooks() -> dict:
    return {
        "search_values": search_values,
        "person": person,
        "agent_panel": agent_panel,
        "review_flag": REVIEW_FLAG,
        "motifs": list(DuplicateReason.choices),
        "reject_reasons": [
            (reason.value, reason.label)
            for reason in (
                VehicleRejectReason.DONNEES_SIV,
                VehicleRejectReason.SITUATION,
                VehicleRejectReason.MANDAT,
            )
        ],
    }
