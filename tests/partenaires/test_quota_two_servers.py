"""The per-token quota across two app server processes sharing Redis (and
PostgreSQL): 20 calls pass, the 21st gets 429 `00429` whichever server
answers; and a token both servers keep (tokencache.py) is refused by both
on the very next call once revoked. Two gunicorn processes on free 127.0.0.1 ports serve the test's
database; the calls alternate between them.

The servers count "20/minute" (PARTENAIRES_TOKEN_LIMIT) instead of
"20/second": the same moving window through the same code, so that a
loaded machine cannot spread the 21 calls over two windows."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from titres.partenaires import services
from titres.partenaires.enums import Scope

from .factories import RECIPIENT, issue

REDIS_URL = os.environ.get("REDIS_URL", "")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (REDIS_URL.startswith("redis://") and DATABASE_URL.startswith("postgres")),
        reason="REDIS_URL (redis://…) et DATABASE_URL (postgres://…) requis : deux serveurs "
        "d’application partagent le quota par Redis et les jetons par PostgreSQL",
    ),
]


QUERY = {
    "neph": "000000000000",
    "nom": "X",
    "prenoms": "Y",
    "date_naissance": "2000-01-01",
    "recipient": RECIPIENT,
    "context": "Test de quota",
    "object": "Deux serveurs",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(base: str, process) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur {base} s’est arrêté ({process.returncode})")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError(f"le serveur {base} ne répond pas")


@pytest.fixture
def servers(tmp_path):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DEBUG": "1",
        "SECRET_KEY": settings.SECRET_KEY,  # token hashes are keyed by it
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "PARTENAIRES_TOKEN_LIMIT": "20/minute",
        # The test's own prefix: the stamp its services write (tokencache.py)
        # is the one the servers check.
        "CACHE_KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"],
        "PYTHONPATH": str(ROOT),
    }
    processes, bases = [], []
    try:
        for index in range(2):
            port = _free_port()
            log = (tmp_path / f"server-{index}.log").open("w")
            processes.append(
                subprocess.Popen(
                    [
                        str(Path(sys.executable).parent / "gunicorn"),
                        "titres.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            _wait_ready(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_21st_call_is_refused_whichever_server_answers(servers):
    _, secret = issue(scopes=[Scope.PERMIS_VALIDITE])
    query = QUERY
    http = requests.Session()
    answers = []
    for index in range(22):
        base = servers[index % 2]
        response = http.get(
            f"{base}/api/v1/permis-de-conduire",
            params={**query, "object": f"Deux serveurs {index}"},
            headers={"Authorization": f"Bearer {secret}"},
            timeout=30,
        )
        answers.append(response)
    http.close()
    statuses = [r.status_code for r in answers]
    assert 429 not in statuses[:20], statuses
    assert {r.headers["RateLimit-Limit"] for r in answers} == {"20"}
    assert [r.headers["RateLimit-Remaining"] for r in answers[:20]] == [
        str(19 - i) for i in range(20)
    ]
    # The 21st on the first server, the 22nd on the second: both refused.
    for refused in answers[20:]:
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["code"] == "00429"
        assert int(refused.headers["Retry-After"]) >= 1


def test_revoked_token_refused_by_both_servers_on_the_next_call(servers):
    token, secret = issue(scopes=[Scope.PERMIS_VALIDITE])
    http = requests.Session()

    def statuses(tag):
        return [
            http.get(
                f"{base}/api/v1/permis-de-conduire",
                params={**QUERY, "object": f"{tag} {index}"},
                headers={"Authorization": f"Bearer {secret}"},
                timeout=30,
            ).status_code
            for index, base in enumerate(servers)
        ]

    # Admitted (the answer is about the parameters); each server keeps it.
    assert 401 not in statuses("avant")
    assert 401 not in statuses("gardé")
    services.revoke_token(token=token, actor=None)  # committed: a new stamp
    assert statuses("après") == [401, 401]
    http.close()
