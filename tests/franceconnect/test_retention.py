"""Retention rule of FranceConnect link requests (issue 17)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from titres.franceconnect.models import LinkRequest
from titres.franceconnect.retention import purge_link_requests

pytestmark = pytest.mark.django_db


def _request(user, expired_days_ago):
    return LinkRequest.objects.create(
        user=user,
        sub="sub",
        issuer="https://fc.example.fr",
        claims={"given_name": "Jean", "family_name": "Dupont"},
        expires_at=timezone.now() - timedelta(days=expired_days_ago),
    )


def test_link_requests_go_a_week_after_they_expired():
    user = UserFactory()
    old = _request(user, 8)
    kept = _request(user, 6)
    assert purge_link_requests(timezone.now()) == 1
    assert list(LinkRequest.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not LinkRequest.objects.filter(pk=old.pk).exists()
