"""Security review: the FranceConnect link is keyed on (issuer, sub), and a
script calling the callback in a loop cannot flood the journal."""

import pytest

from titres.core.models import AuditEvent, RefusalTally
from titres.franceconnect.models import FranceConnectIdentity

from .factories import FranceConnectIdentityFactory

pytestmark = pytest.mark.django_db


def test_same_sub_from_another_issuer_is_another_person(client, fc, provider):
    # OpenID Connect: `sub` is only unique within one issuer.
    stranger = FranceConnectIdentityFactory(sub=provider.sub, issuer="https://autre-idp.test/")
    response = fc.sign_in()
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) != stranger.user_id
    assert FranceConnectIdentity.objects.filter(sub=provider.sub).count() == 2


def test_same_issuer_and_sub_is_the_same_account(client, fc, provider):
    known = FranceConnectIdentityFactory(sub=provider.sub, issuer="https://fc.test/api/v2")
    assert fc.sign_in().status_code == 302
    assert int(client.session["_auth_user_id"]) == known.user_id


def test_issuer_and_sub_are_unique_together():
    from django.db import IntegrityError

    FranceConnectIdentityFactory(sub="s1", issuer="https://a.test/")
    FranceConnectIdentityFactory(sub="s1", issuer="https://b.test/")
    with pytest.raises(IntegrityError):
        FranceConnectIdentityFactory(sub="s1", issuer="https://a.test/")


def test_anonymous_callback_refusals_are_aggregated(client, provider):
    for _ in range(25):
        assert client.get("/franceconnect/callback/").status_code == 400
    events = AuditEvent.objects.filter(event="franceconnect.login_refused")
    assert events.count() == 1
    assert "agregation" in events.get().data
    tally = RefusalTally.objects.get(event="franceconnect.login_refused")
    assert tally.count == 25
    # Another reason is journaled once too, so operators see each kind.
    client.get("/franceconnect/callback/", {"error": "access_denied", "state": "x"})
    assert events.count() == 2


def test_refusals_from_many_addresses_are_capped(client, provider, monkeypatch):
    from titres.core import refusals

    monkeypatch.setattr(refusals, "MAX_SOURCES", 3)
    for i in range(10):
        client.get("/franceconnect/callback/", REMOTE_ADDR=f"192.0.2.{i + 1}")
    assert AuditEvent.objects.filter(event="franceconnect.login_refused").count() == 4
    assert RefusalTally.objects.get(source="*").count == 7
