"""The retention registry and its purge (issue 17): every rule with a purge
runs, journaled with its count; the dev mailbox rule; the scheduled job."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from titres.core.data_retention import Action, RetentionRule, apply, purge_all, rules
from titres.core.models import AuditEvent, MailboxMessage
from titres.core.retention import purge_mailbox
from titres.jobs.schedule import periodic_jobs

pytestmark = pytest.mark.django_db


def _mail(days_ago):
    message = MailboxMessage.objects.create(
        subject="Activez votre compte", from_email="t@x", to=["a@exemple.fr"], body="b", raw="r"
    )
    MailboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return message


def test_the_dev_mailbox_keeps_30_days():
    _mail(31)
    kept = _mail(29)
    assert purge_mailbox(timezone.now()) == 1
    assert list(MailboxMessage.objects.values_list("pk", flat=True)) == [kept.pk]


def test_each_purge_is_journaled_with_its_count():
    _mail(31)
    _mail(40)
    results = {result.rule.key: result.count for result in purge_all()}
    assert results["core.MailboxMessage"] == 2
    assert set(results) == {rule.key for rule in rules() if rule.purge is not None}
    event = AuditEvent.objects.get(event="core.retention_purged", data__regle="core.MailboxMessage")
    assert event.data == {"regle": "core.MailboxMessage", "action": "supprimer", "nombre": 2}
    assert AuditEvent.objects.filter(event="core.retention_purged").count() == len(results)


def test_a_failing_purge_leaves_no_half_done_work():
    _mail(31)

    def delete_then_fail(now):
        purge_mailbox(now)
        raise RuntimeError("stockage injoignable")

    rule = RetentionRule("core.MailboxMessage", "d", "d", "b", Action.SUPPRIMER, delete_then_fail)
    with pytest.raises(RuntimeError):
        apply(rule, now=timezone.now())
    assert MailboxMessage.objects.count() == 1
    assert not AuditEvent.objects.filter(event="core.retention_purged").exists()


def test_the_command_prints_the_counts_and_the_scheduler_runs_it(capsys):
    _mail(31)
    call_command("purge_personal_data")
    out = capsys.readouterr().out
    assert "core.MailboxMessage (supprimer) : 1" in out
    assert out.rstrip().endswith("règle(s).")
    assert "purge_personal_data" in {job.command for job in periodic_jobs()}
