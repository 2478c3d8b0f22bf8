import pytest
from django.urls import reverse

from titres.paiements.enums import StampState
from titres.paiements.models import Stamp

from .factories import StampFactory

pytestmark = pytest.mark.django_db


def test_status_page_is_public_and_shows_state_and_amount(client):
    stamp = StampFactory(reserved_by="demarche:1")
    page = client.get(reverse("paiements:verifier"), {"numero": stamp.number}).content.decode()
    assert "Réservé" in page
    assert "25,00" in page
    assert "Permis de conduire après perte ou vol" in page
    assert "demarche:1" not in page  # who holds it is nobody else's business
    assert stamp.email not in page


def test_status_page_unknown_and_malformed(client):
    page = client.get(
        reverse("paiements:verifier"), {"numero": "1234567812345670"}
    ).content.decode()
    assert "Aucun timbre ne correspond à ce numéro." in page
    page = client.get(reverse("paiements:verifier"), {"numero": "123"}).content.decode()
    assert "Le numéro de timbre doit comporter 16 chiffres." in page


def test_refund_in_two_steps(client, mailoutbox, django_capture_on_commit_callbacks):
    stamp = StampFactory(email="lea@exemple.fr")
    url = reverse("paiements:rembourser")
    page = client.post(url, {"numero": stamp.number, "email": "lea@exemple.fr"}).content.decode()
    assert "Confirmez le remboursement" in page
    assert Stamp.objects.get(pk=stamp.pk).state == StampState.DISPONIBLE
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            url, {"numero": stamp.number, "email": "lea@exemple.fr", "confirmer": "1"}
        ).content.decode()
    assert "Remboursement effectué" in page
    assert Stamp.objects.get(pk=stamp.pk).state == StampState.REMBOURSE
    assert len(mailoutbox) == 1


def test_refund_page_refuses_consumed_stamp(client):
    stamp = StampFactory(consumed_by="demarche:9")
    page = client.post(
        reverse("paiements:rembourser"),
        {"numero": stamp.number, "email": stamp.email, "confirmer": "1"},
    ).content.decode()
    assert "Ce timbre a déjà été utilisé : il ne peut pas être remboursé." in page
    assert Stamp.objects.get(pk=stamp.pk).state == StampState.CONSOMME


def test_refund_page_wrong_email_reveals_nothing(client):
    stamp = StampFactory()
    page = client.post(
        reverse("paiements:rembourser"), {"numero": stamp.number, "email": "x@y.fr"}
    ).content.decode()
    assert "Aucun timbre ne correspond à ce numéro et à cette adresse e-mail." in page


def test_pages_are_public(client):
    for name in ("boutique", "verifier", "rembourser"):
        assert client.get(reverse(f"paiements:{name}")).status_code == 200


def test_shop_in_english(client, settings):
    # French first: only the language switch (its cookie) selects English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("paiements:boutique"), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "Buy an electronic tax stamp" in content
    assert "Driving licence after loss or theft" in content
