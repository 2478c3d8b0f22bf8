"""Closing a stage de récupération de points at scale: one session of 200
attendees (the real maximum is 20; 200 shows the cost per attendee), each
credit written in the SNPC (balance, PointsCredit history row, journal
entry, one-stage-a-year check), on PostgreSQL.

Run from the repository root: `make bench-cssr`
(= DEBUG=0 .venv/bin/python bench/cssr.py [--attendees 200 --rounds 3]).

Uses a dedicated database (`titres_bench_cssr` next to the one in
DATABASE_URL), migrated and refilled at each round. The baseline, measured
in the same run, is the bare update of the same balances (one UPDATE per
licence, no history, no journal): the figures say what the history, the
checks and the journal cost. Prints figures, never judges a time; exits 1
only if a balance is wrong."""

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import dedicated_database, setup_django  # noqa: E402 - bench/ is the script's folder

BENCH_DB = "titres_bench_cssr"


def prepare(count: int):
    from django.db import connection
    from django.utils import timezone

    from titres.accounts.models import User
    from titres.permis.generator import bulk_generate
    from titres.permis.models import LicenceRecord, StageAttendee
    from titres.permis.stages import services

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE permis_stageattendee, permis_stagesession, permis_pointscredit, "
            "permis_licencecategory, permis_licencetitle, permis_licencerecord CASCADE"
        )
    bulk_generate(count, seed=19, start=0)
    LicenceRecord.objects.update(state="valide", points_balance=5, probation_start=None)
    centre, _ = User.objects.get_or_create(
        username="bench-cssr",
        defaults={
            "email": "bench-cssr@example.fr",
            "profile": "centre_sensibilisation",
            "approval_number": "R 000 0000 0",
        },
    )
    end = timezone.localdate() - timedelta(days=1)
    session = services.create_session(
        centre=centre, starts_on=end - timedelta(days=1), ends_on=end,
        address="1 place du Bench", postal_code="75001", commune="Paris",
        facilitators="BAFM, psychologue",
    )  # fmt: skip
    # Past the 20-attendee limit of the form on purpose (see the docstring).
    StageAttendee.objects.bulk_create(
        StageAttendee(
            session=session, neph=r.neph, birth_name=r.birth_name, first_names=r.first_names,
            birth_date=r.birth_date, email=f"s{r.pk}@example.fr", record=r, status="inscrit",
        )
        for r in LicenceRecord.objects.all()
    )  # fmt: skip
    return centre, session


def baseline(count: int) -> float:
    from django.db import transaction

    from titres.permis.models import LicenceRecord

    records = list(LicenceRecord.objects.all()[:count])
    start = time.perf_counter()
    with transaction.atomic():
        for record in records:
            LicenceRecord.objects.filter(pk=record.pk).update(points_balance=record.points_balance)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attendees", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    # The attestations are e-mailed by a task after commit: not timed here.
    setup_django(
        dedicated_database(BENCH_DB), TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend"
    )
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from titres.core.models import AuditEvent
    from titres.permis.models import LicenceRecord, PointsCredit
    from titres.permis.stages import services

    totals, bases = [], []
    for _ in range(args.rounds):
        centre, session = prepare(args.attendees)
        bases.append(baseline(args.attendees))
        journal_before = AuditEvent.objects.count()
        start = time.perf_counter()
        services.close_session(session=session, actor=centre)
        totals.append(time.perf_counter() - start)
        wrong = LicenceRecord.objects.exclude(points_balance=9).count()
        credits = PointsCredit.objects.count()
        journal = AuditEvent.objects.count() - journal_before
        if wrong or credits != args.attendees:
            print(f"ERREUR : {wrong} soldes faux, {credits} crédits pour {args.attendees}")
            return 1
    total, base = statistics.median(totals), statistics.median(bases)
    print(f"Clôture d'un stage de {args.attendees} stagiaires (médiane de {args.rounds} essais)")
    print(f"  total                : {total * 1000:8.1f} ms")
    print(f"  par stagiaire        : {total * 1000 / args.attendees:8.2f} ms")
    print(
        f"  référence (UPDATE nu): {base * 1000:8.1f} ms  ({base * 1000 / args.attendees:.2f} ms/stagiaire)"
    )
    print(f"  rapport              : {total / base:8.1f} × la référence")
    print(f"  écritures            : {credits} mouvements de points, {journal} entrées de journal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
