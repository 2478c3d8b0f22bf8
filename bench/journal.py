"""Audited writes per second on PostgreSQL with 1, 4, 16 and 64 concurrent writers.

Run from the repository root: `make bench-journal`
(= DEBUG=0 .venv/bin/python bench/journal.py [--writers 1,4,16,64 --seconds 4]).

Uses a dedicated database (`titres_bench_journal` next to the one in
DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), created and
migrated if needed. An audited write is what a service does: one
transaction that updates a business row (the writer's own user) and appends
one journal entry, then commits.

Two designs are measured in the same run, on the same tables:
- before: the former append, kept here as the baseline: every writer takes
  the single JournalHead row lock (select_for_update), chains its entry and
  holds the lock until its transaction commits;
- after: `titres.core.journal.record_event`: a plain INSERT (no shared lock),
  and one sealer process (`seal_pending`, as `manage.py seal_journal
  --follow` runs it) chaining the committed entries in order meanwhile.

Prints, per design and number of writers: writes per second, p95 of the
append (for "before" also the p95 wait for the head lock), and the 1→16
writers speed-up; then that the sealer kept up and the chain verifies, and
the sealer's own rate (the one serial part left).
Exit status 1 when a chain does not verify or a writer failed.
"""

import argparse
import multiprocessing
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import dedicated_database, setup_django  # noqa: E402 - bench/ is the script's folder

BENCH_DB = "titres_bench_journal"
MAX_PROCESSES = 8


def locked_append(event, *, actor, data) -> float:
    """The former record_event (before the sealer), for the baseline: the
    JournalHead row lock is taken here and held until the caller commits.
    Returns the seconds spent waiting for the lock."""
    from django.utils import timezone

    from titres.core.journal import compute_hash
    from titres.core.models import AuditEvent, JournalHead

    asked = time.perf_counter()
    head = JournalHead.objects.select_for_update().get(pk=1)
    waited = time.perf_counter() - asked
    entry = AuditEvent(
        sequence=head.last_sequence + 1,
        created_at=timezone.now(),
        event=event.value,
        actor=actor,
        actor_label=actor.username,
        data=data,
        previous_hash=head.last_hash,
    )
    entry.hash = compute_hash(entry)
    entry.save(force_insert=True)
    head.last_hash, head.last_sequence = entry.hash, entry.sequence
    head.save(update_fields=["last_hash", "last_sequence"])
    return waited


