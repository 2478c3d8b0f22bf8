"""A bounded mixed load on both app servers: browsing, sign-ins, drafts,
uploads and agents' searches by a few concurrent people for SOAK_SECONDS
(30 s in `make cluster-test`, 600 s with `make soak`). No error is
accepted; the 95th percentile of each page and the memory of each process
at the start and the end are printed."""

import os
import random
import re
import threading
import time
from collections import defaultdict

import pytest
from journeys import (
    PASSWORD,
    agent_login,
    minimal_pdf,
    sign_up,
    start_licence_request,
)
from portal_client import Person

from conftest import AGENT_TOTP_SECRET, PROCESSES

pytestmark = pytest.mark.soak

SECONDS = float(os.environ.get("SOAK_SECONDS", "30"))
CITIZENS = 3
# Agents other than the journey's, so their one-time codes never collide.
SOAK_AGENT = ("chef.service", "Agent-Titres-2026!")
PUBLIC_PAGES = ["/", "/accessibilite/", "/permis/photographes/", "/timbres/", "/healthz"]


class Load:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors: list[str] = []
        self.requests = 0
        self.servers = defaultdict(int)

    def record(self, person: Person, since: int, page: str) -> None:
        with self.lock:
            for hit in person.hits[since:]:
                self.requests += 1
                self.servers[hit.server] += 1
                self.times[f"{hit.method} {page_of(hit.path)}"].append(hit.seconds)
                if hit.status >= 400:
                    self.errors.append(f"{hit.method} {hit.path} → {hit.status} ({hit.server})")

    def fail(self, page: str, error: BaseException) -> None:
        with self.lock:
            self.errors.append(f"{page}: {error.__class__.__name__}: {error}"[:500])


def page_of(path: str) -> str:
    """The page, whatever the file or document: /demarches/<n>/etapes/adresse/."""
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", path)
    path = re.sub(r"/[0-9A-Z]{12}/", "/<n>/", path)
    return re.sub(r"/(activation|paiement|banque)/[^/]+/", r"/\1/<jeton>/", path)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def memory(cluster) -> dict[str, int]:
    return {name: cluster.rss_kib(name) for name in PROCESSES}


def test_soak_mixed_load_on_both_servers(cluster):
    accounts = []
    for _ in range(CITIZENS):
        person = Person(cluster.base_url)
        accounts.append(sign_up(cluster, person)[0])
    load = Load()
    deadline = time.monotonic() + SECONDS

    def act(person: Person, page: str, action) -> None:
        since = len(person.hits)
        try:
            action()
        except Exception as error:  # noqa: BLE001 - every failure is counted
            load.fail(page, error)
        load.record(person, since, page)

    def citizen(username: str, seed: int) -> None:
        rng = random.Random(seed)
        person = Person(cluster.base_url)
        act(person, "connexion", lambda: person.login(username, PASSWORD))
        draft = None
        while time.monotonic() < deadline:
            choice = rng.random()
            if choice < 0.35:
                path = rng.choice(PUBLIC_PAGES)
                act(person, f"GET {path}", lambda path=path: person.open(path))
            elif choice < 0.5:
                act(person, "tableau de bord", lambda: person.open("/tableau-de-bord/"))
            elif choice < 0.65 or draft is None:

                def new_draft():
                    nonlocal draft
                    draft = start_licence_request(person)

                act(person, "brouillon (étapes 1 à 3)", new_draft)
            elif choice < 0.8:

                def upload():
                    person.open(f"/demarches/{draft}/etapes/adresse/")
                    response = person.post(
                        f"/demarches/{draft}/pieces/domicile/",
                        {"next": f"/demarches/{draft}/etapes/adresse/"},
                        files={"file": ("domicile.pdf", minimal_pdf(1, draft), "application/pdf")},
                    )
                    assert response.status_code == 302, (response.status_code, response.text[:500])
                    person.follow(response)

                act(person, "envoi d’un document", upload)
            elif choice < 0.9:
                act(person, "mes démarches", lambda: person.open("/demarches/"))
            else:

                def relogin():
                    person.open("/tableau-de-bord/")
                    person.submit(action="/compte/deconnexion/")
                    person.login(username, PASSWORD)

                act(person, "déconnexion et connexion", relogin)

    def agent() -> None:
        rng = random.Random(7)
        person = Person(cluster.base_url)
        act(person, "connexion agent", lambda: agent_login(person, *SOAK_AGENT, AGENT_TOTP_SECRET))
        names = ["CORNEILLE", "MARTIN", "DUBOIS", "RACINE", "MOLIERE"]
        while time.monotonic() < deadline:
            if rng.random() < 0.7:
                query = f"/agent/autorite/543/recherche/?nom={rng.choice(names)}"
                act(person, "recherche agent", lambda query=query: person.open(query))
            else:
                act(person, "liste agent", lambda: person.open("/agent/autorite/543/"))
            time.sleep(0.2)

    # The first round warms every process up (imports, caches) before the
    # memory taken as the start.
    warm = Person(cluster.base_url)
    for path in PUBLIC_PAGES * 4:
        warm.open(path)
    before = memory(cluster)
    threads = [
        threading.Thread(target=citizen, args=(username, seed))
        for seed, username in enumerate(accounts)
    ] + [threading.Thread(target=agent)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 120)
    elapsed = time.monotonic() - started
    after = memory(cluster)

    print(
        f"\nCharge mixte : {load.requests} requêtes en {elapsed:.0f} s, {len(load.errors)} erreur(s)"
    )
    print(f"  {'page':50} {'n':>6} {'p95 (ms)':>9}")
    for page, values in sorted(load.times.items()):
        print(f"  {page:50} {len(values):>6} {p95(values) * 1000:>9.0f}")
    print(f"  {'processus':20} {'RSS début (Mio)':>16} {'RSS fin (Mio)':>14}")
    for name in PROCESSES:
        print(f"  {name:20} {before[name] / 1024:>16.0f} {after[name] / 1024:>14.0f}")
    assert not load.errors, load.errors[:20]
    assert load.requests > SECONDS, load.requests
    print(f"  par serveur : {dict(sorted(load.servers.items()))}")
    # Both servers carried the load (round robin: about half each).
    for name in ("app1", "app2"):
        assert load.servers[name] > load.requests / 3, dict(load.servers)
    # Flat: no process of the cluster more than doubles (gunicorn recycles
    # its workers every ~2,000 requests, which bounds slow growth too).
    for name in PROCESSES:
        assert after[name] < 2 * before[name] + 20 * 1024, (name, before[name], after[name])
