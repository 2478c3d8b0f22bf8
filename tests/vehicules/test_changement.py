"""The buyer's procedure through the Django client: seed 003's steps, the
refusals with their messages, payment and finalisation."""

from datetime import date

import pytest
from django.urls import reverse

from tests.paiements.helpers import CARDS
from titres.core import numbering
from titres.core.models import AuditEvent
from titres.paiements.enums import PaymentState
from titres.procedures.enums import Status
from titres.vehicules.enums import CessionState
from titres.vehicules.models import ChangeOfHolder

from .factories import VehicleFactory, declared
from .journey import START, fill_until_payment, pay_taxes, start, step_url

pytestmark = pytest.mark.django_db


def start_data(plate, **extra):
    return {**START, "immatriculation": plate, **extra}


def step1_errors(client, demarche, data):
    response = client.post(step_url(demarche, "pour-commencer"), data)
    assert response.status_code == 200
    form = response.context["form"]
    return [str(e) for errors in form.errors.values() for e in errors]


def test_full_journey_with_a_code_de_cession(
    client, buyer, django_capture_on_commit_callbacks, mailoutbox
):
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    demarche = start(client)
    response = client.get(step_url(demarche, "pour-commencer"))
    assert "Démarrer la procédure" in response.content.decode()
    fill_until_payment(
        client, demarche, start_data=start_data("FG-123-HJ", code_cession=sold.code_display)
    )
    page = client.get(step_url(demarche, "paiement")).content.decode()
    assert "Taxe régionale" in page and "5 CV × 43,00 € (Auvergne-Rhône-Alpes)" in page
    assert "228,76 €" in page  # 215 + 11 + 2.76
    assert "Aucun malus n’est dû pour un véhicule déjà immatriculé en France." in page
    payment = pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    assert payment.state == PaymentState.ACCEPTE and payment.amount_cents == 22876
    demarche.refresh_from_db()
    # The bank's notification filed the démarche already.
    assert demarche.status == Status.EN_COURS
    record = ChangeOfHolder.objects.get(demarche=demarche)
    assert record.paid_at and record.cpi_number and record.cpi_valid_until
    sold.declaration.refresh_from_db()
    assert sold.declaration.state == CessionState.UTILISEE
    retour = client.get(
        reverse("vehicules:paiement_retour", args=[demarche.number])
    ).content.decode()
    assert "Imprimer le reçu" in retour and "Cliquer ici pour enregistrer votre paiement" in retour
    response = client.post(reverse("vehicules:enregistrer_paiement", args=[demarche.number]))
    assert response.url == reverse("vehicules:finalisation", args=[demarche.number])
    final = client.get(response.url).content.decode()
    assert "Certificat Provisoire d’Immatriculation" in final and demarche.display_number in final
    for name in ("cpi", "accuse", "recu"):
        pdf = client.get(reverse(f"vehicules:{name}", args=[demarche.number]))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(event="vehicules.taxes_paid").count() == 1
    # The code is never shown again, not even to agents.
    rows = dict(demarche.definition.step("pour-commencer").summary(demarche))
    assert rows["Code de cession"] == "•••••••••" and sold.code not in str(rows)


def test_journey_without_code_with_formule_number(
    client, buyer, django_capture_on_commit_callbacks
):
    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    demarche = start(client)
    fill_until_payment(
        client,
        demarche,
        start_data=start_data("ES-482-KL", a_code_cession="non", numero_formule="2017ES11873"),
    )
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS


def test_fni_journey_with_ci_date(client, buyer, django_capture_on_commit_callbacks):
    VehicleFactory(fni=True, plate="3457TV59")
    demarche = start(client)
    fill_until_payment(
        client,
        demarche,
        start_data=start_data("3457 TV 59", a_code_cession="non", date_ci="18/03/2005"),
    )
    page = client.get(step_url(demarche, "paiement")).content.decode()
    assert "demi-tarif" in page  # first registered in 2005
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS


def test_step1_refusals(client, buyer):
    demarche = start(client)
    VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    assert step1_errors(
        client, demarche, start_data("FG-124-HJ", a_code_cession="non", numero_formule="x")
    ) == [
        "Aucun véhicule n’est immatriculé sous le numéro FG-124-HJ : vérifiez le numéro inscrit sur votre "
        "carte grise (champ A)."
    ]
    assert step1_errors(
        client,
        demarche,
        start_data("FG-123-HJ", a_code_cession="non", numero_formule="2019FG04522"),
    ) == [
        "Le numéro de formule ne correspond pas au certificat d’immatriculation de ce véhicule : recopiez-le "
        "tel qu’il est imprimé sur votre carte grise."
    ]
    assert step1_errors(
        client, demarche, start_data("FG-123-HJ", code_cession=numbering.generate(length=8))
    ) == [
        "Ce code de cession ne correspond pas à ce véhicule. Vérifiez le numéro d’immatriculation et le code "
        "transmis par le vendeur."
    ]


