"""The seller's declaration of sale (déclaration de cession, cerfa 15776)
and its code de cession.

The code is 8 random characters of `titres.core.numbering`'s alphabet plus
an ISO 7064 MOD 37-2 check character (a typo is caught before any lookup).
Only a keyed digest is stored (HMAC with the project's secret), so the
table does not let anyone transfer a vehicle. A code is bound to one
vehicle and one sale (buyer identity), valid 15 days, used once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from titres.core import numbering
from titres.core.notifications import notify_email, site_url
from titres.vehicules.audit import VehiculesEvent

from ..enums import (
    CESSION_BLOCKING_SITUATIONS,
    CessionState,
    PersonKind,
    RegistryEventKind,
    SituationKind,
)
from ..models import CESSION_CODE_VALIDITY, CessionDeclaration, Situation, Vehicle
from ..selectors import RegistryRefusal, holder_matching, person_matches, situation_refusal
from .registry import add_entry

CODE_LENGTH = 8  # + 1 check character
MAX_MILEAGE = 2_000_000


def code_digest(code: str) -> str:
    return salted_hmac(
        "titres.vehicules.code_cession", numbering.normalize(code), algorithm="sha256"
    ).hexdigest()


def format_code(code: str) -> str:
    return numbering.format_number(code)


@dataclass(frozen=True, kw_only=True)
class Buyer:
    kind: str = PersonKind.PHYSIQUE
    last_name: str = ""
    first_names: str = ""
    birth_date: date | None = None
    company_name: str = ""
    siret: str = ""
    address: str = ""
    postal_code: str = ""
    commune: str = ""
    email: str = ""


@dataclass(frozen=True)
class DeclaredCession:
    declaration: CessionDeclaration
    code: str  # plain code, to show once; never stored

    @property
    def code_display(self) -> str:
        return format_code(self.code)


def seller_identity(user) -> tuple[str, str]:
    """(last name, first names) of the seller: FranceConnect's certified
    identity when linked, else the account's."""
    from titres.franceconnect.selectors import franceconnect_identity_for

    identity = franceconnect_identity_for(user)
    if identity is not None:
        return identity.family_name, identity.given_name
    return user.last_name, user.first_name