def writer_process(design: str, user_ids: list[int], stop_at: float, start_at: float, queue):
    from django.db import connections, transaction
    from django.utils import timezone

    from titres.accounts.audit import AccountsEvent
    from titres.accounts.models import User
    from titres.core.journal import record_event

    connections.close_all()  # the parent's connection is not ours
    results = []

    def run(user_id: int):
        user = User.objects.get(pk=user_id)
        appends, waits, writes, errors = [], [], 0, []
        while time.time() < start_at:
            time.sleep(0.001)
        try:
            while time.time() < stop_at:
                try:
                    with transaction.atomic():
                        User.objects.filter(pk=user_id).update(last_login=timezone.now())
                        began = time.perf_counter()
                        if design == "avant":
                            waits.append(
                                locked_append(AccountsEvent.LOGIN, actor=user, data={"n": writes})
                            )
                        else:
                            record_event(AccountsEvent.LOGIN, actor=user, data={"n": writes})
                        appends.append(time.perf_counter() - began)
                    writes += 1
                except Exception as exc:  # noqa: BLE001 - count, report, keep writing
                    errors.append(repr(exc))
        finally:
            connections.close_all()
        results.append((writes, appends, waits, errors))

    threads = [threading.Thread(target=run, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(results)


def sealer_process(stop_at: float, queue):
    from django.db import connections

    from titres.core.journal import seal_pending

    connections.close_all()
    sealed, rounds = 0, 0
    while time.time() < stop_at:
        count = seal_pending()
        sealed += count
        rounds += 1
        if not count:
            time.sleep(0.05)
    connections.close_all()
    queue.put((sealed, rounds))


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[-1]


def reset_journal() -> None:
    from django.db import connection

    from titres.core.models import JournalHead

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditevent")
    JournalHead.objects.update_or_create(pk=1, defaults={"last_hash": "0" * 64, "last_sequence": 0})


def run_level(design: str, writers: int, seconds: float, user_ids: list[int]) -> dict:
    from django.db import connections

    reset_journal()
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue, sealer_queue = context.Queue(), context.Queue()
    processes_count = min(writers, MAX_PROCESSES)
    shares = [user_ids[:writers][p::processes_count] for p in range(processes_count)]
    start_at = time.time() + 0.5
    stop_at = start_at + seconds
    processes = [
        context.Process(target=writer_process, args=(design, share, stop_at, start_at, queue))
        for share in shares
    ]
    sealer = None
    if design == "après":
        sealer = context.Process(target=sealer_process, args=(stop_at, sealer_queue))
        sealer.start()
    for process in processes:
        process.start()
    per_thread = [row for _ in processes for row in queue.get()]
    sealed_during = sealer_queue.get() if sealer else (0, 0)
    for process in [*processes, *([sealer] if sealer else [])]:
        process.join()
    writes = sum(row[0] for row in per_thread)
    appends = [value for row in per_thread for value in row[1]]
    waits = [value for row in per_thread for value in row[2]]
    errors = [error for row in per_thread for error in row[3]]
    return {
        "writes": writes,
        "rate": writes / seconds,
        "p95_append_ms": p95(appends) * 1000,
        "p95_wait_ms": p95(waits) * 1000 if waits else None,
        "errors": errors,
        "sealed_during": sealed_during[0],
    }


def finish_and_verify(design: str) -> tuple[bool, str]:
    from titres.core.journal import seal_pending, verify_chain

    began = time.perf_counter()
    remaining = seal_pending() if design == "après" else 0
    drain = time.perf_counter() - began
    result = verify_chain()
    note = f"reste scellé à la fin : {remaining} en {drain:.2f} s ; " if design == "après" else ""
    return result.ok, f"{note}chaîne {'intègre' if result.ok else 'ROMPUE'} ({result.checked})"


def sealer_rate(count: int) -> float:
    """Entries per second the one sealer chains (the journal's serial part)."""
    from django.utils import timezone

    from titres.core.journal import seal_pending
    from titres.core.models import AuditEvent

    reset_journal()
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(created_at=now, event="accounts.login", actor_label="bench", data={"n": i})
            for i in range(count)
        ],
        batch_size=2000,
    )
    began = time.perf_counter()
    sealed = seal_pending()
    return sealed / (time.perf_counter() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", default="1,4,16,64", help="niveaux, séparés par des virgules")
    parser.add_argument("--seconds", type=float, default=4.0, help="durée de chaque mesure")
    args = parser.parse_args()
    levels = [int(part) for part in args.writers.split(",")]

    url = dedicated_database(BENCH_DB)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from titres.accounts.models import User

    user_ids = []
    for index in range(max(levels)):
        user, _ = User.objects.get_or_create(
            username=f"bench.journal.{index}", defaults={"email": f"j{index}@bench.localhost"}
        )
        user_ids.append(user.pk)

    print(f"Écritures auditées sur PostgreSQL, {args.seconds:.0f} s par mesure")
    print(f"{'conception':<10} {'écrivains':>9} {'écr./s':>9} {'p95 ajout':>10} {'p95 verrou':>11}")
    failed = False
    rates: dict[str, dict[int, float]] = {}
    for design in ("avant", "après"):
        for writers in levels:
            figures = run_level(design, writers, args.seconds, user_ids)
            rates.setdefault(design, {})[writers] = figures["rate"]
            wait = figures["p95_wait_ms"]
            print(
                f"{design:<10} {writers:>9} {figures['rate']:>9.0f} "
                f"{figures['p95_append_ms']:>8.1f} ms "
                + (f"{wait:>8.1f} ms" if wait is not None else f"{'aucun':>11}")
            )
            if figures["errors"]:
                failed = True
                print(f"  {len(figures['errors'])} erreur(s), par exemple {figures['errors'][0]}")
            if design == "après":
                print(f"  scellées pendant la mesure : {figures['sealed_during']}")
            ok, note = finish_and_verify(design)
            failed |= not ok
            print(f"  {note}")
    for design, by_writers in rates.items():
        if 1 in by_writers and 16 in by_writers:
            print(f"Accélération 1→16 écrivains ({design}) : ×{by_writers[16] / by_writers[1]:.2f}")
    if 16 in rates.get("avant", {}) and 16 in rates.get("après", {}):
        print(f"Après / avant à 16 écrivains : ×{rates['après'][16] / rates['avant'][16]:.2f}")
    print(
        f"Débit du scelleur seul (20 000 entrées en attente) : {sealer_rate(20000):.0f} entrées/s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
