"""A batch line's buyer (person or company) and an achat line's
establishment are checked by the screen's own validation (`BuyerForm`,
`validate_postal_code_commune`): the SIRET's key, the postal code ↔
commune, with the screen's message in the report; a refused line leaves
nothing behind."""

import pytest
from django.urls import reverse

from titres.accounts.enums import HabilitationStatus
from titres.vehicules.models import CessionDeclaration, Situation
from titres.vehicules.professionnels.models import BatchSubmission, StockVehicle

from .factories import VehicleFactory
from .test_pro_batch import cession_line, upload
from .test_pro_stock import bought, errors, pro, resale_form

pytestmark = pytest.mark.django_db

COMPANY = {
    "acquereur_nom": "",
    "acquereur_prenoms": "",
    "acquereur_date_naissance": "",
    "acquereur_raison_sociale": "Transports Rapides SA",
    "acquereur_siret": "443 061 841 00047",
}
BAD_SIRET = "Le numéro SIRET n’est pas valide (14 chiffres, clé de contrôle)."
WRONG_COMMUNE = (
    "La commune « Paris » ne correspond pas au code postal 69002. Communes de ce code postal : "
    "Lyon."
)


def report(client, capture, *lines):
    upload(client, list(lines), capture)
    return list(BatchSubmission.objects.get().lines.all())


def test_a_company_buyer_with_a_valid_siret_is_accepted(client, django_capture_on_commit_callbacks):
    pro(client)
    vehicle = VehicleFactory()
    (line,) = report(
        client,
        django_capture_on_commit_callbacks,
        cession_line(vehicle, **COMPANY, acquereur_commune="LYON"),
    )
    assert line.accepted, line.message
    declaration = CessionDeclaration.objects.get(vehicle=vehicle)
    # As the screen stores them: the SIRET without spaces, the commune's name.
    assert (declaration.buyer_siret, declaration.buyer_commune) == ("44306184100047", "Lyon")
    assert declaration.buyer_company_name == "Transports Rapides SA"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({**COMPANY, "acquereur_siret": "12345678901234"}, BAD_SIRET),
        ({**COMPANY, "acquereur_siret": "4430618410004"}, BAD_SIRET),
        ({**COMPANY, "acquereur_raison_sociale": ""}, "Indiquez la raison sociale de la société."),
        (
            {**COMPANY, "acquereur_siret": ""},
            "Indiquez le numéro SIRET de la société.",
        ),
        ({**COMPANY, "acquereur_commune": "Paris"}, WRONG_COMMUNE),
        ({"acquereur_commune": "Paris"}, WRONG_COMMUNE),
        ({"acquereur_code_postal": "00000"}, "Le code postal 00000 n’existe pas."),
        ({"acquereur_code_postal": "6900"}, "Le code postal doit comporter 5 chiffres."),
        (
            {"acquereur_adresse": ""},
            "Adresse de l’acquéreur (numéro et voie) : Ce champ est obligatoire.",
        ),
    ],
    ids=[
        "siret-key",
        "siret-length",
        "company-name",
        "siret-missing",
        "company-commune",
        "person-commune",
        "unknown-postal-code",
        "postal-code-format",
        "address-missing",
    ],
)
def test_a_clients_cession_line_is_refused_as_the_screen_refuses(
    client, django_capture_on_commit_callbacks, changes, message
):
    pro(client)
    vehicle = VehicleFactory()
    (line,) = report(client, django_capture_on_commit_callbacks, cession_line(vehicle, **changes))
    assert not line.accepted and line.message == message
    assert not CessionDeclaration.objects.filter(vehicle=vehicle).exists()
    vehicle.refresh_from_db()
    assert not Situation.objects.filter(vehicle=vehicle, kind="cede").exists()


@pytest.mark.parametrize(
    "screen, batch",
    [
        (
            {"acquereur": "morale", "raison_sociale": "SA", "siret": "12345678901234"},
            {**COMPANY, "acquereur_siret": "12345678901234"},
        ),
        ({"commune": "Paris"}, {"acquereur_commune": "Paris"}),
    ],
    ids=["siret", "commune"],
)
def test_a_resale_line_gets_the_message_of_the_resale_screen(
    client, django_capture_on_commit_callbacks, screen, batch
):
    habilitation = pro(client)
    entry = bought(habilitation)
    response = client.post(
        reverse("vehicules:pro_stock_revente", args=[entry.pk]), resale_form(**screen)
    )
    (on_screen,) = errors(response)
    (line,) = report(
        client,
        django_capture_on_commit_callbacks,
        cession_line(entry.vehicle, client_nom="", client_prenoms="", **batch),
    )
    assert not line.accepted and line.message == on_screen
    entry.refresh_from_db()
    assert entry.in_stock and not CessionDeclaration.objects.filter(vehicle=entry.vehicle).exists()


def test_an_achat_line_checks_the_establishments_commune(
    client, django_capture_on_commit_callbacks
):
    pro(client)
    refused, accepted = VehicleFactory(), VehicleFactory()
    achat = {
        "type": "achat",
        "acquereur_nom": "",
        "acquereur_prenoms": "",
        "acquereur_date_naissance": "",
        "acquereur_adresse": "12 avenue Jean Jaurès",
        "acquereur_code_postal": "08000",
    }
    lines = report(
        client,
        django_capture_on_commit_callbacks,
        cession_line(refused, **achat, acquereur_commune="Sedan"),
        cession_line(accepted, **achat, acquereur_commune="charleville-mezieres"),
    )
    assert not lines[0].accepted and lines[0].message.startswith(
        "La commune « Sedan » ne correspond pas au code postal 08000."
    )
    assert lines[1].accepted, lines[1].message
    assert not StockVehicle.objects.filter(vehicle=refused).exists()
    assert StockVehicle.objects.get(vehicle=accepted).commune == "Charleville-Mézières"


def test_a_suspended_professionals_batch_is_refused(client, django_capture_on_commit_callbacks):
    habilitation = pro(client)
    habilitation.status = HabilitationStatus.SUSPENDUE
    habilitation.save()
    response = upload(
        client, [cession_line(VehicleFactory(), **COMPANY)], django_capture_on_commit_callbacks
    )
    assert response.status_code == 404 and not BatchSubmission.objects.exists()
