"""The public stamp pages are limited per IP address (numbers cannot be
tried in bulk)."""

import pytest
from django.urls import reverse

from titres.paiements import views
from titres.paiements.enums import StampState
from titres.paiements.models import Stamp

from .factories import StampFactory

pytestmark = pytest.mark.django_db

VERIFY_LIMITED = (
    "Trop de vérifications de timbres depuis votre adresse réseau. Réessayez dans une heure."
)
REFUND_LIMITED = (
    "Trop de demandes de remboursement depuis votre adresse réseau. Réessayez dans une heure."
)


def test_default_limit_is_30_per_hour():
    assert views.PUBLIC_LOOKUP_LIMIT == "30/hour"


def test_stamp_check_is_limited_per_ip(client, monkeypatch):
    monkeypatch.setattr(views, "PUBLIC_LOOKUP_LIMIT", "2/hour")
    stamp = StampFactory()
    url = reverse("paiements:verifier")
    for _ in range(2):
        page = client.get(url, {"numero": stamp.number}, REMOTE_ADDR="192.0.2.1")
        assert page.status_code == 200 and "Disponible" in page.content.decode()
    limited = client.get(url, {"numero": stamp.number}, REMOTE_ADDR="192.0.2.1")
    assert limited.status_code == 429
    html = limited.content.decode()
    assert VERIFY_LIMITED in html
    assert "Disponible" not in html
    # Another address is not affected.
    assert client.get(url, {"numero": stamp.number}, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_refund_is_limited_per_ip(client, monkeypatch):
    monkeypatch.setattr(views, "PUBLIC_LOOKUP_LIMIT", "1/hour")
    stamp = StampFactory(email="lea@exemple.fr")
    url = reverse("paiements:rembourser")
    data = {"numero": stamp.number, "email": "lea@exemple.fr"}
    assert client.post(url, data, REMOTE_ADDR="192.0.2.1").status_code == 200
    limited = client.post(url, {**data, "confirmer": "1"}, REMOTE_ADDR="192.0.2.1")
    assert limited.status_code == 429
    assert REFUND_LIMITED in limited.content.decode()
    assert Stamp.objects.get(pk=stamp.pk).state == StampState.DISPONIBLE
