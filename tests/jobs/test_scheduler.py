"""Issue 16, "every periodic job scheduled": one active scheduler even with
several instances (a lease row taken by compare-and-set), each run recorded
and journaled, a failed or overdue job visible to operators."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.accounts.conftest import verified_login
from tests.accounts.factories import UserFactory
from titres.core.audit import AuditCode
from titres.core.journal import record_event, seal_pending
from titres.core.models import AuditEvent
from titres.jobs import lease
from titres.jobs.models import JobRun, RunStatus, ScheduledJob
from titres.jobs.schedule import DEFAULT_JOBS, periodic_jobs
from titres.jobs.scheduler import Scheduler, run_job

pytestmark = pytest.mark.django_db


class SampleEvent(AuditCode):
    ENTRY = "test.entree"


@pytest.fixture
def short_lease(settings):
    settings.SCHEDULER_LEASE_SECONDS = 30
    return settings


# --- the lease ---------------------------------------------------------------------


def test_the_lease_is_taken_by_one_instance_only(short_lease):
    assert lease.acquire("a") is True
    assert lease.acquire("b") is False
    assert lease.renew("b") is False
    assert lease.acquire("a") is True  # the holder renews
    assert lease.current().holder == "a"


def test_another_instance_takes_over_once_the_lease_expires(short_lease):
    start = timezone.now()
    with freeze_time(start):
        assert lease.acquire("a")
    with freeze_time(start + timedelta(seconds=29)):
        assert not lease.acquire("b")
    with freeze_time(start + timedelta(seconds=31)):
        # a stopped renewing (killed, frozen): b takes over, a cannot renew.
        assert lease.acquire("b")
        assert not lease.renew("a")
        state = lease.current()
        assert (state.holder, state.acquired_at) == ("b", timezone.now())


def test_a_released_lease_is_taken_at_once(short_lease):
    assert lease.acquire("a")
    assert lease.release("a")
    assert lease.acquire("b")
    assert not lease.release("a")  # no longer a's to give


# --- one run -----------------------------------------------------------------------


def test_a_run_is_recorded_and_journaled():
    assert lease.acquire("a")
    run = run_job("restore_suspended_accounts", instance="a")
    assert run.status == RunStatus.REUSSIE
    assert run.output.strip() == "0 compte(s) rétabli(s)."
    assert run.finished_at >= run.started_at
    state = ScheduledJob.objects.get(name="restore_suspended_accounts")
    assert state.next_run_at == run.started_at + timedelta(minutes=5)
    event = AuditEvent.objects.get(event="jobs.scheduled_run_succeeded")
    assert event.object_id == str(run.pk)
    assert event.data["tache"] == "restore_suspended_accounts"
    assert event.data["instance"] == "a"


def test_a_failing_job_is_recorded_with_its_error():
    # A tampered journal: the verification job must fail, loudly.
    record_event(SampleEvent.ENTRY, data={"montant": 25})
    seal_pending()
    victim = AuditEvent.objects.get(event="test.entree")
    AuditEvent.objects.filter(pk=victim.pk).update(data={"montant": 0})
    assert lease.acquire("a")
    run = run_job("verify_journal", instance="a")
    assert run.status == RunStatus.ECHOUEE
    assert run.error.startswith(f"Journal rompu à l'entrée n° {victim.sequence}")
    event = AuditEvent.objects.get(event="jobs.scheduled_run_failed")
    assert event.data["erreur"].startswith("Journal rompu")


def test_an_unexpected_exception_is_a_failed_run(monkeypatch):
    from titres.accounts.management.commands import restore_suspended_accounts

    def broken():
        raise RuntimeError("base illisible")

    monkeypatch.setattr(restore_suspended_accounts, "restore_expired_suspensions", broken)
    assert lease.acquire("a")
    run = run_job("restore_suspended_accounts", instance="a")
    assert (run.status, run.error) == (RunStatus.ECHOUEE, "RuntimeError: base illisible")


def test_an_instance_that_lost_the_lease_runs_nothing(short_lease):
    start = timezone.now()
    with freeze_time(start):
        assert lease.acquire("a")
    with freeze_time(start + timedelta(seconds=31)):
        assert lease.acquire("b")
        assert run_job("restore_suspended_accounts", instance="a") is None
    assert not JobRun.objects.exists()


def test_old_runs_are_pruned(settings):
    settings.SCHEDULER_RUNS_KEPT_DAYS = 90
    state = ScheduledJob.objects.create(name="reap_tasks")
    old = JobRun.objects.create(
        job=state, instance="x", started_at=timezone.now() - timedelta(days=91)
    )
    assert lease.acquire("a")
    run_job("reap_tasks", instance="a")
    assert not JobRun.objects.filter(pk=old.pk).exists()
    assert JobRun.objects.filter(job=state).count() == 1


# --- the scheduler -----------------------------------------------------------------


def test_the_leader_registers_every_job_keeping_the_rhythm(short_lease):
    now = timezone.now().replace(microsecond=0)
    ScheduledJob.objects.create(name="expire_drafts", next_run_at=now + timedelta(hours=5))
    ScheduledJob.objects.create(name="verify_journal", next_run_at=now - timedelta(hours=5))
    with freeze_time(now):
        leader = Scheduler("a", paused=True)
        assert leader.step() is True
    try:
        jobs = {job.id: job for job in leader.aps.get_jobs()}
        assert set(jobs) == {job.name for job in DEFAULT_JOBS}
        # Not reset by a restart: still due in 5 hours.
        assert jobs["expire_drafts"].next_run_time == now + timedelta(hours=5)
        # Missed while nobody led: due at once (run once, coalesced).
        assert jobs["verify_journal"].next_run_time == now
        assert jobs["restore_suspended_accounts"].trigger.interval == timedelta(minutes=5)
        assert AuditEvent.objects.get(event="jobs.scheduler_leading").data["instance"] == "a"
    finally:
        leader.shutdown()


def test_a_second_scheduler_waits_then_takes_over(short_lease):
    start = timezone.now()
    first, second = Scheduler("a", paused=True), Scheduler("b", paused=True)
    orphan_state = ScheduledJob.objects.create(name="reap_tasks")
    try:
        with freeze_time(start) as clock:
            assert first.step() is True
            assert second.step() is False
            assert second.aps is None
            # a runs a job, then freezes before finishing it.
            orphan = JobRun.objects.create(job=orphan_state, instance="a", started_at=start)
            clock.tick(31)
            assert second.step() is True
            # a wakes up: its renewal fails, it stops scheduling.
            assert first.step() is False
            assert first.aps is None
        orphan.refresh_from_db()
        assert orphan.status == RunStatus.INTERROMPUE
        assert orphan.error == "planificateur arrêté pendant l’exécution"
    finally:
        first.shutdown()
        second.shutdown()


@pytest.mark.django_db(transaction=True)  # the outage closes the connection
def test_a_database_outage_is_waited_out_then_the_lead_dropped(short_lease, monkeypatch):
    from titres.jobs import scheduler as scheduler_module

    leader = Scheduler("a", paused=True)
    try:
        with freeze_time(timezone.now()) as clock:
            assert leader.step() is True

            def down(*args, **kwargs):
                raise OperationalError("connection refused")

            monkeypatch.setattr(scheduler_module.lease, "renew", down)
            clock.tick(20)
            # Not sure of anything, but the lease surely lasts: keep leading.
            assert leader.step() is True
            clock.tick(11)
            # Past the lease: another instance may lead now; stop.
            assert leader.step() is False
    finally:
        leader.shutdown()


def test_a_clean_stop_releases_the_lease(short_lease):
    first = Scheduler("a", paused=True)
    first.step()
    first.shutdown()
    assert Scheduler("b", paused=True).step() is True
    lease.release("b")


def test_periods_can_be_changed_or_a_job_disabled(settings):
    settings.SCHEDULER_PERIODS = {"reap_tasks": 10, "sweep_orphan_files": 0}
    jobs = {job.name: job.period for job in periodic_jobs()}
    assert jobs["reap_tasks"] == 10
    assert "sweep_orphan_files" not in jobs
    settings.SCHEDULER_PERIODS = {"reap_task": 10}
    with pytest.raises(ValueError, match="tâche\\(s\\) inconnue\\(s\\) reap_task"):
        periodic_jobs()


# --- what operators see -----------------------------------------------------------


def _all_on_time(now):
    for job in periodic_jobs():
        ScheduledJob.objects.update_or_create(
            name=job.name, defaults={"next_run_at": now + timedelta(seconds=job.period)}
        )


def test_the_probe_is_green_when_a_scheduler_leads_and_jobs_are_on_time(client):
    _all_on_time(timezone.now())
    assert lease.acquire("a")
    response = client.get("/readyz/planificateur")
    assert response.status_code == 200, response.json()
    assert response.json()["scheduler"]["instance"] == "a"


def test_the_probe_reports_no_scheduler(client):
    _all_on_time(timezone.now())
    response = client.get("/readyz/planificateur")
    assert response.status_code == 503
    assert response.json()["scheduler"]["status"] == "erreur : aucun planificateur actif"


def test_a_failed_run_shows_in_the_probe_the_listing_and_the_admin(client, monkeypatch):
    from titres.accounts.management.commands import restore_suspended_accounts

    monkeypatch.setattr(
        restore_suspended_accounts,
        "restore_expired_suspensions",
        lambda: (_ for _ in ()).throw(RuntimeError("base illisible")),
    )
    _all_on_time(timezone.now())
    assert lease.acquire("a")
    run_job("restore_suspended_accounts", instance="a")

    body = client.get("/readyz/planificateur").json()
    assert body["status"] == "error"
    assert body["jobs"]["restore_suspended_accounts"]["status"] == (
        "erreur : dernière exécution en échec : RuntimeError: base illisible"
    )
    assert body["jobs"]["expire_drafts"]["status"] == "ok"

    with pytest.raises(CommandError, match="en difficulté : restore_suspended_accounts$"):
        call_command("schedule", "--check")

    operator = UserFactory(operator=True)
    verified_login(client, operator)
    url = reverse("admin:jobs_jobrun_changelist")
    page = client.get(url, {"status__exact": "echouee"}).content.decode()
    assert "restore_suspended_accounts" in page
    assert "RuntimeError: base illisible" in page


def test_an_overdue_job_is_reported(client, settings):
    settings.SCHEDULER_GRACE_SECONDS = 300
    now = timezone.now()
    _all_on_time(now)
    ScheduledJob.objects.filter(name="expire_stamps").update(
        next_run_at=now - timedelta(seconds=400)
    )
    assert lease.acquire("a")
    body = client.get("/readyz/planificateur").json()
    assert body["jobs"]["expire_stamps"]["status"].startswith("erreur : en retard de 40")


def test_a_citizen_cannot_open_the_runs(client):
    client.force_login(UserFactory())
    assert client.get(reverse("admin:jobs_jobrun_changelist")).status_code == 302


def test_the_schedule_listing(capsys):
    assert lease.acquire("a")
    run_job("reap_tasks", instance="a")
    call_command("schedule")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Planificateur actif : a (bail jusqu’à ")
    assert out[1].split() == ["tâche", "période", "prochaine", "dernière", "résultat"]
    rows = {line.split()[0]: line for line in out[2:]}
    assert set(rows) == {job.name for job in DEFAULT_JOBS}
    assert "1 min" in rows["reap_tasks"] and rows["reap_tasks"].endswith("réussie")
    assert "5 min" in rows["restore_suspended_accounts"]
    assert rows["verify_journal"].split()[1:3] == ["1", "j"]
    assert rows["verify_journal"].endswith("jamais exécutée")


def test_an_operator_runs_a_job_by_hand(capsys):
    # No lease needed: a deliberate run, recorded like the others.
    call_command("schedule", "--run", "expire_stamps")
    out = capsys.readouterr().out
    assert "0 timbre(s) expiré(s)" in out
    run = JobRun.objects.get(job__name="expire_stamps")
    assert run.instance.startswith("manuel:") and run.status == RunStatus.REUSSIE
    with pytest.raises(CommandError, match="Tâche inconnue « expire_stamp »"):
        call_command("schedule", "--run", "expire_stamp")
