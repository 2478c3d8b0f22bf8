"""Retention rules of accounts (issue 17): never-activated sign-ups, login counters."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from titres.accounts.models import LoginThrottle, User
from titres.accounts.retention import purge_login_counters, purge_unactivated_signups

pytestmark = pytest.mark.django_db


def test_a_sign_up_never_activated_goes_7_days_after_its_link_expired(settings):
    settings.ACCOUNT_ACTIVATION_HOURS = 48
    now = timezone.now()
    old = UserFactory(pending=True, date_joined=now - timedelta(days=9, minutes=1))
    recent = UserFactory(pending=True, date_joined=now - timedelta(days=8, hours=23))
    active = UserFactory(date_joined=now - timedelta(days=400))
    # Deactivated by an operator after having used the account: kept.
    used = UserFactory(pending=True, date_joined=now - timedelta(days=400), last_login=now)
    assert purge_unactivated_signups(now) == 1
    assert set(User.objects.values_list("pk", flat=True)) == {recent.pk, active.pk, used.pk}
    assert not User.objects.filter(pk=old.pk).exists()


def test_login_counters_go_once_their_window_passed(settings):
    settings.ACCOUNT_LOCKOUT_WINDOW_SECONDS = 900
    now = timezone.now()
    LoginThrottle.objects.create(
        scope="ip", key="a" * 64, failures=3, last_failure_at=now - timedelta(seconds=901)
    )
    kept = LoginThrottle.objects.create(
        scope="ip", key="b" * 64, failures=3, last_failure_at=now - timedelta(seconds=100)
    )
    locked = LoginThrottle.objects.create(
        scope="account",
        key="c" * 64,
        failures=9,
        last_failure_at=now - timedelta(seconds=901),
        locked_until=now + timedelta(hours=1),
    )
    assert purge_login_counters(now) == 1
    assert set(LoginThrottle.objects.values_list("pk", flat=True)) == {kept.pk, locked.pk}
