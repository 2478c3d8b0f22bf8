"""Faults injected on the cluster's own processes (never on the machine's
shared PostgreSQL or Redis): what a person sees while it lasts, what the
operators' probes say, and that everything saved before is still there
once it is over."""

import re
import time

from journeys import (
    PASSWORD,
    mail_to,
    minimal_pdf,
    next_step,
    sign_up,
    start_licence_request,
)
from portal_client import Person, text_of

OUTAGE_PAGE = "Service momentanément indisponible"


def saved_answers(cluster, number: str) -> dict:
    rows = cluster.sql("SELECT answers FROM procedures_demarche WHERE number = %s", number)
    assert rows, number
    return rows[0][0]


def test_an_app_server_killed_mid_journey(healed, person):
    cluster = healed
    sign_up(cluster, person)
    number = start_licence_request(person)
    before = saved_answers(cluster, number)
    victim = person.last_server
    survivor = {"app1": "app2", "app2": "app1"}[victim]

    # SIGKILL of the whole server (master and workers) between two steps,
    # before the load balancer's health check has noticed: the next
    # requests (the load balancer would send every other one to the dead
    # server) are all answered by the other one.
    cluster.kill(victim)
    started = time.monotonic()
    for _ in range(3):
        person.open(f"/demarches/{number}/etapes/adresse/")
    next_step(person, {"complement": "Bâtiment B"}, "photo")
    assert time.monotonic() - started < 5
    assert {hit.server for hit in person.hits[-5:]} == {survivor}
    assert saved_answers(cluster, number) == {
        **before,
        "adresse": {**before["adresse"], "complement": "Bâtiment B"},
    }
    cluster.wait_server_state(victim, "DOWN", timeout=10)

    # Restarted, it is taken back into the pool and the session goes on.
    cluster.up(victim)
    cluster.wait_server_state(victim, "UP", timeout=60)
    for _ in range(4):
        person.open(f"/demarches/{number}/etapes/adresse/")
    assert {hit.server for hit in person.hits[-4:]} == {"app1", "app2"}


def test_a_worker_killed_mid_job_runs_it_again_once(healed, person):
    """The mail server hangs, the mail worker is killed while it waits on
    it: the lease expires, a live worker's reaper puts the task back, the
    restarted mail worker sends it — one e-mail, two attempts, journaled."""
    cluster = healed
    username, address = sign_up(cluster, person)
    anonymous = Person(cluster.base_url)
    cluster.freeze("smtp")
    anonymous.open("/compte/mot-de-passe-oublie/")
    anonymous.submit({"identifier": username}, action="/compte/mot-de-passe-oublie/")

    def running_task():
        rows = cluster.sql(
            "SELECT t.id FROM django_tasks_database_dbtaskresult t "
            "WHERE t.queue_name = 'mail' AND t.status = 'RUNNING' "
            "AND t.args_kwargs::text LIKE %s",
            f"%{address}%",
        )
        return rows[0][0] if rows else None

    task_id = _wait(running_task, 30, "the reset mail never started")
    cluster.kill("worker-mail")
    cluster.thaw("smtp")

    # Another queue's worker reaps the expired lease (6 s) while the mail
    # worker is down.
    def status():
        return cluster.sql(
            "SELECT t.status, l.attempts FROM django_tasks_database_dbtaskresult t "
            "JOIN jobs_tasklease l ON l.task_id = t.id WHERE t.id = %s",
            task_id,
        )[0]

    _wait(lambda: status()[0] == "READY", 30, "the reaper did not give the task back")
    requeued = cluster.sql(
        "SELECT data FROM core_auditevent WHERE event = 'jobs.task_requeued' AND object_id = %s",
        str(task_id),
    )
    assert len(requeued) == 1, requeued
    cluster.up("worker-mail")
    _wait(lambda: status()[0] == "SUCCESSFUL", 60, "the task was not run again")
    assert status() == ("SUCCESSFUL", 2)
    body = mail_to(cluster, address, "Choisissez un nouveau mot de passe")
    # The link was made when the mail left: it opens the new password form.
    link = re.search(r"https?://\S+/compte/mot-de-passe-oublie/[^/\s]+/[^/\s]+/", body)
    assert link, body
    page = person.open(link.group(0))
    assert "new_password1" in page.text, text_of(page.text)[:2000]
    resets = [
        m
        for m in cluster.mails()
        if address in str(m["To"]) and "nouveau mot de passe" in str(m["Subject"])
    ]
    assert len(resets) == 1, [str(m["Subject"]) for m in resets]


