import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.accounts.factories import UserFactory
from titres.accounts.enums import Profile
from titres.partenaires import stats
from titres.partenaires.models import CallLog

from .factories import PartnerFactory, issue

pytestmark = pytest.mark.django_db

URL = "/partenaires/tableau-de-bord/"


def _call(token, at, status=200, code=""):
    return CallLog.objects.create(
        token=token,
        at=at,
        method="GET",
        path="/api/v1/vehicule",
        params_hash="0" * 64,
        status_code=status,
        error_code=code,
        latency_ms=4,
        request_id="appel-" + at.strftime("%H%M%S%f"),
    )


@pytest.fixture
def member():
    return UserFactory(profile=Profile.PERSONNE_MORALE)


def test_member_sees_tokens_calls_and_errors(client, member):
    token, secret = issue()
    token.partner.members.add(member)
    now = timezone.now()
    _call(token, now - dt.timedelta(minutes=2))
    _call(token, now - dt.timedelta(minutes=1), status=404, code="00404")
    other, _ = issue(PartnerFactory(siret="21540395700008"))
    _call(other, now, status=429, code="00429")
    client.force_login(member)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert token.partner.name in page and token.key_id in page
    assert secret not in page  # shown once, at issue, never again
    assert "Permis : état et validité" in page
    assert "00404" in page
    assert "00429" not in page and other.key_id not in page  # another partner's
    assert page.count("<svg") == 3
    assert response.context["last_errors"][0].error_code == "00404"


def test_not_a_member_gets_404(client, member):
    issue()
    client.force_login(member)
    assert client.get(URL).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "connexion" in response["Location"] or "login" in response["Location"]


def test_usage_counts_per_period():
    token, _ = issue()
    with freeze_time("2026-12-02 10:30:30+01:00"):
        now = timezone.now()
        _call(token, now - dt.timedelta(seconds=10))
        _call(token, now - dt.timedelta(seconds=20), status=500, code="00500")
        _call(token, now - dt.timedelta(minutes=3))
        _call(token, now - dt.timedelta(hours=5))
        _call(token, now - dt.timedelta(days=3))
        _call(token, now - dt.timedelta(days=9))  # outside every chart
        minutes, hours, days = stats.usage(token.partner, now=now)
    assert [len(minutes.bars), len(hours.bars), len(days.bars)] == [10, 30, 8]
    assert (minutes.total, hours.total, days.total) == (3, 4, 5)
    last = minutes.bars[-1]
    assert (last.label, last.calls, last.errors) == ("10:30", 2, 1)
    assert last.height == stats.CHART_HEIGHT and last.y == 0
    assert minutes.bars[-4].calls == 1 and minutes.bars[-4].label == "10:27"
    assert days.bars[-4].label == "29/11"
