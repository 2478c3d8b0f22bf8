"""Nearest-first search of the directory among 50,000 places, on SQLite and
on PostgreSQL.

Run from the repository root: `make bench-annuaire`
(= DEBUG=0 .venv/bin/python bench/annuaire.py [--places 50000 --searches 300]).

For each database: a dedicated database (SQLite `var/bench_annuaire.sqlite3`,
PostgreSQL `titres_bench_annuaire` next to the one in DATABASE_URL) is
migrated and refilled; then searches from random communes of metropolitan
France (page 1, page 3, one kind) are timed, and so is the baseline measured
in the same run: every place's distance computed and sorted (what the
bounding boxes avoid). Prints median and p95 and the ratio to the baseline;
never judges a time."""

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "titres_bench_annuaire"
KINDS = ["pro_siv", "photographe", "cabine", "mairie", "point_numerique"]


def fill(places: int, rng: random.Random) -> list:
    from django.core.management import call_command

    from titres.annuaire.models import CommuneCentre, DirectoryEntry

    call_command("migrate", verbosity=0)
    DirectoryEntry.objects.all().delete()
    centres = list(
        CommuneCentre.objects.filter(
            latitude__gt=41, latitude__lt=51.5, longitude__gt=-5.5, longitude__lt=10
        ).values_list("insee_code", "latitude", "longitude")
    )
    batch = []
    for n in range(places):
        code, lat, lon = rng.choice(centres)
        batch.append(
            DirectoryEntry(
                kind=rng.choice(KINDS),
                source="import",
                source_key=f"B-{n}",
                name=f"Lieu {n}",
                address="1 rue de la Paix",
                postal_code="00000",
                commune="Commune",
                insee_code=code,
                departement_code=code[:2],
                latitude=lat + rng.uniform(-0.02, 0.02),
                longitude=lon + rng.uniform(-0.02, 0.02),
            )
        )
    DirectoryEntry.objects.bulk_create(batch, batch_size=5000)
    return centres


def timed(function, count):
    times = []
    for _ in range(count):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def run_one(label: str, url: str, places: int, searches: int) -> None:
    from benchdb import setup_django

    setup_django(url)
    from titres.annuaire import geo, search
    from titres.annuaire.models import DirectoryEntry

    rng = random.Random(2026)
    started = time.perf_counter()
    centres = fill(places, rng)
    print(f"[{label}] {places} lieux créés en {time.perf_counter() - started:.1f} s")
    origins = [geo.Origin(lat, lon, code) for code, lat, lon in rng.sample(centres, searches)]
    cycle = iter(origins * 10)

    def page(number=1, kinds=None):
        return lambda: search.nearest(origin=next(cycle), kinds=kinds, page=number)

    def baseline():
        origin = next(cycle)
        rows = DirectoryEntry.objects.filter(is_active=True).values_list(
            "pk", "latitude", "longitude"
        )
        distances = sorted(
            (geo.haversine_km(origin.latitude, origin.longitude, lat, lon), pk)
            for pk, lat, lon in rows
        )
        DirectoryEntry.objects.in_bulk([pk for _d, pk in distances[:10]])

    base_median, base_p95 = timed(baseline, max(10, searches // 10))
    print(
        f"[{label}] référence (toutes les distances) : médiane {base_median:.1f} ms, p95 {base_p95:.1f} ms"
    )
    for name, function in [
        ("page 1", page()),
        ("page 3", page(3)),
        ("un type (cabine)", page(1, ["cabine"])),
    ]:
        median, p95 = timed(function, searches)
        print(
            f"[{label}] {name} : médiane {median:.1f} ms, p95 {p95:.1f} ms "
            f"(×{base_median / median:.0f} plus rapide que la référence)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=50_000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--child", nargs=2, metavar=("LABEL", "URL"))
    args = parser.parse_args()
    if args.child:
        run_one(args.child[0], args.child[1], args.places, args.searches)
        return
    (ROOT / "var").mkdir(exist_ok=True)
    targets = []
    if args.only in (None, "sqlite"):
        targets.append(("SQLite", f"sqlite:///{ROOT / 'var' / 'bench_annuaire.sqlite3'}"))
    if args.only in (None, "postgresql"):
        from benchdb import dedicated_database

        try:
            targets.append(("PostgreSQL", dedicated_database(BENCH_DB)))
        except Exception as error:  # noqa: BLE001 - reported, SQLite still runs
            print(f"[PostgreSQL] indisponible : {error}")
    for label, url in targets:
        # One process per database: Django is set up once per process.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--places",
                str(args.places),
                "--searches",
                str(args.searches),
                "--child",
                label,
                url,
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