def test_redis_stopped_then_hung_degrades_and_recovers(healed, person):
    cluster = healed
    username, _address = sign_up(cluster, person)
    number = start_licence_request(person)

    cluster.down("redis")
    # Signed-in people stay signed in (sessions are in the database),
    # pages and forms work, a new sign-in works (lockouts are in the
    # database, rate limits count in each process meanwhile).
    for _ in range(4):
        page = person.open(f"/demarches/{number}/etapes/adresse/")
        assert "Se déconnecter" in text_of(page.text)
    next_step(person, {"code_postal": "54000", "commune": "Nancy"}, "photo")
    other = Person(cluster.base_url)
    other.login(username, PASSWORD)
    # Operators see it: /readyz fails on the cache (after its 5 s memo).
    ready = _wait(lambda: _readyz_failing(cluster, "cache"), 15, "/readyz stayed green")
    assert ready["checks"]["database"] == "ok"

    cluster.up("redis")
    _wait(lambda: cluster.readyz().status_code == 200, 20, "/readyz did not recover")
    page = person.open(f"/demarches/{number}/etapes/adresse/")
    assert "Se déconnecter" in text_of(page.text)

    # Hung (SIGSTOP): every call to Redis gives up after 0.5 s; a page
    # takes a few of them, never the client's default minutes.
    cluster.freeze("redis")
    slowest = 0.0
    for _ in range(4):
        started = time.monotonic()
        page = person.open(f"/demarches/{number}/etapes/adresse/")
        slowest = max(slowest, time.monotonic() - started)
        assert "Se déconnecter" in text_of(page.text)
    print(f"\nRedis figé : page la plus lente {slowest:.1f} s")
    assert slowest < 5
    cluster.thaw("redis")
    _wait(lambda: cluster.readyz().status_code == 200, 20, "/readyz did not recover")


def test_database_cut_gives_a_french_503_and_loses_nothing(healed, person):
    cluster = healed
    sign_up(cluster, person)
    number = start_licence_request(person)
    answers = saved_answers(cluster, number)
    workers = {name: cluster.pid(name) for name in _workers()}
    person.open(f"/demarches/{number}/etapes/adresse/")

    cluster.cut_database()
    try:
        response = person.get(f"/demarches/{number}/etapes/etat_civil/")
        assert response.status_code == 503
        assert OUTAGE_PAGE in text_of(response.text)
        assert "Ce que vous aviez déjà enregistré est conservé" in text_of(response.text)
        assert response.headers.get("Retry-After")
        # A form sent during the outage is refused the same way, on both servers.
        for _ in range(2):
            response = person.submit(
                {"code_postal": "75011"}, button=("action", "next"), follow=False
            )
            assert response.status_code == 503
            assert OUTAGE_PAGE in text_of(response.text)
        assert {hit.server for hit in person.hits[-2:]} == {"app1", "app2"}
        ready = _wait(lambda: _readyz_failing(cluster, "database"), 15, "/readyz stayed green")
        assert ready["status"] == "error"
        # The servers stay in the pool (the process answers /healthz), so
        # people get the portal's page, not a connection error.
        assert cluster.server_state("app1") == "UP" and cluster.server_state("app2") == "UP"
        time.sleep(3)
        # Workers wait the outage out instead of dying.
        assert all(cluster.alive(name) for name in workers)
    finally:
        cluster.restore_database()

    _wait(lambda: cluster.readyz().status_code == 200, 30, "/readyz did not recover")
    page = person.open(f"/demarches/{number}/etapes/adresse/")
    assert "Se déconnecter" in text_of(page.text)
    assert saved_answers(cluster, number) == answers
    assert {name: cluster.pid(name) for name in workers} == workers
    # The workers work again: a document uploaded now is scanned.
    next_step(person, None, "photo")
    person.open(f"/demarches/{number}/etapes/pieces/")
    response = person.submit(
        action=f"/demarches/{number}/pieces/domicile/",
        files={"file": ("domicile.pdf", minimal_pdf(1, number), "application/pdf")},
    )
    assert response.status_code == 200

    def scanned():
        page = person.open(f"/demarches/{number}/etapes/pieces/")
        return "Document valide" in text_of(page.text)

    _wait(scanned, 60, "the documents worker did not resume")


def test_one_scheduler_active_and_the_other_takes_over(healed):
    """Two schedulers run (one beside each app server): one holds the lease;
    killed, it is replaced by the other within the lease (6 s)."""
    cluster = healed

    def holder():
        rows = cluster.sql("SELECT holder FROM jobs_schedulerlease WHERE expires_at > now()")
        return rows[0][0] if rows and rows[0][0] else None

    active = _wait(holder, 30, "no scheduler holds the lease")
    assert active in ("cluster-scheduler1", "cluster-scheduler2")
    probe = cluster.readyz("/readyz/planificateur")
    assert probe.status_code == 200, probe.text
    victim = active.removeprefix("cluster-")
    cluster.kill(victim)
    other = {"scheduler1": "cluster-scheduler2", "scheduler2": "cluster-scheduler1"}[victim]
    _wait(lambda: holder() == other, 30, "the other scheduler did not take over")

    def journaled():
        # The lease row is written before the new leader has built its jobs
        # and journaled that it leads: wait for the event rather than read it
        # the instant the holder changes.
        rows = cluster.sql(
            "SELECT count(*) FROM core_auditevent WHERE event = 'jobs.scheduler_leading' "
            "AND data::text LIKE %s",
            f"%{other}%",
        )
        return rows[0][0] >= 1 or None

    _wait(journaled, 15, "the new leader did not journal that it leads")
    assert cluster.readyz("/readyz/planificateur").status_code == 200


def _workers():
    return [
        "worker-default",
        "worker-mail",
        "worker-documents",
        "worker-production",
        "sealer",
        "scheduler1",
        "scheduler2",
    ]


def _readyz_failing(cluster, check: str):
    response = cluster.readyz()
    if response.status_code != 503:
        return None
    body = response.json()
    return body if body["checks"][check] != "ok" else None


def _wait(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, message
        time.sleep(0.2)
