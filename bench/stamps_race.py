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
import multiprocessing
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import dedicated_database  # noqa: E402 - bench/ is the script's folder

BENCH_DB = "titres_bench"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "titres.settings"
    # No worker: tasks run inline (the bench sends no e-mail).
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    # DEBUG is off here and the stamps are issued by the local demonstration
    # bank: PaiementsConfig.ready() refuses that without this flag.
    os.environ.setdefault("PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG", "1")
    import django

    django.setup()


def worker(url: str, jobs: list[tuple[str, str]], threads: int, start_at: float, queue) -> None:
    """One process: `threads` threads share its jobs; reports successes."""
    setup_django(url)
    from django.db import connections

    from titres.paiements.services import StampError, consume_stamp

    pending = list(jobs)
    lock = threading.Lock()
    successes = []
    errors = []

    def run():
        try:
            while True:
                with lock:
                    if not pending:
                        return
                    number, holder = pending.pop()
                try:
                    consume_stamp(
                        number=number, holder=holder, purpose="permis_perte_vol", actor=None
                    )
                    successes.append(number)
                except StampError:
                    pass
                except Exception as exc:  # noqa: BLE001 - count, report, keep racing
                    errors.append(repr(exc))
        finally:
            connections.close_all()

    # Wait for a common start so every process races at the same moment.
    while time.time() < start_at:
        time.sleep(0.001)
    began = time.time()
    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((successes, errors, began, time.time()))


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
    from django.db import connections

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
    shares = [jobs[p :: args.processes] for p in range(args.processes)]
    connections.close_all()  # never share a connection with forked children

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    start_at = time.time() + 5.0  # time for the children to import Django
    processes = [
        context.Process(target=worker, args=(url, share, args.threads, start_at, queue))
        for share in shares
    ]
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    # From the first racer's start to the last one's end.
    elapsed = max(r[3] for r in results) - min(r[2] for r in results)

    successes = [number for wins, *_rest in results for number in wins]
    errors = [error for _wins, errs, *_rest in results for error in errs]
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
