"""What the CERT's agents see of a change-of-holder file in the back office
(the hooks of ProcedureDefinition, titres/procedures/backoffice.py): the
search values (new holder, plate), the person (the new holder), and the
SIV panel — the registry's vehicle and holders beside what the file says,
differences highlighted. The only code that reads this procedure's answers
for the back office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.core.normalisation import normalise_name
from titres.procedures.backoffice import (
    AgentPanel,
    ComparisonRow,
    Consultation,
    Person,
    ReviewFlag,
    SearchValues,
)

from ..audit import VehiculesEvent
from ..enums import BLOCKING_SITUATIONS, PlateSystem, VehicleRejectReason
from ..models import Situation
from ..plates import canonical, display_form
from . import state


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def names_of(value) -> list[str]:
    return [n for n in str(value or "").replace(",", " ").split() if n]


def _fmt_day(value) -> str:
    day = _day(value)
    return day.strftime("%d/%m/%Y") if day else ""


def search_values(demarche) -> SearchValues:
    holder = state.holder_answers(demarche)
    start = state.start_answers(demarche)
    named = state.named_holder(demarche)
    return SearchValues(
        last_name=holder.get("nom_naissance") or named.get("nom_naissance", ""),
        usage_name=holder.get("nom_usage", ""),
        first_names=names_of(holder.get("prenoms") or named.get("prenoms")),
        birth_date=_day(holder.get("date_naissance") or named.get("date_naissance")),
        sex=str(holder.get("sexe") or "")[:1].upper(),
        reference=str(start.get("immatriculation") or ""),
        postal_code=str(holder.get("code_postal") or ""),
    )


def person(demarche) -> Person:
    """The new holder the certificate will name."""
    holder = state.holder_answers(demarche)
    named = state.named_holder(demarche)
    start = state.start_answers(demarche)
    return Person(
        last_name=holder.get("nom_naissance") or named.get("nom_naissance", ""),
        usage_name=holder.get("nom_usage", ""),
        first_names=names_of(holder.get("prenoms") or named.get("prenoms")),
        birth_date=_day(holder.get("date_naissance") or named.get("date_naissance")),
        sex=str(holder.get("sexe") or "")[:1].upper(),
        details=[(str(_("Immatriculation")), str(start.get("immatriculation") or ""))]
        if start.get("immatriculation")
        else [],
    )


def same_name(a: str, b: str) -> bool:
    return normalise_name(a) == normalise_name(b)


@dataclass(frozen=True)
class Card:
    """A registration certificate as the filer holds it: the plate, its
    system, the numéro de formule (SIV) and the date (I)."""

    plate: str
    plate_system: str
    formule_number: str
    ci_date: date

    @classmethod
    def of(cls, vehicle) -> Card:
        return cls(vehicle.plate, vehicle.plate_system, vehicle.formule_number, vehicle.ci_date)

    @property
    def is_siv(self) -> bool:
        return self.plate_system == PlateSystem.SIV


def card_rows(vehicle, start: dict, card: Card | None = None) -> list[ComparisonRow]:
    """The card the filer typed (plate, formule number or CI date) beside
    the registry's — `card`, the certificate as it was when the file was
    filed, when the submission itself replaced it (an address change's or
    a duplicate's new certificate), else the vehicle's current one."""
    card = card or Card.of(vehicle)
    typed_plate = str(start.get("immatriculation") or "")
    rows = [
        ComparisonRow(
            label=str(_("Immatriculation")),
            declared=typed_plate,
            recorded=display_form(card.plate_system, card.plate),
            differs=bool(typed_plate) and canonical(typed_plate) != card.plate,
        )
    ]
    if start.get("numero_formule") or card.is_siv:
        declared_formule = str(start.get("numero_formule") or "").replace(" ", "").upper()
        rows.append(
            ComparisonRow(
                label=str(_("Numéro de formule")),
                declared=declared_formule,
                recorded=card.formule_number,
                differs=bool(declared_formule) and declared_formule != card.formule_number,
            )
        )
    if start.get("date_ci") or not card.is_siv:
        declared_ci = _day(start.get("date_ci"))
        rows.append(
            ComparisonRow(
                label=str(_("Date du CI")),
                declared=_fmt_day(declared_ci),
                recorded=card.ci_date.strftime("%d/%m/%Y"),
                differs=declared_ci is not None and declared_ci != card.ci_date,
            )
        )
    return rows


def situation_row(vehicle) -> ComparisonRow:
    """The registrations on the vehicle; a blocking one is highlighted."""
    return ComparisonRow(
        label=str(_("Situation administrative")),
        recorded=", ".join(str(s.get_kind_display()) for s in vehicle.active_situations())
        or str(_("Aucune inscription")),
        differs=bool(vehicle.blocking_situations()),
    )


def siv_panel(vehicle, rows: list[ComparisonRow]) -> AgentPanel:
    """The SIV block of a vehicle file: the registry's record (vehicle,
    holders, situations), then `rows`; journaled as a consultation of the
    SIV. Shared by the vehicle procedures."""
    title = str(_("Consultation SIV"))
    if vehicle is None:
        return AgentPanel(
            title=title, missing=str(_("Aucun véhicule du SIV n’est lié à ce dossier."))
        )
    return AgentPanel(
        title=title,
        template="vehicules/backoffice/_siv_record.html",
        context={"vehicle": vehicle},
        caption=str(_("Information de la demande et dossier SIV")),
        declared_label=str(_("Déclaré dans la demande")),
        recorded_label=str(_("Dossier SIV")),
        rows=rows,
        consultation=Consultation(
            event=VehiculesEvent.SIV_VIEWED,
            target=vehicle,
            data={"immatriculation": vehicle.plate},
        ),
    )


def agent_panel(demarche) -> AgentPanel:
    """The SIV record of the vehicle beside the file: plate, formule / CI
    date, the current holder beside the seller the file names, the buyer of
    the declaration of sale beside the new holder, the situation."""
    vehicle = state.vehicle_of(demarche)
    if vehicle is None:
        return siv_panel(None, [])
    start = state.start_answers(demarche)
    holder = state.holder_answers(demarche)
    declaration = state.declaration_of(demarche)
    titulaire = vehicle.titulaire
    new_last = holder.get("nom_naissance", "")
    new_first = holder.get("prenoms", "")
    rows = card_rows(vehicle, start)
    if declaration is not None:
        seller = declaration.seller_last_name or declaration.seller_name
        rows.append(
            ComparisonRow(
                label=str(_("Vendeur (déclaration de cession) / titulaire")),
                declared=declaration.seller_name,
                recorded=titulaire.display_name if titulaire else "",
                differs=titulaire is None
                or not (
                    same_name(seller, titulaire.last_name)
                    or same_name(declaration.seller_name, titulaire.display_name)
                ),
            )
        )
        rows.append(new_holder_row(demarche, declaration, new_last, new_first))
    else:
        rows.append(
            ComparisonRow(
                label=str(_("Titulaire actuel")),
                recorded=titulaire.display_name if titulaire else "",
                differs=titulaire is None,
            )
        )
    rows.append(situation_row(vehicle))
    return siv_panel(vehicle, rows)


def new_holder_row(demarche, declaration, new_last: str, new_first: str) -> ComparisonRow:
    """The new holder beside the buyer the seller declared: a company client
    by raison sociale and SIRET (the code was issued to a SIRET), a person
    by name."""
    label = str(_("Nouveau titulaire / acquéreur déclaré par le vendeur"))
    company = state.company_client(demarche.answers or {})
    if company:
        return ComparisonRow(
            label=label,
            declared=f"{company['raison_sociale']} (SIRET {company['siret']})",
            recorded=declaration.buyer_display,
            differs=declaration.buyer_siret != company["siret"],
        )
    buyer = f"{declaration.buyer_last_name.upper()} {declaration.buyer_first_names}".strip()
    return ComparisonRow(
        label=label,
        declared=f"{new_last.upper()} {new_first}".strip(),
        recorded=buyer or declaration.buyer_company_name,
        differs=bool(declaration.buyer_last_name)
        and not same_name(new_last, declaration.buyer_last_name),
    )


REVIEW_FLAG = ReviewFlag(
    label=gettext_lazy("Situation SIV à vérifier"),
    # The vehicle carries a blocking registration (gage, opposition, vol…)
    # now: the validation would be refused with the reason.
    expression=lambda: Exists(
        Situation.objects.filter(
            vehicle__changes__demarche=OuterRef("pk"),
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
        "reject_reasons": [
            (reason.value, reason.label)
            for reason in (
                VehicleRejectReason.DONNEES_SIV,
                VehicleRejectReason.SITUATION,
                VehicleRejectReason.MANDAT,
            )
        ],
    }
