"""The professionals' space: a habilitated garage files a change of holder
for a client under mandate; every other profile, a suspended professional
and another professional get 404s."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.accounts.factories import HabilitationFactory, UserFactory
from titres.accounts.enums import HabilitationStatus, Profile
from titres.procedures.enums import Status
from titres.vehicules.changement.procedure import CODE
from titres.vehicules.models import ChangeOfHolder

from .factories import VehicleFactory, declared
from .journey import pay_taxes, step_url
from .pro import CLIENT, file_until_payment, garage, start_for_client

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def step1_errors(client, demarche, data):
    response = client.post(step_url(demarche, "pour-commencer"), data)
    assert response.status_code == 200
    return [str(e) for errors in response.context["form"].errors.values() for e in errors]


def test_garage_files_a_change_of_holder_for_a_client_under_mandate(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    habilitation = garage(client, organisation_name="Garage du Centre")
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    page = client.get(reverse("vehicules:pro_espace")).content.decode()
    assert "Garage du Centre" in page and habilitation.number in page
    demarche = start_for_client(client)
    form_page = client.get(step_url(demarche, "pour-commencer")).content.decode()
    assert "Pour un client, sous mandat (cerfa n° 13757)" in form_page
    assert "Pour moi-même" not in form_page
    file_until_payment(
        client,
        demarche,
        plate="FG-123-HJ",
        code=sold.code_display,
        # A disabled field: what is posted is ignored, the client's identity
        # typed in step 1 is kept.
        holder={"nom_naissance": "AUTRE", "prenoms": "Quelqu’un"},
    )
    demarche.refresh_from_db()
    holder = demarche.answers["nouveau-titulaire"]
    assert (holder["nom_naissance"], holder["prenoms"]) == ("Mercier", "Pierre")
    assert holder["date_naissance"] == "1990-01-15"
    assert demarche.acting_for["qualite"] == "professionnel_mandataire"
    assert demarche.acting_for["habilitation"] == habilitation.number
    mailoutbox.clear()
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS and demarche.owner == habilitation.user
    record = ChangeOfHolder.objects.get(demarche=demarche)
    assert record.cpi_number
    final = client.get(reverse("vehicules:finalisation", args=[demarche.number])).content.decode()
    assert "MERCIER Pierre" in final and "Garage du Centre (mandataire" in final
    cpi = pdf_text(client.get(reverse("vehicules:cpi", args=[demarche.number])))
    assert "MERCIER" in cpi and "Pierre" in cpi and "Garage du Centre (mandataire" in cpi
    accuse = pdf_text(client.get(reverse("vehicules:accuse", args=[demarche.number])))
    assert f"habilitation SIV n° {habilitation.number}" in accuse and "MERCIER" in accuse
    to_client = [m for m in mailoutbox if m.to == ["pierre.mercier@example.org"]]
    assert len(to_client) == 1
    assert demarche.display_number in to_client[0].body
    assert record.cpi_number in to_client[0].body and "Garage du Centre" in to_client[0].body
    assert "sous mandat, une demande de changement de titulaire pour le véhicule" in " ".join(
        to_client[0].body.split()
    )
    listed = client.get(reverse("vehicules:pro_espace")).content.decode()
    assert demarche.display_number in listed and "MERCIER Pierre" in listed


def test_no_mail_to_the_client_without_an_address(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    garage(client)
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    demarche = start_for_client(client)
    file_until_payment(
        client,
        demarche,
        plate="FG-123-HJ",
        code=sold.code_display,
        client_data={"titulaire_email": ""},
    )
    mailoutbox.clear()
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    assert not [m for m in mailoutbox if "Demande d’immatriculation à votre nom" in m.subject]


def test_client_identity_must_match_the_buyer_of_the_code(client):
    garage(client)
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    demarche = start_for_client(client)
    errors = step1_errors(
        client,
        demarche,
        {
            **CLIENT,
            "titulaire_nom": "Durand",
            "immatriculation": "FG-123-HJ",
            "code_cession": sold.code_display,
        },
    )
    assert errors == [
        "Ce code de cession a été délivré pour un autre acquéreur : le nouveau titulaire doit "
        "être la personne que le vendeur a déclarée."
    ]


def test_client_identity_is_required(client):
    garage(client)
    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    demarche = start_for_client(client)
    errors = step1_errors(
        client,
        demarche,
        {
            **CLIENT,
            "titulaire_nom": "",
            "titulaire_prenoms": "",
            "titulaire_date_naissance": "",
            "immatriculation": "ES-482-KL",
            "a_code_cession": "non",
            "numero_formule": "2017ES11873",
        },
    )
    assert errors == [
        "Indiquez le nom de naissance du client.",
        "Indiquez les prénoms du client.",
        "Indiquez la date de naissance du client.",
    ]


def test_a_garage_cannot_file_for_itself(client):
    garage(client)
    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    demarche = start_for_client(client)
    errors = step1_errors(
        client,
        demarche,
        {
            **CLIENT,
            "pour_qui": "moi",
            "immatriculation": "ES-482-KL",
            "a_code_cession": "non",
            "numero_formule": "2017ES11873",
        },
    )
    assert errors == [
        "Sélectionnez un choix valide. moi n’en fait pas partie.",
    ]


def test_a_citizen_cannot_claim_a_mandate(client, buyer):
    from .journey import start

    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    demarche = start(client)
    page = client.get(step_url(demarche, "pour-commencer")).content.decode()
    assert "sous mandat" not in page and "Adresse e-mail du client" not in page
    errors = step1_errors(
        client,
        demarche,
        {
            **CLIENT,
            "immatriculation": "ES-482-KL",
            "a_code_cession": "non",
            "numero_formule": "2017ES11873",
        },
    )
    assert errors == ["Sélectionnez un choix valide. mandat n’en fait pas partie."]


def test_mandate_and_client_id_are_required_before_payment(client):
    garage(client)
    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    demarche = start_for_client(client)
    client.post(
        step_url(demarche, "pour-commencer"),
        {
            **CLIENT,
            "immatriculation": "ES-482-KL",
            "a_code_cession": "non",
            "numero_formule": "2017ES11873",
        },
    )
    demarche.refresh_from_db()
    problems = [message for _slug, message in demarche.definition.errors(demarche)]
    assert (
        "« Mandat d’immatriculation (cerfa n° 13757) » : pièce obligatoire manquante." in problems
    )
    assert "« Pièce d’identité du client » : pièce obligatoire manquante." in problems
    page = client.get(step_url(demarche, "mandat")).content.decode()
    assert "Mandat et pièce d’identité du client" in page
    response = client.post(reverse("vehicules:payer", args=[demarche.number]))
    assert response.status_code == 302
    assert response.url == step_url(demarche, "paiement")


PRO_URLS = [
    ("vehicules:pro_espace", "get"),
    ("vehicules:pro_nouvelle_demande", "post"),
]


@pytest.mark.parametrize(
    "profile",
    [
        Profile.PARTICULIER,
        Profile.AUTO_ECOLE,
        Profile.CENTRE_SENSIBILISATION,
        Profile.MAIRIE,
        Profile.PERSONNE_MORALE,
        # A pro_siv account without any habilitation record.
        Profile.PRO_SIV,
    ],
)
def test_professional_urls_are_404_to_other_profiles(client, profile):
    client.force_login(UserFactory(profile=profile, organisation_name="Organisme"))
    for name, method in PRO_URLS:
        response = getattr(client, method)(reverse(name), {"type_demande": CODE})
        assert response.status_code == 404, name


def test_professional_urls_are_404_to_a_suspended_professional(client):
    habilitation = garage(client)
    habilitation.status = HabilitationStatus.SUSPENDUE
    habilitation.save()
    for name, method in PRO_URLS:
        response = getattr(client, method)(reverse(name), {"type_demande": CODE})
        assert response.status_code == 404, name


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("vehicules:pro_espace"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_another_professionals_files_are_404(client):
    garage(client)
    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    demarche = start_for_client(client)
    other = HabilitationFactory(organisation_name="Autre Garage").user
    client.force_login(other)
    for name in ("cpi", "accuse", "finalisation", "paiement_retour"):
        assert client.get(reverse(f"vehicules:{name}", args=[demarche.number])).status_code == 404
    assert client.get(step_url(demarche, "pour-commencer")).status_code == 404
    page = client.get(reverse("vehicules:pro_espace")).content.decode()
    assert demarche.display_number not in page


def test_unknown_procedure_type_is_refused(client):
    garage(client)
    response = client.post(
        reverse("vehicules:pro_nouvelle_demande"), {"type_demande": "x"}, follow=True
    )
    assert "Choisissez un type de demande dans la liste." in response.content.decode()
