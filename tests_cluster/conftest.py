"""The cluster for the whole run: the one already started by `make
cluster` (left running afterwards), or one started here and stopped at the
end (`make cluster-test` in CI)."""

import time

import pytest
from clusterctl import Cluster
from portal_client import Person

# Demo data loaded by scripts/cluster.sh (load_demo; printed by make cluster).
CITIZEN = ("demo-particulier", "Demo-Titres-2026!")
AGENT = ("agent.instructeur", "Agent-Titres-2026!")
AGENT_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

PROCESSES = [
    "redis",
    "s3",
    "smtp",
    "haproxy",
    "worker-default",
    "worker-mail",
    "worker-documents",
    "worker-production",
    "sealer",
    "scheduler1",
    "scheduler2",
    "app1",
    "app2",
]


@pytest.fixture(scope="session")
def cluster():
    cluster = Cluster()
    if not cluster.running():
        started = time.monotonic()
        cluster.start()
        print(f"\ncluster démarré en {time.monotonic() - started:.0f} s")
    cluster.flush_redis()
    yield cluster
    if cluster.started_here:
        print("\n" + cluster.stop())


@pytest.fixture
def healed(cluster):
    """Whatever a fault test broke is repaired after it: every process up,
    nothing frozen, the database relay open, both servers in the pool."""
    yield cluster
    cluster.restore_database()
    for name in PROCESSES:
        if cluster.alive(name):
            cluster.thaw(name)
        else:
            cluster.up(name)
    cluster.wait_server_state("app1", "UP")
    cluster.wait_server_state("app2", "UP")


@pytest.fixture
def person(cluster):
    return Person(cluster.base_url)


@pytest.fixture
def citizen(person):
    person.login(*CITIZEN)
    return person