@pytest.mark.parametrize(
    "state, start_of_message",
    [
        (
            "gage",
            "Ce véhicule est gagé : le changement de titulaire n’est pas possible tant que le gage n’est pas levé.",
        ),
        (
            "opposition",
            "Une opposition au transfert du certificat d’immatriculation (OTCI) est inscrite",
        ),
        ("vol", "Ce véhicule est déclaré volé : la démarche ne peut pas continuer."),
        ("vge", "Ce véhicule est inscrit comme gravement endommagé (VGE)"),
    ],
)
def test_blocked_vehicle_refused_with_reason(client, buyer, state, start_of_message):
    VehicleFactory(plate="DM731PR", formule_number="2014DM73120", **{state: True})
    demarche = start(client)
    errors = step1_errors(
        client,
        demarche,
        start_data("DM-731-PR", a_code_cession="non", numero_formule="2014DM73120"),
    )
    assert len(errors) == 1 and errors[0].startswith(start_of_message)


def test_code_issued_for_another_buyer(client, buyer):
    from titres.vehicules.services.cession import Buyer

    vehicle = VehicleFactory(plate="FG123HJ")
    sold = declared(
        vehicle,
        buyer=Buyer(
            last_name="DUPONT",
            first_names="Jean",
            address="1 rue",
            postal_code="75011",
            commune="Paris",
        ),
    )
    demarche = start(client)
    assert step1_errors(client, demarche, start_data("FG-123-HJ", code_cession=sold.code)) == [
        "Ce code de cession a été délivré pour un autre acquéreur : le nouveau titulaire doit être la "
        "personne que le vendeur a déclarée."
    ]


def test_same_vehicle_already_in_an_ongoing_change(
    client, buyer, django_capture_on_commit_callbacks
):
    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    data = start_data("ES-482-KL", a_code_cession="non", numero_formule="2017ES11873")
    first = start(client)
    fill_until_payment(client, first, start_data=data)
    pay_taxes(client, first, django_capture_on_commit_callbacks)
    second = start(client)
    errors = step1_errors(client, second, data)
    assert errors[0].startswith(
        "Ce véhicule fait déjà l’objet d’une demande de changement de titulaire en cours"
    )


def test_refused_payment_keeps_the_draft_and_a_new_attempt_works(
    client, buyer, django_capture_on_commit_callbacks
):
    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    demarche = start(client)
    fill_until_payment(
        client,
        demarche,
        start_data=start_data("ES-482-KL", a_code_cession="non", numero_formule="2017ES11873"),
    )
    refused = pay_taxes(client, demarche, django_capture_on_commit_callbacks, card="refuse")
    assert refused.state == PaymentState.REFUSE
    demarche.refresh_from_db()
    assert demarche.status == Status.BROUILLON
    page = client.get(reverse("vehicules:paiement_retour", args=[demarche.number])).content.decode()
    assert "Paiement refusé" in page and "conservée en brouillon" in page
    accepted = pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    assert accepted.pk != refused.pk and accepted.state == PaymentState.ACCEPTE
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS


def test_local_account_is_sent_to_franceconnect(client, citizen):
    response = client.post(
        reverse("vehicules:nouvelle_demande"), {"type_demande": "vehicule-changement-titulaire"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert (
        "S’identifier avec" in page
        and "tiers de confiance" in page
        and "professionnel de l’automobile habilité" in page
    )


def test_another_citizens_file_is_404(client, buyer, django_capture_on_commit_callbacks):
    from tests.accounts.factories import UserFactory

    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    demarche = start(client)
    fill_until_payment(
        client,
        demarche,
        start_data=start_data("ES-482-KL", a_code_cession="non", numero_formule="2017ES11873"),
    )
    pay_taxes(client, demarche, django_capture_on_commit_callbacks)
    client.force_login(UserFactory())
    for name in ("cpi", "accuse", "finalisation", "paiement_retour", "recu"):
        assert client.get(reverse(f"vehicules:{name}", args=[demarche.number])).status_code == 404


def test_the_new_holder_identity_is_the_certified_one(client, buyer):
    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    demarche = start(client)
    client.post(
        step_url(demarche, "pour-commencer"),
        start_data("ES-482-KL", a_code_cession="non", numero_formule="2017ES11873"),
    )
    client.post(
        step_url(demarche, "nouveau-titulaire"),
        {
            "ancien_titulaire_verifie": "on",
            "date_cession": "01/06/2026",
            "heure_cession": "10:00",
            "kilometrage": "1000",
            "usage": "personnel",
            "nom_naissance": "AUTRE",
            "prenoms": "Nom",
            "adresse": "1 rue",
            "code_postal": "69002",
            "commune": "Lyon",
            "action": "next",
        },
    )
    demarche.refresh_from_db()
    assert demarche.answers["nouveau-titulaire"]["nom_naissance"] == "MERCIER"
    assert demarche.answers["nouveau-titulaire"]["date_naissance"] == date(1990, 1, 15).isoformat()


def test_mes_demarches_search_and_reprise(client, buyer):
    VehicleFactory(plate="ES482KL", formule_number="2017ES11873")
    demarche = start(client)
    page = client.get(
        reverse("vehicules:demarches"), {"q": demarche.display_number}
    ).content.decode()
    assert demarche.display_number in page and "Reprise" in page and ">Ok<" in page
    assert (
        client.get(reverse("vehicules:demarches"), {"q": "ZZZZ"})
        .content.decode()
        .count("Aucune démarche")
        == 1
    )
    response = client.post(
        reverse("vehicules:demarche_action", args=[demarche.number]), {"action": "reprise"}
    )
    assert response.url == reverse("procedures:resume", args=[demarche.number])


assert CARDS
