"""Benchmark of the partner API's licence call against a bare endpoint.

    make bench-api                       # SQLite file in a temporary folder
    DATABASE_URL=postgres://… make bench-api   # dedicated database bench_api
    .venv/bin/python bench/api.py [--calls 2000] [--count] [--profile]

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

--count prints, for each side, what does not move with the machine's
load: Python function calls per request (cProfile, as bench/pages.py
--calls), SQL statements per request (BEGIN/COMMIT included, as Django
logs them) and Redis round trips and commands per request (a pipeline or a
script is one round trip). --profile prints the cProfile of the licence
call (cumulative time, the 40 first lines).
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


LABELS = {
    "api": "vérification de permis (jeton, périmètre, quota, journal, registre)",
    "bare": "point d’accès ninja nu (une requête indexée)",
}


class RedisCounter:
    """Counts what leaves for Redis: one round trip per packed write (a
    pipeline or a script is one), one command per packed command."""

    def __init__(self):
        from redis.connection import AbstractConnection

        self.cls = AbstractConnection  # the class whose methods a connection uses
        self.trips = self.commands = 0

    def __enter__(self):
        cls, counter = self.cls, self
        self.saved = cls.send_packed_command, cls.send_command, cls.pack_commands
        send_packed, send_one, pack_many = self.saved

        def send_packed_command(conn, command, check_health=True):
            counter.trips += 1
            return send_packed(conn, command, check_health)

        def send_command(conn, *args, **kwargs):
            counter.commands += 1
            return send_one(conn, *args, **kwargs)

        def pack_commands(conn, commands):
            commands = list(commands)
            counter.commands += len(commands)
            return pack_many(conn, commands)

        cls.send_packed_command, cls.send_command = send_packed_command, send_command
        cls.pack_commands = pack_commands
        return self

    def __exit__(self, *exc):
        self.cls.send_packed_command, self.cls.send_command, self.cls.pack_commands = self.saved


def count(client, sides, calls: int = 50) -> int:
    """Per request, for each side: Python function calls (cProfile), SQL
    statements, Redis round trips and commands. Unlike times, these do
    not move with the machine's load."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"{'':<72} {'fonctions':>9} {'SQL':>5} {'Redis (allers-retours/commandes)':>33}")
    for name, url, query, headers in sides:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            client.get(url, query, **headers)
        profiler.disable()
        functions = pstats.Stats(profiler).total_calls / calls
        with CaptureQueriesContext(connection) as queries, RedisCounter() as redis_:
            for _ in range(calls):
                client.get(url, query, **headers)
        statements = sorted({q["sql"].split()[0] for q in queries.captured_queries})
        print(
            f"  {LABELS[name]:<70} {functions:>9,.0f} {len(queries) / calls:>5.1f} "
            f"{redis_.trips / calls:>20.1f} / {redis_.commands / calls:.1f}"
            f"   ({', '.join(statements)})"
        )
    return 0


def profile(client, side, calls: int = 800) -> int:
    import cProfile
    import pstats

    _name, url, query, headers = side
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        client.get(url, query, **headers)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(30)
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument(
        "--count",
        action="store_true",
        help="appels de fonctions, requêtes SQL et allers-retours Redis par requête",
    )
    parser.add_argument("--profile", action="store_true", help="profil (cProfile) de l’appel")
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
    sides = (
        ("api", "/api/v1/permis-de-conduire", api_query, auth),
        ("bare", "/bench/permis", {"neph": record.neph}, {}),
    )
    if args.count:
        return count(client, sides)
    if args.profile:
        return profile(client, sides[0])
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
    for name, label in LABELS.items():
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
    sys.exit(main())
