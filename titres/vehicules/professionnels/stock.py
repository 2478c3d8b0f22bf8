"""The professional's stock: the déclaration d'achat (cerfa 13751) of a
used vehicle bought for resale, and its resale (the professional's
déclaration de cession to the final buyer, with the code de cession).

As in the SIV, the purchase records that the professional holds the
vehicle: the certificate is not reissued and the registry's holders stay
(the seller is still titulaire until the final buyer's change of holder);
the vehicle is marked « cédé ». The screen (views/pro_stock.py) and the
batch's « achat » lines both go through `declare_purchase`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event

from ..audit import VehiculesEvent
from ..enums import BLOCKING_SITUATIONS, CessionState, PersonKind, RegistryEventKind, SituationKind
from ..models import CessionDeclaration, Situation, Vehicle
from ..plates import canonical
from ..selectors import RegistryRefusal, holder_matching, situation_refusal
from ..services.cession import MAX_MILEAGE, Buyer, DeclaredCession, check_code, record_cession
from ..services.registry import add_entry
from .models import PurchaseProof, StockVehicle
from .purchase_scan import CERTIFICATE_RULE, CheckedScan, store_certificate_scan


@dataclass(frozen=True, kw_only=True)
class Establishment:
    """Where the professional keeps the vehicle (printed as the seller's
    address on the resale's certificate de cession)."""

    address: str
    postal_code: str
    commune: str


def stock_of(user):
    """The professional's vehicles bought and not resold (another
    professional's are not there: their pages answer 404)."""
    return (
        StockVehicle.objects.filter(owner=user, resale__isnull=True)
        .select_related("vehicle")
        .order_by("-purchased_at", "-id")
    )


def purchases_of(user):
    """Every purchase the professional declared, resold ones included
    (their accusés stay downloadable); another professional's: 404."""
    return StockVehicle.objects.filter(owner=user).select_related(
        "vehicle", "owner__habilitation", "resale", "seller_cession"
    )


def filtered_stock(user, *, plate: str = "", since=None, until=None):
    entries = stock_of(user)
    if plate:
        entries = entries.filter(vehicle__plate__startswith=canonical(plate))
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(
            purchased_at__gte=datetime.combine(since, datetime.min.time(), tzinfo=zone)
        )
    if until:
        entries = entries.filter(
            purchased_at__lt=datetime.combine(
                until + timezone.timedelta(days=1), datetime.min.time(), tzinfo=zone
            )
        )
    return entries


def _registration_number() -> str:
    while True:
        number = f"{secrets.randbelow(10**10):010d}"
        if not StockVehicle.objects.filter(registration_number=number).exists():
            return number


@transaction.atomic
def declare_purchase(
    *,
    vehicle: Vehicle,
    habilitation,
    seller_names: tuple[str, str],
    purchased_at: datetime,
    mileage: int,
    proof: str,
    establishment: Establishment,
    actor,
    code: str = "",
    certificate: CheckedScan | None = None,
    by_batch: bool = False,
    request=None,
) -> StockVehicle:
    """Record the professional's purchase. The caller has checked the card
    (numéro de formule or date du CI, `check_typed_card`) and the scan of
    the barred certificate (`check_certificate_scan`): required with that
    proof, except on a batch line (`by_batch`: a CSV carries no scan, the
    accusé says so). Refusals are RegistryRefusal with the message to show."""
    owner = habilitation.user
    if proof == PurchaseProof.CERTIFICAT and certificate is None and not by_batch:
        raise RegistryRefusal(
            _(
                "Déposez le scan du certificat d’immatriculation barré et signé par le vendeur "
                "(mention « vendu le … à … »)."
            ),
            code="certificate_missing",
            field=CERTIFICATE_RULE.code,
        )
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    last_name, first_names = seller_names
    holder = holder_matching(vehicle, last_name=last_name, first_names=first_names)
    if holder is None:
        raise RegistryRefusal(
            _(
                "Le vendeur indiqué n’apparaît pas comme titulaire ou cotitulaire de ce "
                "véhicule : indiquez le nom et les prénoms inscrits sur la carte grise."
            ),
            code="seller_not_holder",
        )
    for situation in vehicle.active_situations():
        if situation.kind in BLOCKING_SITUATIONS:
            raise situation_refusal(situation)
    # A terminated professional's entry stays in the registry but no longer
    # holds the vehicle: the company may sell it to another professional.
    current = StockVehicle.objects.filter(
        vehicle=vehicle, resale__isnull=True, owner__isnull=False
    ).first()
    if current is not None and current.owner_id == owner.pk:
        raise RegistryRefusal(
            _("Ce véhicule est déjà dans votre stock (achat déclaré le %(date)s).")
            % {"date": timezone.localtime(current.purchased_at).strftime("%d/%m/%Y")},
            code="already_in_stock",
        )
    if current is not None:
        raise RegistryRefusal(
            _(
                "Ce véhicule figure déjà dans le stock d’un autre professionnel de l’automobile : "
                "son achat ne peut pas être déclaré une seconde fois."
            ),
            code="in_other_stock",
        )
    if not (establishment.address and establishment.postal_code and establishment.commune):
        raise RegistryRefusal(
            _(
                "Indiquez l’adresse de votre établissement : elle figure sur le certificat de "
                "cession de la revente."
            ),
            code="establishment_address",
            field="adresse",
        )
    now = timezone.now()
    if purchased_at > now:
        raise RegistryRefusal(
            _("La date et l’heure de l’achat ne peuvent pas être dans le futur."),
            code="bought_in_future",
            field="date_achat",
        )
    if purchased_at.date() < vehicle.ci_date:
        raise RegistryRefusal(
            _("L’achat ne peut pas être antérieur à la date du certificat d’immatriculation."),
            code="bought_before_ci",
            field="date_achat",
        )
    if not 0 <= mileage <= MAX_MILEAGE:
        raise RegistryRefusal(
            _("Le kilométrage doit être compris entre 0 et 2 000 000 km."),
            code="mileage",
            field="kilometrage",
        )
    open_cession = CessionDeclaration.objects.filter(
        vehicle=vehicle, state=CessionState.ACTIVE
    ).first()
    seller_cession = None
    if proof == PurchaseProof.CODE:
        if not code:
            raise RegistryRefusal(
                _("Indiquez le code de cession remis par le vendeur."),
                code="code_missing",
                field="code_cession",
            )
        seller_cession = check_code(vehicle=vehicle, code=code, siret=habilitation.siret)
    elif open_cession is not None:
        if open_cession.buyer_siret and open_cession.buyer_siret == habilitation.siret:
            raise RegistryRefusal(
                _(
                    "Le vendeur a déjà déclaré la cession de ce véhicule à votre entreprise : "
                    "choisissez « Code de cession remis par le vendeur » et saisissez son code."
                ),
                code="use_seller_code",
                field="justificatif",
            )
        raise RegistryRefusal(
            _(
                "Une déclaration de cession à un autre acquéreur est enregistrée pour ce "
                "véhicule : le vendeur doit l’annuler avant de vous le vendre."
            ),
            code="sold_to_another",
        )
    entry = StockVehicle(
        owner=owner,
        habilitation_number=habilitation.number,
        vehicle=vehicle,
        seller_name=holder.display_name,
        purchased_at=purchased_at,
        mileage=mileage,
        proof=proof,
        seller_cession=seller_cession,
        address=establishment.address,
        postal_code=establishment.postal_code,
        commune=establishment.commune,
        registration_number=_registration_number(),
        by_batch=by_batch,
    )
    if certificate is not None:
        store_certificate_scan(entry, certificate)
    entry.save(force_insert=True)
    if seller_cession is not None:
        # The seller's code is spent: one conditional UPDATE, as for a buyer.
        updated = CessionDeclaration.objects.filter(
            pk=seller_cession.pk, state=CessionState.ACTIVE
        ).update(
            state=CessionState.UTILISEE,
            used_at=now,
            used_by_demarche=f"A{entry.registration_number}",
        )
        if not updated:
            raise RegistryRefusal(
                _("Ce code de cession vient d’être utilisé ou n’est plus valable."),
                code="code_used",
                field="code_cession",
            )
    Situation.objects.get_or_create(
        vehicle=vehicle,
        kind=SituationKind.CEDE,
        lifted_on=None,
        defaults={
            "registered_on": purchased_at.date(),
            "detail": f"{habilitation.organisation_name} (SIRET {habilitation.siret})"[:200],
        },
    )
    add_entry(
        vehicle,
        kind=RegistryEventKind.ACHAT_PROFESSIONNEL,
        label=_("Déclaration d’achat par %(company)s (habilitation %(number)s), vendeur %(seller)s")
        % {
            "company": habilitation.organisation_name,
            "number": habilitation.number,
            "seller": holder.display_name,
        },
        actor=actor,
        request=request,
        data={
            "achat": str(entry.pk),
            "numero_enregistrement": entry.registration_number,
            "date_achat": purchased_at.isoformat(),
            "kilometrage": mileage,
            "justificatif": proof,
            "habilitation": habilitation.number,
            "certificat_barre": (
                {
                    "pages": entry.certificate_scan_pages,
                    "sha256": entry.certificate_scan_sha256,
                }
                if entry.certificate_scan
                else None
            ),
            "par_lot": by_batch,
        },
    )
    return entry


@transaction.atomic
def add_certificate_scan(
    *, entry: StockVehicle, scan: CheckedScan, actor, request=None
) -> StockVehicle:
    """The barred certificate's scan of a purchase declared without it (a
    batch line, or the seller's code de cession on the screen), checked by
    the caller like the screen's (`check_certificate_scan`). A scan once
    deposited is the proof the accusé fingerprints: never replaced."""
    entry = StockVehicle.objects.select_for_update().get(pk=entry.pk)
    if entry.certificate_scan:
        raise RegistryRefusal(
            _(
                "Le scan du certificat barré de cet achat est déjà déposé : il ne peut pas être "
                "remplacé."
            ),
            code="scan_already_deposited",
            field=CERTIFICATE_RULE.code,
        )
    store_certificate_scan(entry, scan)
    entry.save(
        update_fields=[
            "certificate_scan",
            "certificate_scan_name",
            "certificate_scan_type",
            "certificate_scan_pages",
            "certificate_scan_sha256",
        ]
    )
    record_event(
        VehiculesEvent.PURCHASE_SCAN_ADDED,
        actor=actor,
        request=request,
        target=entry,
        data={
            "numero_enregistrement": entry.registration_number,
            "par_lot": entry.by_batch,
            "certificat_barre": {
                "pages": entry.certificate_scan_pages,
                "sha256": entry.certificate_scan_sha256,
            },
        },
    )
    return entry


@transaction.atomic
def declare_resale(
    *,
    entry: StockVehicle,
    habilitation,
    sold_at: datetime,
    mileage: int,
    buyer: Buyer,
    actor,
    request=None,
    mail: bool = True,
) -> DeclaredCession:
    """The professional sells a vehicle of their stock: a déclaration de
    cession whose seller is the professional's company; the code goes to
    the final buyer, whose change of holder uses it. « Mon stock » and the
    batch's client-less cession lines (`mail=False`: the batch hands its
    codes over itself) both come here."""
    entry = StockVehicle.objects.select_for_update().get(pk=entry.pk)
    if entry.resale_id is not None:
        raise RegistryRefusal(
            _("Ce véhicule n’est plus dans votre stock : sa revente est déjà déclarée."),
            code="already_resold",
        )
    vehicle = Vehicle.objects.select_for_update().get(pk=entry.vehicle_id)
    if sold_at < entry.purchased_at:
        raise RegistryRefusal(
            _("La revente ne peut pas être antérieure à l’achat (%(date)s).")
            % {"date": timezone.localtime(entry.purchased_at).strftime("%d/%m/%Y %H:%M")},
            code="resold_before_purchase",
            field="date_cession",
        )
    if mileage < entry.mileage:
        raise RegistryRefusal(
            _("Le kilométrage ne peut pas être inférieur à celui de l’achat (%(km)s km).")
            % {"km": f"{entry.mileage:,}".replace(",", "\u202f")},
            code="mileage_below_purchase",
            field="kilometrage",
        )
    if buyer.kind == PersonKind.MORALE and buyer.siret == habilitation.siret:
        raise RegistryRefusal(
            _("L’acquéreur ne peut pas être votre propre entreprise."),
            code="buyer_is_seller",
            field="siret",
        )
    declared = record_cession(
        vehicle=vehicle,
        seller=entry.owner,
        seller_name=habilitation.organisation_name,
        seller_last_name=habilitation.organisation_name,
        seller_first_names="",
        seller_address=" ".join(p for p in (entry.address, entry.postal_code, entry.commune) if p),
        sold_at=sold_at,
        mileage=mileage,
        buyer=buyer,
        actor=actor,
        request=request,
        mail=mail,
    )
    entry.resale = declared.declaration
    entry.save(update_fields=["resale"])
    return declared