@transaction.atomic
def declare_cession(
    *,
    vehicle: Vehicle,
    seller,
    sold_at: datetime,
    mileage: int,
    buyer: Buyer,
    actor,
    request=None,
    seller_names: tuple[str, str] | None = None,
    mail: bool = True,
) -> DeclaredCession:
    """Register the sale and give the code de cession. The caller has
    checked the card (selectors.check_card).

    `seller_names` (last name, first names): a habilitated professional
    declaring for a client under mandate — the client, not the account,
    must be the holder in the registry; `seller` stays the professional's
    account (who declared, who sees the certificate). `mail=False`: the
    batch hands its codes over in its own way, not one e-mail per line."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    last_name, first_names = seller_names or seller_identity(seller)
    holder = holder_matching(
        vehicle, last_name=last_name, first_names=first_names, siret=getattr(seller, "siret", "")
    )
    if holder is None and seller_names:
        raise RegistryRefusal(
            _(
                "Votre client n’apparaît pas comme titulaire ou cotitulaire de ce véhicule : "
                "indiquez le nom et les prénoms inscrits sur la carte grise (le mandant doit en "
                "être le titulaire)."
            ),
            code="client_not_holder",
        )
    if holder is None:
        raise RegistryRefusal(
            _(
                "Vous n’apparaissez pas comme titulaire ou cotitulaire de ce véhicule : seul le "
                "titulaire inscrit sur la carte grise peut déclarer sa cession."
            ),
            code="not_holder",
        )
    from ..professionnels.models import StockVehicle

    if StockVehicle.objects.filter(vehicle=vehicle, resale__isnull=True).exists():
        raise RegistryRefusal(
            _(
                "Ce véhicule a été acheté par un professionnel de l’automobile (déclaration "
                "d’achat enregistrée) : sa cession ne peut plus être déclarée au nom du titulaire."
            ),
            code="in_stock",
        )
    return record_cession(
        vehicle=vehicle,
        seller=seller,
        seller_name=holder.display_name,
        seller_last_name=holder.company_name
        if holder.is_company
        else (holder.usage_name or holder.last_name),
        seller_first_names="" if holder.is_company else holder.first_names,
        seller_address=" ".join(
            p for p in (holder.address, holder.postal_code, holder.commune) if p
        ),
        sold_at=sold_at,
        mileage=mileage,
        buyer=buyer,
        actor=actor,
        request=request,
        mail=mail,
    )


def record_cession(
    *,
    vehicle: Vehicle,
    seller,
    seller_name: str,
    seller_last_name: str,
    seller_first_names: str,
    seller_address: str,
    sold_at: datetime,
    mileage: int,
    buyer: Buyer,
    actor,
    request=None,
    mail: bool = True,
) -> DeclaredCession:
    """The declaration itself, once the seller is known to hold the vehicle
    (the holder through `declare_cession`, or a professional reselling a
    vehicle of their stock): the sale's checks, the code, the registry's
    "cédé" entry and history. Inside the caller's transaction, the vehicle
    row locked."""
    for situation in vehicle.active_situations():
        if situation.kind in CESSION_BLOCKING_SITUATIONS:
            raise situation_refusal(situation)
    now = timezone.now()
    if sold_at > now:
        raise RegistryRefusal(
            _("La date et l’heure de la cession ne peuvent pas être dans le futur."),
            code="sold_in_future",
            field="date_cession",
        )
    if sold_at.date() < vehicle.ci_date:
        raise RegistryRefusal(
            _("La cession ne peut pas être antérieure à la date du certificat d’immatriculation."),
            code="sold_before_ci",
            field="date_cession",
        )
    if not (buyer.postal_code and buyer.commune and buyer.address):
        raise RegistryRefusal(
            _("Indiquez l’adresse de l’acquéreur : elle figure sur le certificat de cession."),
            code="buyer_address",
            field="adresse",
        )
    if not 0 <= mileage <= MAX_MILEAGE:
        raise RegistryRefusal(
            _("Le kilométrage doit être compris entre 0 et 2 000 000 km."),
            code="mileage",
            field="kilometrage",
        )
    if CessionDeclaration.objects.filter(vehicle=vehicle, state=CessionState.ACTIVE).exists():
        raise RegistryRefusal(
            _(
                "Une déclaration de cession est déjà enregistrée pour ce véhicule. Si elle est "
                "erronée, annulez-la depuis « Mon Espace Véhicule » avant d’en faire une autre."
            ),
            code="already_declared",
        )
    code = numbering.generate(length=CODE_LENGTH)
    declaration = CessionDeclaration.objects.create(
        vehicle=vehicle,
        seller=seller,
        seller_name=seller_name,
        seller_last_name=seller_last_name,
        seller_first_names=seller_first_names,
        seller_address=seller_address,
        sold_at=sold_at,
        mileage=mileage,
        buyer_kind=buyer.kind,
        buyer_last_name=buyer.last_name,
        buyer_first_names=buyer.first_names,
        buyer_birth_date=buyer.birth_date,
        buyer_company_name=buyer.company_name,
        buyer_siret=buyer.siret,
        buyer_address=buyer.address,
        buyer_postal_code=buyer.postal_code,
        buyer_commune=buyer.commune,
        buyer_email=buyer.email,
        code_digest=code_digest(code),
        created_at=now,
        expires_at=now + CESSION_CODE_VALIDITY,
        registration_number=_new_registration_number(),
    )
    Situation.objects.get_or_create(
        vehicle=vehicle,
        kind=SituationKind.CEDE,
        lifted_on=None,
        defaults={"registered_on": sold_at.date(), "detail": declaration.buyer_display[:200]},
    )
    add_entry(
        vehicle,
        kind=RegistryEventKind.CESSION,
        label=_("Déclaration de cession à %(buyer)s") % {"buyer": declaration.buyer_display},
        actor=actor,
        request=request,
        data={
            "cession": str(declaration.pk),
            "date_cession": sold_at.isoformat(),
            "kilometrage": mileage,
        },
    )
    if mail:
        _mail_code(declaration, code)
    return DeclaredCession(declaration, code)


def _new_registration_number() -> str:
    while True:
        number = f"{secrets.randbelow(10**10):010d}"
        if not CessionDeclaration.objects.filter(registration_number=number).exists():
            return number


def _mail_code(declaration: CessionDeclaration, code: str) -> None:
    """The code once by e-mail to the seller, who passes it on to the buyer
    (queued after commit by notify_email)."""
    notify_email(
        template="vehicules/emails/code_cession",
        to=declaration.seller.email,
        context={
            "plate": declaration.vehicle.plate_display,
            "code": format_code(code),
            "expires": date_format(timezone.localtime(declaration.expires_at), "j F Y à H:i"),
            "buyer": declaration.buyer_display,
            "space_url": site_url("/"),
        },
    )


@transaction.atomic
def cancel_cession(*, declaration: CessionDeclaration, actor, request=None) -> CessionDeclaration:
    """The seller withdraws a declaration whose code was not used."""
    declaration = CessionDeclaration.objects.select_for_update().get(pk=declaration.pk)
    if declaration.state != CessionState.ACTIVE:
        raise RegistryRefusal(
            _("Cette déclaration de cession ne peut plus être annulée : le code a été utilisé."),
            code="not_active",
        )
    declaration.state = CessionState.ANNULEE
    declaration.save(update_fields=["state"])
    # A professional's resale withdrawn: the vehicle is back in their stock,
    # still sold by its holder to them (the "cédé" entry stays).
    back_in_stock = declaration.stock_resales.update(resale=None)
    if not back_in_stock:
        Situation.objects.filter(
            vehicle=declaration.vehicle, kind=SituationKind.CEDE, lifted_on__isnull=True
        ).update(lifted_on=timezone.localdate())
    add_entry(
        declaration.vehicle,
        kind=RegistryEventKind.CESSION_ANNULEE,
        label=_("Déclaration de cession annulée par le vendeur"),
        actor=actor,
        request=request,
        data={"cession": str(declaration.pk)},
    )
    return declaration


def check_code(
    *,
    vehicle: Vehicle,
    code: str,
    last_name: str = "",
    first_names: str = "",
    siret: str = "",
    now: datetime | None = None,
) -> CessionDeclaration:
    """The open declaration this code was issued for, if it fits this
    vehicle and this buyer. Raises RegistryRefusal (field "code_cession")."""
    now = now or timezone.now()

    def refuse(message, code_):
        return RegistryRefusal(message, code=code_, field="code_cession")

    if not numbering.is_valid(code) or len(numbering.normalize(code)) != CODE_LENGTH + 1:
        raise refuse(
            _(
                "Ce code de cession n’est pas valide : il comporte 9 caractères (par exemple "
                "ABCD-EFGH-J). Vérifiez-le auprès du vendeur."
            ),
            "code_malformed",
        )
    declaration = (
        CessionDeclaration.objects.select_related("vehicle")
        .filter(code_digest=code_digest(code), vehicle=vehicle)
        .first()
    )
    if declaration is None:
        raise refuse(
            _(
                "Ce code de cession ne correspond pas à ce véhicule. Vérifiez le numéro "
                "d’immatriculation et le code transmis par le vendeur."
            ),
            "code_wrong",
        )
    if declaration.state == CessionState.UTILISEE:
        raise refuse(
            _(
                "Ce code de cession a déjà été utilisé le %(date)s pour une demande de "
                "changement de titulaire : un code ne sert qu’une fois."
            )
            % {"date": timezone.localtime(declaration.used_at).strftime("%d/%m/%Y")},
            "code_used",
        )
    if declaration.state == CessionState.ANNULEE:
        raise refuse(_("Le vendeur a annulé cette déclaration de cession."), "code_cancelled")
    if declaration.is_expired(now):
        raise refuse(
            _(
                "Ce code de cession a expiré le %(date)s (il est valable 15 jours). Si la "
                "cession a bien eu lieu, répondez « Non » à « Avez-vous un code de cession ? » "
                "et indiquez le numéro de formule ou la date du CI."
            )
            % {"date": timezone.localtime(declaration.expires_at).strftime("%d/%m/%Y")},
            "code_expired",
        )
    if not buyer_matches(declaration, last_name=last_name, first_names=first_names, siret=siret):
        raise refuse(
            _(
                "Ce code de cession a été délivré pour un autre acquéreur : le nouveau "
                "titulaire doit être la personne que le vendeur a déclarée."
            ),
            "code_other_buyer",
        )
    return declaration


def buyer_matches(
    declaration: CessionDeclaration, *, last_name: str, first_names: str, siret: str = ""
) -> bool:
    if declaration.buyer_kind == PersonKind.MORALE:
        return bool(siret) and siret == declaration.buyer_siret
    return person_matches(
        declaration.buyer_last_name, declaration.buyer_first_names, last_name, first_names
    )


@transaction.atomic
def use_code(*, declaration: CessionDeclaration, demarche_number: str, actor, request=None) -> None:
    """Spend the code for a filed change of holder. One conditional UPDATE:
    of two files racing with the same code, exactly one wins."""
    now = timezone.now()
    updated = CessionDeclaration.objects.filter(
        pk=declaration.pk, state=CessionState.ACTIVE, expires_at__gt=now
    ).update(state=CessionState.UTILISEE, used_at=now, used_by_demarche=demarche_number)
    if not updated:
        declaration.refresh_from_db()
        if (
            declaration.state == CessionState.UTILISEE
            and declaration.used_by_demarche == demarche_number
        ):
            return
        raise RegistryRefusal(
            _("Ce code de cession vient d’être utilisé ou n’est plus valable."),
            code="code_used",
            field="code_cession",
        )
    record_cession_use(declaration, demarche_number, actor, request)


@transaction.atomic
def release_code(
    *, declaration: CessionDeclaration, demarche_number: str, actor, abandoned: bool, request=None
) -> bool:
    """Give back the code a rejected or abandoned change of holder spent:
    the sale the seller declared still stands, so the buyer may file again
    with the same code until its normal expiry (`expires_at`, 15 days from
    the declaration; never extended). Not given back — returns False — a
    code spent by another file (or by a professional's purchase), an
    expired code, or a declaration superseded by another one the seller
    registered since (one open declaration per vehicle). Under the
    vehicle's row lock, the lock `record_cession` takes, and one
    conditional UPDATE like `use_code`."""
    from titres.core.journal import record_event

    Vehicle.objects.select_for_update().filter(pk=declaration.vehicle_id).first()
    now = timezone.now()
    if (
        CessionDeclaration.objects.filter(
            vehicle_id=declaration.vehicle_id, state=CessionState.ACTIVE
        )
        .exclude(pk=declaration.pk)
        .exists()
    ):
        return False
    released = CessionDeclaration.objects.filter(
        pk=declaration.pk,
        state=CessionState.UTILISEE,
        used_by_demarche=demarche_number,
        expires_at__gt=now,
    ).update(state=CessionState.ACTIVE, used_at=None, used_by_demarche="")
    if not released:
        return False
    declaration.refresh_from_db()
    record_event(
        VehiculesEvent.CODE_CESSION_RELEASED,
        actor=actor,
        request=request,
        target=declaration,
        data={
            "demarche": demarche_number,
            "motif": "abandonnee" if abandoned else "rejetee",
            "immatriculation": declaration.vehicle.plate,
            "valable_jusqu_au": declaration.expires_at.isoformat(),
        },
    )
    return True


def record_cession_use(declaration, demarche_number, actor, request):
    from titres.core.journal import record_event

    record_event(
        VehiculesEvent.CODE_CESSION_USED,
        actor=actor,
        request=request,
        target=declaration,
        data={"demarche": demarche_number, "immatriculation": declaration.vehicle.plate},
    )
