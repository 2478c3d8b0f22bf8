import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from titres.core import twoddoc
from titres.vehicules.documents.cession_pdf import cession_twoddoc
from titres.vehicules.models import CessionDeclaration

from .factories import VehicleFactory, declared, seller_user

pytestmark = pytest.mark.django_db

FORM = {
    "immatriculation": "FG-123-HJ",
    "numero_formule": "2019FG04521",
    "date_cession": "01/06/2026",
    "heure_cession": "10:30",
    "kilometrage": "48250",
    "acquereur": "physique",
    "nom": "Mercier",
    "prenoms": "Pierre",
    "adresse": "3 place Bellecour",
    "code_postal": "69002",
    "commune": "Lyon",
}


@pytest.fixture
def seller(client):
    user = seller_user()
    client.force_login(user)
    return user


def test_declaration_shows_the_code_once(
    client, seller, mailoutbox, django_capture_on_commit_callbacks
):
    VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("vehicules:cession_declarer"), FORM)
    declaration = CessionDeclaration.objects.get()
    assert response.url == reverse("vehicules:cession_resultat", args=[declaration.pk])
    page = client.get(response.url).content.decode()
    assert "Code de cession à transmettre à l’acquéreur" in page
    code = page.split('id="code-cession">')[1].split("<")[0]
    assert code in mailoutbox[0].body
    again = client.get(response.url).content.decode()
    assert code not in again and "n’est affiché qu’une fois" in again
    assert declaration.buyer_commune == "Lyon" and declaration.seller_last_name == "MOREAU"


def test_declaration_refusals_keep_the_form(client, seller):
    VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    response = client.post(
        reverse("vehicules:cession_declarer"), {**FORM, "numero_formule": "2019FG04522"}
    )
    assert response.status_code == 400
    assert "Le numéro de formule ne correspond pas" in response.content.decode()
    response = client.post(reverse("vehicules:cession_declarer"), {**FORM, "commune": "Nancy"})
    assert "ne correspond pas au code postal 69002" in response.content.decode()
    assert not CessionDeclaration.objects.exists()


def test_company_buyer_needs_a_valid_siret(client, seller):
    VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    data = {
        **FORM,
        "acquereur": "morale",
        "nom": "",
        "prenoms": "",
        "raison_sociale": "GARAGE",
        "siret": "12345678901234",
    }
    response = client.post(reverse("vehicules:cession_declarer"), data)
    assert (
        "Le numéro SIRET n’est pas valide (14 chiffres, clé de contrôle)."
        in response.content.decode()
    )


def test_certificate_is_the_sellers_only_and_carries_an_authentic_a8(client, seller):
    result = declared(seller=seller)
    response = client.get(reverse("vehicules:cession_certificat", args=[result.declaration.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = cession_twoddoc(result.declaration)
    verified = twoddoc.verify(text)
    assert verified.authentic, verified.message
    values = verified.values()
    assert values["A1"] == result.declaration.vehicle.plate_display
    assert values["C6"] == "MERCIER" and values["CA"] == "LYON"
    tampered = text.replace("MERCIER", "MERCIEZ")
    assert not twoddoc.verify(tampered).authentic
    client.force_login(UserFactory())
    assert (
        client.get(
            reverse("vehicules:cession_certificat", args=[result.declaration.pk])
        ).status_code
        == 404
    )


def test_cancel_from_the_space(client, seller):
    result = declared(seller=seller)
    response = client.post(reverse("vehicules:cession_annuler", args=[result.declaration.pk]))
    assert response.url == reverse("vehicules:espace")
    result.declaration.refresh_from_db()
    assert result.declaration.state == "annulee"


def test_espace_lists_procedures_and_declarations(client, seller):
    declared(seller=seller)
    page = client.get(reverse("vehicules:espace")).content.decode()
    assert "Effectuer une nouvelle demande" in page and "Type de demande" in page
    assert "J’achète ou je reçois un véhicule d’occasion" in page and "Ajouter une demande" in page
    assert (
        "Pour voir mes démarches en cours, cliquez ici" in page
        and "Rechercher dans la liste" in page
    )
    assert "Mes déclarations de cession" in page
