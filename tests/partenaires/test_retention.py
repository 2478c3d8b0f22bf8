"""Retention rule of partner call logs (issue 17, seed 004: two years
without use of the service)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.partenaires.factories import PartnerFactory, issue
from titres.core.data_retention import purge_all
from titres.core.models import AuditEvent
from titres.partenaires.models import ApiToken, CallLog
from titres.partenaires.retention import purge_call_logs

pytestmark = pytest.mark.django_db


def _call(token, days_ago):
    return CallLog.objects.create(
        token=token,
        at=timezone.now() - timedelta(days=days_ago),
        method="GET",
        path="/api/v1/permis",
        params_hash="0" * 64,
        status_code=200,
        latency_ms=3,
        request_id="r",
    )


def test_calls_go_two_years_after_the_tokens_last_use():
    partner = PartnerFactory()
    idle, _ = issue(partner)
    busy, _ = issue(partner)
    now = timezone.now()
    ApiToken.objects.filter(pk=idle.pk).update(last_used_at=now - timedelta(days=731))
    ApiToken.objects.filter(pk=busy.pk).update(last_used_at=now - timedelta(days=10))
    _call(idle, 800)
    _call(idle, 731)
    old_but_busy = _call(busy, 900)  # the token is still used: its history stays
    anonymous_old = _call(None, 731)
    anonymous_recent = _call(None, 10)
    assert purge_call_logs(now) == 3
    assert set(CallLog.objects.values_list("pk", flat=True)) == {
        old_but_busy.pk,
        anonymous_recent.pk,
    }
    assert not CallLog.objects.filter(pk=anonymous_old.pk).exists()


def test_a_never_used_token_counts_from_its_creation():
    token, _ = issue()
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=731), last_used_at=None
    )
    _call(token, 731)
    assert purge_call_logs(timezone.now()) == 1


def test_the_scheduled_purge_journals_the_call_logs_once():
    """purge_all (the daily purge_personal_data) writes one entry for the
    call logs: the rule's, with the count, and none from the partner app."""
    _call(None, 800)
    _call(None, 900)
    results = {result.rule.key: result.count for result in purge_all()}
    assert results["partenaires.CallLog"] == 2
    entries = [
        entry
        for entry in AuditEvent.objects.all()
        if entry.event.startswith("partenaires.")
        or entry.data.get("regle") == "partenaires.CallLog"
    ]
    assert [(entry.event, entry.data["nombre"]) for entry in entries] == [
        ("core.retention_purged", 2)
    ]
