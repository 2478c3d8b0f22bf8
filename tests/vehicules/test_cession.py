from datetime import date, timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from titres.core import numbering
from titres.core.models import AuditEvent
from titres.vehicules.enums import CessionState, PersonKind, SituationKind
from titres.vehicules.models import CessionDeclaration, RegistryEntry
from titres.vehicules.selectors import RegistryRefusal, check_card, find_vehicle
from titres.vehicules.services.cession import Buyer, cancel_cession, check_code, use_code

from .factories import VehicleFactory, declared, seller_user

pytestmark = pytest.mark.django_db


def refusal(callable_, *args, **kwargs) -> RegistryRefusal:
    with pytest.raises(RegistryRefusal) as raised:
        callable_(*args, **kwargs)
    return raised.value


def test_declaration_gives_a_single_use_code_with_a_check_character(
    django_capture_on_commit_callbacks, mailoutbox
):
    vehicle = VehicleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        result = declared(vehicle)
    code = result.code
    assert len(code) == 9 and numbering.is_valid(code)
    declaration = result.declaration
    assert declaration.state == CessionState.ACTIVE
    assert declaration.expires_at - declaration.created_at == timedelta(days=15)
    assert code not in declaration.code_digest  # only a keyed digest is stored
    assert declaration.seller_name == "MOREAU Jeanne"
    assert [s.kind for s in vehicle.situations.all()] == [SituationKind.CEDE]
    assert RegistryEntry.objects.filter(vehicle=vehicle, kind="cession").count() == 1
    assert AuditEvent.objects.filter(event="vehicules.cession_declared").count() == 1
    assert len(mailoutbox) == 1
    assert result.code_display in mailoutbox[0].body
    assert mailoutbox[0].to == ["jeanne.moreau@example.fr"]
    assert (
        mailoutbox[0].subject == f"Votre code de cession pour le véhicule {vehicle.plate_display}"
    )


def test_only_a_holder_may_declare():
    other = seller_user(first_name="Paul", last_name="Durand", email="paul@example.fr")
    error = refusal(declared, VehicleFactory(), seller=other)
    assert error.messages == [
        "Vous n’apparaissez pas comme titulaire ou cotitulaire de ce véhicule : seul le titulaire "
        "inscrit sur la carte grise peut déclarer sa cession."
    ]


@pytest.mark.parametrize("state", ["opposition", "vol", "vge"])
def test_blocked_vehicles_cannot_be_declared_sold(state):
    error = refusal(declared, VehicleFactory(**{state: True}))
    assert error.code == f"situation_{state}"


def test_a_second_declaration_is_refused_until_the_first_is_cancelled():
    vehicle = VehicleFactory()
    seller = seller_user()
    first = declared(vehicle, seller=seller)
    error = refusal(declared, vehicle, seller=seller)
    assert error.code == "already_declared"
    cancel_cession(declaration=first.declaration, actor=seller)
    assert declared(vehicle, seller=seller).declaration.state == CessionState.ACTIVE


def test_sale_in_the_future_refused():
    error = refusal(declared, VehicleFactory(), days_ago=-1)
    assert error.messages == ["La date et l’heure de la cession ne peuvent pas être dans le futur."]


def test_code_accepted_for_the_declared_buyer():
    result = declared()
    found = check_code(
        vehicle=result.declaration.vehicle,
        code=result.code_display.lower(),
        last_name="Mercier",
        first_names="Pierre",
    )
    assert found == result.declaration


def test_code_refusals():
    result = declared()
    vehicle = result.declaration.vehicle
    assert refusal(
        check_code, vehicle=vehicle, code="ABCD", last_name="MERCIER", first_names="Pierre"
    ).messages == [
        "Ce code de cession n’est pas valide : il comporte 9 caractères (par exemple ABCD-EFGH-J). "
        "Vérifiez-le auprès du vendeur."
    ]
    assert refusal(
        check_code,
        vehicle=vehicle,
        code=numbering.generate(length=8),
        last_name="MERCIER",
        first_names="Pierre",
    ).messages == [
        "Ce code de cession ne correspond pas à ce véhicule. Vérifiez le numéro d’immatriculation "
        "et le code transmis par le vendeur."
    ]
    other_vehicle = VehicleFactory()
    assert (
        refusal(
            check_code,
            vehicle=other_vehicle,
            code=result.code,
            last_name="MERCIER",
            first_names="Pierre",
        ).code
        == "code_wrong"
    )
    assert refusal(
        check_code, vehicle=vehicle, code=result.code, last_name="DUPONT", first_names="Pierre"
    ).messages == [
        "Ce code de cession a été délivré pour un autre acquéreur : le nouveau titulaire doit être "
        "la personne que le vendeur a déclarée."
    ]


