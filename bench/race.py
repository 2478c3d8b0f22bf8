"""The concurrency harness of the benchmarks: processes × threads racing
from one common instant, on PostgreSQL.

`race(setup, attempt, jobs, processes=, threads=)` spawns the processes
(never forked: a child must not share the parent's connections), each runs
`setup()` (Django on the bench database), then its threads take jobs one by
one and call `attempt(job)` until none is left. `attempt` returns the
outcome to count and handles the refusals it expects (a stamp already
consumed, a number already booked); anything else it raises is reported in
`errors`, and the race goes on. `setup` and `attempt` are module-level
functions (or partials of them): spawned processes import them by name."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Time for the spawned children to import Django before the common start.
LEAD_SECONDS = 5.0


@dataclass
class RaceResult:
    outcomes: list  # what the attempts returned, all processes together
    errors: list[str]  # unexpected exceptions, repr
    elapsed: float  # from the first racer's start to the last one's end


def race(
    setup: Callable[[], None],
    attempt: Callable,
    jobs: Sequence,
    *,
    processes: int,
    threads: int,
) -> RaceResult:
    from django.db import connections

    connections.close_all()  # never hand an open connection to the children
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    start_at = time.time() + LEAD_SECONDS
    shares = [list(jobs[p::processes]) for p in range(processes)]
    children = [
        context.Process(target=_racer, args=(setup, attempt, share, threads, start_at, queue))
        for share in shares
    ]
    for child in children:
        child.start()
    reports = [queue.get() for _ in children]
    for child in children:
        child.join()
    return RaceResult(
        outcomes=[outcome for outcomes, *_ in reports for outcome in outcomes],
        errors=[error for _outcomes, errors, *_ in reports for error in errors],
        elapsed=max(report[3] for report in reports) - min(report[2] for report in reports),
    )


def _racer(setup, attempt, jobs, threads: int, start_at: float, queue) -> None:
    """One process: its threads share its jobs; reports outcomes and times."""
    setup()
    from django.db import connections

    pending = list(jobs)
    lock = threading.Lock()
    outcomes, errors = [], []

    def run():
        try:
            while True:
                with lock:
                    if not pending:
                        return
                    job = pending.pop()
                try:
                    outcome = attempt(job)
                except Exception as exc:  # noqa: BLE001 - count, report, keep racing
                    with lock:
                        errors.append(repr(exc))
                    continue
                with lock:
                    outcomes.append(outcome)
        finally:
            connections.close_all()

    while time.time() < start_at:
        time.sleep(0.001)
    began = time.time()
    pool = [threading.Thread(target=run) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put((outcomes, errors, began, time.time()))
