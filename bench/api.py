"""Benchmark of the partner API's licence call against a bare endpoint.

    make bench-api                       # SQLite file in a temporary folder
    DATABASE_URL=postgres://… make bench-api   # dedicated database bench_api
    .venv/bin/python bench/api.py [--calls 2000]

Measured in the same run, through the same WSGI handler and middleware:
- the licence verification `GET /api/v1/permis-de-conduire` with a token
  (bearer auth, hash check on the token this process keeps, its stamp
  checked in the admission script, scope, quota counted, same-request check,
  recipient/context/object, registry lookup, call log row: pushed onto
  the Redis queue with REDIS_URL, inserted without);
- a bare django-ninja endpoint doing one indexed query on the same table
  (no auth, no quota, no log), the floor;
and prints requests per second of each, their ratio (issue 20 target:
≥ 0.6×) and p50/p95 latencies; with REDIS_URL, also the time the deferred
part takes (`calllog.flush()` of the queued rows, done by the scheduler). The quota is raised for the run (the bench
measures its cost, not its refusals). It prints figures; it never asserts.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titres.settings")
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    from benchdb import dedicated_database  # bench/ is the script's folder

    os.environ["DATABASE_URL"] = dedicated_database("bench_api")
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='bench-api-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, include, path  # noqa: E402
from ninja import NinjaAPI  # noqa: E402

from titres.core import ratelimit  # noqa: E402
from titres.partenaires import calllog, quota, services  # noqa: E402
from titres.partenaires.enums import PERMIS_SCOPES  # noqa: E402
from titres.partenaires.models import Partner  # noqa: E402
from titres.permis.identifiers import make_neph  # noqa: E402
from titres.permis.models import LicenceRecord  # noqa: E402

bare = NinjaAPI(urls_namespace="bench_bare", docs_url=None, openapi_url=None)


@bare.get("/permis")
def bare_permis(request, neph: str):
    return {"etat": LicenceRecord.objects.filter(neph=neph).values_list("state", flat=True).first()}


urlpatterns = [
    path("bench/", bare.urls),
    path("", include(settings.ROOT_URLCONF)),
]


def setup_data():
    call_command("migrate", verbosity=0)
    neph = make_neph(year=1990, departement="54", sequence=777_001)
    LicenceRecord.objects.filter(neph=neph).delete()
    from tests.permis.factories import LicenceCategoryFactory, LicenceRecordFactory

    record = LicenceRecordFactory(neph=neph, birth_name="Dupont", first_names="Marie")
    LicenceCategoryFactory(record=record, category="B")
    partner = Partner.objects.filter(siret="13002526500013").first() or services.create_partner(
        actor=None,
        name="Banc d’essai",
        siret="13002526500013",
        technical_email="t@exemple.fr",
        technical_phone="0102030405",
        business_email="m@exemple.fr",
        business_phone="0102030406",
    )
    _, secret = services.issue_token(
        partner=partner,
        procedure="Banc d’essai",
        legal_basis="—",
        legal_reference="—",
        scopes=[str(s) for s in PERMIS_SCOPES],
        actor=None,
    )
    return record, secret


def measure(client, url, query, headers, calls):
    latencies = []
    started = time.perf_counter()
    for _ in range(calls):
        t0 = time.perf_counter()
        response = client.get(url, query, **headers)
        latencies.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise SystemExit(f"{url} : HTTP {response.status_code} {response.content[:300]!r}")
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": calls / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    settings.ROOT_URLCONF = __name__
    settings.PUBLIC_PATH_PREFIXES = [*settings.PUBLIC_PATH_PREFIXES, "/bench/"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clear_url_caches()
    quota.TOKEN_LIMIT = quota.IP_LIMIT = "1000000/second"
    ratelimit.reset()
    record, secret = setup_data()
    calllog.flush()  # rows a previous run left queued
    client = Client()
    api_query = {
        "neph": record.neph,
        "nom": "DUPONT",
        "prenoms": "Marie",
        "date_naissance": record.birth_date.isoformat(),
        "recipient": "21540395700008",
        "context": "Banc d’essai",
        "object": "Dossier 1",
    }
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    # Warm up both paths (imports, caches, first queries).
    measure(client, "/api/v1/permis-de-conduire", api_query, auth, 50)
    measure(client, "/bench/permis", {"neph": record.neph}, {}, 50)
    runs = {"api": [], "bare": []}
    # Interleaved rounds: a load spike on the shared machine hits both.
    for _ in range(4):
        runs["bare"].append(
            measure(client, "/bench/permis", {"neph": record.neph}, {}, args.calls // 4)
        )
        runs["api"].append(
            measure(client, "/api/v1/permis-de-conduire", api_query, auth, args.calls // 4)
        )
    summary = {
        name: {key: statistics.median(r[key] for r in rounds) for key in ("rps", "p50", "p95")}
        for name, rounds in runs.items()
    }
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = "Redis" if os.environ.get("REDIS_URL") else "mémoire locale"
    print(f"API partenaires — {args.calls} appels de chaque, base {engine}, quotas en {cache}")
    for name, label in (
        ("api", "vérification de permis (jeton, périmètre, quota, journal, registre)"),
        ("bare", "point d’accès ninja nu (une requête indexée)"),
    ):
        s = summary[name]
        print(
            f"  {label:<72} {s['rps']:8.0f} req/s   p50 {s['p50']:6.2f} ms   p95 {s['p95']:6.2f} ms"
        )
    print(
        f"  rapport API / nu : {summary['api']['rps'] / summary['bare']['rps']:.2f}× (cible ≥ 0,6×)"
    )
    if settings.REDIS_URL:
        started = time.perf_counter()
        written = calllog.flush()
        elapsed = time.perf_counter() - started
        print(
            f"  vidage du journal (tâche flush_call_logs, hors appel) : {written} lignes "
            f"en {elapsed:.2f} s ({written / elapsed if elapsed else 0:.0f} lignes/s)"
        )


if __name__ == "__main__":
    main()
