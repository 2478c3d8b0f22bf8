"""The client of a mandate is told when the change of holder filed in
their name is withdrawn (rejected by the CERT, abandoned by the
professional): `withdrawal.notify_client_of_withdrawal`, in French, without
a link (the client has no account on the file); the professional still gets
their own e-mail; none to a client without an address."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from titres.accounts.services.habilitations import terminate_habilitation
from titres.vehicules.models import ChangeOfHolder

from .factories import VehicleFactory, declared
from .journey import pay_taxes
from .pro import CLIENT, file_until_payment, garage, start_for_client
from .test_certificat_reject import _reject

pytestmark = pytest.mark.django_db

CLIENT_EMAIL = CLIENT["titulaire_email"]


def _filed(client, capture, **client_data):
    habilitation = garage(
        client, organisation_name="Garage du Centre", siret="73282932000074", number="SIV-08-0042"
    )
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    demarche = start_for_client(client)
    file_until_payment(
        client, demarche, plate="FG-123-HJ", code=sold.code_display, client_data=client_data
    )
    pay_taxes(client, demarche, capture)
    demarche.refresh_from_db()
    return habilitation, demarche, ChangeOfHolder.objects.get(demarche=demarche)


def _to(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address]]


def test_the_client_is_told_of_a_rejection(client, django_capture_on_commit_callbacks, mailoutbox):
    habilitation, demarche, record = _filed(client, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    _reject(demarche, django_capture_on_commit_callbacks)
    (mail,) = _to(mailoutbox, CLIENT_EMAIL)
    assert mail.subject == "Demande à votre nom rejetée : véhicule FG-123-HJ"
    body = " ".join(mail.body.split())
    assert body.startswith("Bonjour MERCIER Pierre,")
    assert (
        f"La démarche « J’achète ou je reçois un véhicule d’occasion » n° {demarche.display_number} "
        "que Garage du Centre, professionnel de l’automobile habilité SIV (n° SIV-08-0042), "
        "avait déposée en votre nom, sous mandat, pour le véhicule immatriculé FG-123-HJ a été "
        "rejetée par le service instructeur : elle est sans effet au système d’immatriculation."
    ) in body
    assert (
        f"Le certificat provisoire d’immatriculation n° {record.cpi_number} est retiré : il ne "
        "vaut plus titre de circulation."
    ) in body
    assert "Les taxes payées" in body
    assert "adressez-vous à votre professionnel de l’automobile" in body
    # No link to the file (the client has no account) and none of the
    # professional's own notices (« vous pouvez déposer… »).
    assert "/demarches/" not in body and "code de cession" not in body
    own = [m.subject for m in _to(mailoutbox, habilitation.user.email)]
    assert f"Démarche {demarche.display_number} rejetée : véhicule FG-123-HJ" in own


def test_the_client_is_told_of_an_abandonment(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    _habilitation, demarche, _record = _filed(client, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("procedures:abandon", args=[demarche.number]))
    assert response.status_code == 302
    (mail,) = _to(mailoutbox, CLIENT_EMAIL)
    assert mail.subject == "Demande à votre nom abandonnée : véhicule FG-123-HJ"
    assert "a été abandonnée par ce professionnel" in " ".join(mail.body.split())


def test_no_mail_to_a_client_without_an_address(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    habilitation, demarche, _record = _filed(
        client, django_capture_on_commit_callbacks, titulaire_email=""
    )
    mailoutbox.clear()
    _reject(demarche, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox if "rejetée : véhicule" in m.subject] == [
        [habilitation.user.email]
    ]


def test_the_client_of_a_detached_file_is_told_the_professional_is_no_longer_habilitated(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    habilitation, demarche, _record = _filed(client, django_capture_on_commit_callbacks)
    garage_email = habilitation.user.email
    with django_capture_on_commit_callbacks(execute=True):
        terminate_habilitation(habilitation=habilitation, actor=UserFactory(is_staff=True))
    demarche.refresh_from_db()
    mailoutbox.clear()
    _reject(demarche, django_capture_on_commit_callbacks)
    (mail,) = [m for m in mailoutbox if "à votre nom rejetée" in m.subject]
    assert mail.to == [CLIENT_EMAIL]
    assert "Ce professionnel n’est plus habilité (habilitation résiliée)" in " ".join(
        mail.body.split()
    )
    assert not _to(mailoutbox, garage_email)