def test_code_expires_after_15_days():
    result = declared()
    vehicle = result.declaration.vehicle
    expiry = result.declaration.expires_at
    with freeze_time(expiry - timedelta(seconds=1)):
        check_code(vehicle=vehicle, code=result.code, last_name="MERCIER", first_names="Pierre")
    with freeze_time(expiry):
        error = refusal(
            check_code, vehicle=vehicle, code=result.code, last_name="MERCIER", first_names="Pierre"
        )
    assert error.messages == [
        f"Ce code de cession a expiré le {timezone.localtime(expiry):%d/%m/%Y} (il est valable 15 jours). "
        "Si la cession a bien eu lieu, répondez « Non » à « Avez-vous un code de cession ? » et "
        "indiquez le numéro de formule ou la date du CI."
    ]


def test_code_is_single_use():
    result = declared()
    vehicle = result.declaration.vehicle
    use_code(declaration=result.declaration, demarche_number="ABC", actor=None)
    use_code(declaration=result.declaration, demarche_number="ABC", actor=None)  # same file: no-op
    error = refusal(
        check_code, vehicle=vehicle, code=result.code, last_name="MERCIER", first_names="Pierre"
    )
    assert error.messages == [
        f"Ce code de cession a déjà été utilisé le {timezone.localdate():%d/%m/%Y} pour une demande "
        "de changement de titulaire : un code ne sert qu’une fois."
    ]
    assert (
        refusal(use_code, declaration=result.declaration, demarche_number="OTHER", actor=None).code
        == "code_used"
    )
    assert CessionDeclaration.objects.get().used_by_demarche == "ABC"


def test_cancelled_declaration_code_refused():
    result = declared()
    cancel_cession(declaration=result.declaration, actor=None)
    error = refusal(
        check_code,
        vehicle=result.declaration.vehicle,
        code=result.code,
        last_name="MERCIER",
        first_names="Pierre",
    )
    assert error.messages == ["Le vendeur a annulé cette déclaration de cession."]
    assert not result.declaration.vehicle.situations.filter(lifted_on__isnull=True).exists()


def test_company_buyer_matched_by_siret():
    buyer = Buyer(
        kind=PersonKind.MORALE,
        company_name="GARAGE DU CENTRE",
        siret="73282932000074",
        address="1 rue",
        postal_code="54000",
        commune="Nancy",
    )
    result = declared(buyer=buyer)
    vehicle = result.declaration.vehicle
    assert (
        check_code(vehicle=vehicle, code=result.code, siret="73282932000074") == result.declaration
    )
    assert (
        refusal(check_code, vehicle=vehicle, code=result.code, siret="12345678900011").code
        == "code_other_buyer"
    )


def test_find_vehicle_and_card_checks():
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    assert find_vehicle("fg 123 hj") == vehicle
    assert refusal(find_vehicle, "FG-124-HJ").messages == [
        "Aucun véhicule n’est immatriculé sous le numéro FG-124-HJ : vérifiez le numéro inscrit "
        "sur votre carte grise (champ A)."
    ]
    check_card(vehicle, formule_number="2019fg04521")
    assert refusal(check_card, vehicle, formule_number="2019FG04522").messages == [
        "Le numéro de formule ne correspond pas au certificat d’immatriculation de ce véhicule : "
        "recopiez-le tel qu’il est imprimé sur votre carte grise."
    ]
    fni = VehicleFactory(fni=True)
    check_card(fni, ci_date=date(2005, 3, 18))
    assert refusal(check_card, fni, ci_date=date(2005, 3, 19)).messages == [
        "La date du certificat d’immatriculation (CI) ne correspond pas à celle de ce véhicule : "
        "reportez la date inscrite sur votre carte grise."
    ]
