import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from titres.core.models import AuditEvent
from titres.partenaires import services
from titres.partenaires.enums import PartnerState
from titres.partenaires.models import ApiToken, CallLog

from .factories import PartnerFactory, issue

pytestmark = pytest.mark.django_db


def days_before(token, days):
    return token.expires_at - dt.timedelta(days=days) + dt.timedelta(hours=1)


def run(django_capture_on_commit_callbacks, at):
    with freeze_time(at), django_capture_on_commit_callbacks(execute=True):
        call_command("notify_token_expiry")


def test_notices_at_90_30_and_7_days_once_each(mailoutbox, django_capture_on_commit_callbacks):
    token, _ = issue()
    run(django_capture_on_commit_callbacks, days_before(token, 120))
    assert mailoutbox == []
    for days in (90, 89, 30, 29, 7, 6):
        run(django_capture_on_commit_callbacks, days_before(token, days))
    subjects = [m.subject for m in mailoutbox]
    assert subjects == [
        "Votre jeton de l’API Titres « Aide à la mobilité » expire dans 90 jours",
        "Votre jeton de l’API Titres « Aide à la mobilité » expire dans 30 jours",
        "Votre jeton de l’API Titres « Aide à la mobilité » expire dans 7 jours",
    ]
    assert sorted(mailoutbox[0].to) == ["metier@exemple.fr", "technique@exemple.fr"]
    assert token.key_id in mailoutbox[0].body
    assert "tableau de bord" in mailoutbox[0].body
    token.refresh_from_db()
    assert token.expiry_notices == [90, 30, 7]
    assert AuditEvent.objects.filter(event="partenaires.token_expiry_notice").count() == 3


def test_a_late_first_run_sends_the_most_urgent_notice_only(
    mailoutbox, django_capture_on_commit_callbacks
):
    token, _ = issue()
    run(django_capture_on_commit_callbacks, days_before(token, 20))
    assert [m.subject for m in mailoutbox] == [
        "Votre jeton de l’API Titres « Aide à la mobilité » expire dans 20 jours"
    ]
    run(django_capture_on_commit_callbacks, days_before(token, 19))
    assert len(mailoutbox) == 1  # 90 and 30 count as sent


@pytest.mark.parametrize("case", ["revoked", "renewed", "suspended", "expired"])
def test_no_notice(case, mailoutbox, django_capture_on_commit_callbacks):
    token, _ = issue()
    at = days_before(token, 7)
    if case == "revoked":
        services.revoke_token(token=token, actor=None)
    elif case == "renewed":
        with freeze_time(days_before(token, 100)):
            services.renew_token(token=token, actor=None)  # the new one: 18 months on
    elif case == "suspended":
        token.partner.state = PartnerState.SUSPENDED
        token.partner.save()
    else:
        at = token.expires_at + dt.timedelta(days=1)
    run(django_capture_on_commit_callbacks, at)
    assert mailoutbox == []


def _log(token, at):
    return CallLog.objects.create(
        token=token,
        at=at,
        method="GET",
        path="/api/v1/vehicule",
        params_hash="0" * 64,
        status_code=200,
        latency_ms=2,
        request_id="r" * 8,
    )


def test_purge_after_two_years_without_use():
    now = timezone.now()
    idle, _ = issue()
    used, _ = issue(PartnerFactory(siret="21540395700008"))
    ApiToken.objects.filter(pk=idle.pk).update(
        created_at=now - dt.timedelta(days=1000), last_used_at=now - dt.timedelta(days=731)
    )
    ApiToken.objects.filter(pk=used.pk).update(
        created_at=now - dt.timedelta(days=1000), last_used_at=now - dt.timedelta(days=700)
    )
    old_idle = _log(idle, now - dt.timedelta(days=800))
    old_used = _log(used, now - dt.timedelta(days=800))
    anonymous_old = _log(None, now - dt.timedelta(days=731))
    anonymous_recent = _log(None, now - dt.timedelta(days=10))
    call_command("purge_call_logs")
    left = set(CallLog.objects.values_list("pk", flat=True))
    assert left == {old_used.pk, anonymous_recent.pk}
    assert old_idle.pk not in left and anonymous_old.pk not in left
    # A run by hand is journaled as the scheduled rule is: one entry.
    event = AuditEvent.objects.get(event="core.retention_purged")
    assert not AuditEvent.objects.filter(object_type="partenaires.calllog").exists()
    assert event.data == {"regle": "partenaires.CallLog", "action": "supprimer", "nombre": 2}
    # Nothing more to delete: nothing more deleted.
    call_command("purge_call_logs")
    assert AuditEvent.objects.filter(event="core.retention_purged").last().data["nombre"] == 0
    assert set(CallLog.objects.values_list("pk", flat=True)) == left


def test_a_never_used_token_counts_from_its_issue():
    now = timezone.now()
    token, _ = issue()
    ApiToken.objects.filter(pk=token.pk).update(created_at=now - dt.timedelta(days=740))
    _log(token, now - dt.timedelta(days=739))  # a refused call: no last use
    call_command("purge_call_logs")
    assert not CallLog.objects.exists()


def test_purge_works_in_batches(monkeypatch):
    from titres.partenaires import lifecycle

    monkeypatch.setattr(lifecycle, "PURGE_BATCH", 2)
    now = timezone.now()
    for days in range(5):
        _log(None, now - dt.timedelta(days=740 + days))
    assert lifecycle.purge_call_logs() == 5
