"""1,000 concurrent consume attempts on 100 stamps, on PostgreSQL.

Run from the repository root: `make bench-stamps`
(= DEBUG=0 .venv/bin/python bench/stamps_race.py [--stamps 100 --attempts 1000
--processes 4 --threads 12]).

Uses a dedicated database (`titres_bench` next to the one in DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/test), created and migrated if
needed. Issues the stamps, then races processes × threads, each attempt
consuming one of the stamps for its own file. Prints the number of successes
(must equal the number of stamps) and the time taken, then reconciles the
ledger. Exit status 1 if the count is wrong or reconciliation fails."""

import argparse
import functools
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import dedicated_database, setup_django  # noqa: E402 - bench/ is the script's folder
from race import race  # noqa: E402

BENCH_DB = "titres_bench"


def consume(job: tuple[str, str]) -> str | None:
    """One racer's attempt: the stamp's number if it consumed it."""
    from titres.paiements.services import StampError, consume_stamp

    number, holder = job
    try:
        consume_stamp(number=number, holder=holder, purpose="permis_perte_vol", actor=None)
    except StampError:
        return None
    return number


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stamps", type=int, default=100)
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=12, help="par processus")
    args = parser.parse_args()

    url = dedicated_database(BENCH_DB)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)

    from titres.paiements.reconciliation import reconcile
    from titres.paiements.services import sell_stamp_at_counter

    started = time.perf_counter()
    numbers = [
        sell_stamp_at_counter(
            purpose="permis_perte_vol", email="bench@titres.localhost", actor=None
        ).number
        for _ in range(args.stamps)
    ]
    issue_time = time.perf_counter() - started
    print(f"{args.stamps} timbres émis en {issue_time:.2f} s")

    # attempt i targets stamp i % stamps: every stamp gets attempts/stamps racers
    jobs = [(numbers[i % args.stamps], f"bench:{os.getpid()}:{i}") for i in range(args.attempts)]
    result = race(
        functools.partial(setup_django, url),
        consume,
        jobs,
        processes=args.processes,
        threads=args.threads,
    )
    elapsed, errors = result.elapsed, result.errors

    successes = [number for number in result.outcomes if number is not None]
    per_stamp_ok = len(set(successes)) == len(successes) == args.stamps
    print(
        f"{args.attempts} tentatives concurrentes de consommation sur {args.stamps} timbres "
        f"({args.processes} processus × {args.threads} fils) : {len(successes)} succès "
        f"en {elapsed:.2f} s"
    )
    if errors:
        print(f"{len(errors)} erreur(s) inattendue(s), par exemple : {errors[0]}")
    report = reconcile()
    print(
        "Rapprochement : "
        + ("correct" if report.ok else f"{len(report.problems)} anomalie(s) : {report.problems[0]}")
    )
    return 0 if per_stamp_ok and not errors and report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
