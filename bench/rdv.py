"""Appointments at scale, on PostgreSQL: slot search over 5,000 town halls
× 60 days, and 1,000 concurrent bookings on 100 slots with 300 numbers
booked twice.

Run from the repository root: `make bench-rdv`
(= DEBUG=0 .venv/bin/python bench/rdv.py [--town-halls 5000 --days 60
--searches 200 --slots 100 --attempts 1000 --doubles 300 --processes 4
--threads 12]).

Uses a dedicated database (`titres_bench_rdv` next to the one in
DATABASE_URL), migrated and refilled at each run. Prints figures, never
judges a time; exits 1 only if the booking count is wrong (not exactly one
appointment per slot, or a number with two active appointments)."""

import argparse
import datetime
import functools
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import dedicated_database, setup_django  # noqa: E402 - bench/ is the script's folder
from race import race  # noqa: E402

BENCH_DB = "titres_bench_rdv"
# Metropolitan France, roughly.
LAT_RANGE = (42.4, 51.0)
LON_RANGE = (-4.7, 8.1)


def reset(random_gen, town_halls: int) -> None:
    from django.db import connection

    from titres.accounts.enums import Profile
    from titres.accounts.models import User
    from titres.identite.models import CollectionDevice, MeetingPoint, OpeningRule

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE identite_appointmentapplication, identite_appointment, "
            "identite_predemande, identite_openingrule, identite_exceptionalopening, "
            "identite_closureperiod, identite_collectiondevice, identite_meetingpoint CASCADE"
        )
    mairies = []
    for n in range(50):
        user, _ = User.objects.get_or_create(
            username=f"bench-mairie-{n}",
            defaults={"email": f"bench-mairie-{n}@titres.localhost", "profile": Profile.MAIRIE},
        )
        mairies.append(user)
    points = MeetingPoint.objects.bulk_create(
        MeetingPoint(
            mairie=mairies[n % len(mairies)],
            name=f"Mairie bench {n}",
            address="1 place de la Mairie",
            postal_code=f"{10000 + n:05d}",
            city_name=f"Commune {n}",
            insee_code=f"{10000 + n:05d}",
            departement_code=f"{n % 95 + 1:02d}",
            latitude=random_gen.uniform(*LAT_RANGE),
            longitude=random_gen.uniform(*LON_RANGE),
        )
        for n in range(town_halls)
    )
    devices = CollectionDevice.objects.bulk_create(
        CollectionDevice(meeting_point=point, label=f"DR {d + 1}")
        for point in points
        for d in range(1 + (point.pk % 2))
    )
    since = datetime.date.today() - datetime.timedelta(days=1)
    rules = []
    for device in devices:
        for weekday in range(6):  # Monday to Saturday
            for start, end in (
                (datetime.time(9), datetime.time(12)),
                (datetime.time(14), datetime.time(17)),
            ):
                rules.append(
                    OpeningRule(
                        device=device,
                        weekday=weekday,
                        start_time=start,
                        end_time=end,
                        slot_minutes=20,
                        people_per_slot=1,
                        valid_from=since,
                    )
                )
    OpeningRule.objects.bulk_create(rules, batch_size=5000)
    print(
        f"{len(points)} mairies, {len(devices)} dispositifs de recueil, "
        f"{len(rules)} ouvertures hebdomadaires"
    )
    return points, devices


def fill_some_slots(random_gen, devices, days: int, share: float) -> int:
    """Book a share of the slots of the first mornings, as a real register
    would have (so the search skips full slots)."""
    from django.utils import timezone

    from titres.identite.models import Appointment

    zone = timezone.get_current_timezone()
    rows = []
    today = timezone.localdate()
    for device in devices:
        for day in range(1, min(days, 14)):
            date = today + datetime.timedelta(days=day)
            for minute in range(0, 180, 20):
                if random_gen.random() < share:
                    start = datetime.datetime.combine(date, datetime.time(9), tzinfo=zone)
                    start += datetime.timedelta(minutes=minute)
                    rows.append(
                        Appointment(
                            reference="BENCH",
                            management_token="bench",
                            meeting_point_id=device.meeting_point_id,
                            device=device,
                            starts_at=start,
                            ends_at=start + datetime.timedelta(minutes=20),
                        )
                    )
    Appointment.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def bench_search(random_gen, points, days: int, searches: int) -> None:
    from django.db import connection, reset_queries
    from django.utils import timezone

    from titres.annuaire.geo import Origin
    from titres.identite.search import search_slots

    today = timezone.localdate()
    last = today + datetime.timedelta(days=days)

    def timed(origin, radius):
        began = time.perf_counter()
        results = search_slots(origin=origin, radius_km=radius, first=today, last=last, people=1)
        return time.perf_counter() - began, results

    # Baseline in the same run: a search that finds a single town hall.
    lonely = points[0]
    baseline = [timed(Origin(lonely.latitude, lonely.longitude, "base"), 0.5)[0] for _ in range(20)]
    base = statistics.median(baseline)
    print(f"référence (1 mairie dans le rayon) : médiane {base * 1000:.1f} ms")
    for radius in (10, 30):
        durations, found, queries = [], [], []
        for _ in range(searches):
            # Near a town hall, as people search from where they live.
            near = random_gen.choice(points)
            origin = Origin(
                near.latitude + random_gen.uniform(-0.05, 0.05),
                near.longitude + random_gen.uniform(-0.05, 0.05),
                "bench",
            )
            connection.force_debug_cursor = True
            reset_queries()
            duration, results = timed(origin, radius)
            queries.append(len(connection.queries))
            connection.force_debug_cursor = False
            durations.append(duration)
            found.append(len(results))
        median, p95 = statistics.median(durations), percentile(durations, 0.95)
        print(
            f"recherche de créneaux, rayon {radius} km sur {len(points)} mairies × {days} jours "
            f"({searches} recherches) : médiane {median * 1000:.1f} ms "
            f"({median / base:.1f} × la référence), p95 {p95 * 1000:.1f} ms "
            f"({p95 / base:.1f} ×), {statistics.mean(found):.1f} mairies trouvées en moyenne, "
            f"{statistics.median(queries):.0f} requêtes SQL (médiane)"
        )


def book(job: tuple[str, int, str]) -> str:
    """One racer's attempt: "ok", or the register's refusal code."""
    from titres.identite.errors import RegisterError
    from titres.identite.models import CollectionDevice
    from titres.identite.services.appointments import book_appointment

    number, device_id, starts_at = job
    try:
        book_appointment(
            application_ids=[number],
            device=CollectionDevice(pk=device_id),
            starts_at=datetime.datetime.fromisoformat(starts_at),
            actor=None,
        )
    except RegisterError as error:
        return error.code
    return "ok"


def bench_bookings(random_gen, devices, args, url) -> bool:
    from django.db.models import Count
    from django.utils import timezone

    from titres.identite.enums import AppointmentStatus
    from titres.identite.models import Appointment, AppointmentApplication, PreDemande
    from titres.identite.services.predemandes import create_predemande
    from titres.identite.slots import free_slots

    # 100 slots: the first free ones of ten devices, tomorrow or later.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    chosen_devices = devices[-10:]
    slots = []
    for device in chosen_devices:
        slots += free_slots([device.pk], tomorrow, tomorrow + datetime.timedelta(days=7))[
            : args.slots // len(chosen_devices)
        ]
    slots = slots[: args.slots]
    distinct = args.attempts - args.doubles
    numbers = [
        create_predemande(
            title="passeport",
            motif="premiere",
            last_name="BENCH",
            first_names=f"Personne {n}",
            birth_date=datetime.date(1980, 1, 1),
            actor=None,
        ).number
        for n in range(distinct)
    ]
    # Each of the first `doubles` numbers is tried twice, on two slots.
    attempts = [*numbers, *numbers[: args.doubles]]
    random_gen.shuffle(attempts)
    jobs = [
        (number, slots[i % len(slots)].device_id, slots[i % len(slots)].starts_at.isoformat())
        for i, number in enumerate(attempts)
    ]
    result = race(
        functools.partial(setup_django, url),
        book,
        jobs,
        processes=args.processes,
        threads=args.threads,
    )
    elapsed, errors = result.elapsed, result.errors
    outcomes = dict(Counter(result.outcomes))
    if errors:
        outcomes["error"] = len(errors)

    active = Appointment.objects.filter(
        status=AppointmentStatus.ACTIVE, applications__predemande__last_name="BENCH"
    )
    per_slot = active.values("device_id", "starts_at").annotate(n=Count("pk"))
    doubled = (
        AppointmentApplication.objects.filter(is_active=True, predemande__last_name="BENCH")
        .values("predemande")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    print(
        f"{len(jobs)} réservations concurrentes sur {len(slots)} créneaux "
        f"({distinct} numéros dont {args.doubles} tentés deux fois ; "
        f"{args.processes} processus × {args.threads} fils) en {elapsed:.2f} s : "
        + ", ".join(f"{code} {n}" for code, n in sorted(outcomes.items()))
    )
    print(
        f"rendez-vous actifs : {active.count()} (attendu {len(slots)}), créneaux occupés "
        f"plus d’une fois : {sum(1 for row in per_slot if row['n'] > 1)}, numéros avec deux "
        f"rendez-vous actifs : {doubled}, numéros en base : {PreDemande.objects.count()}"
    )
    if errors:
        print(f"{len(errors)} erreur(s) inattendue(s), par exemple : {errors[0]}")
    return active.count() == len(slots) and doubled == 0 and not errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--town-halls", type=int, default=5000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--slots", type=int, default=100)
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--doubles", type=int, default=300)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=12, help="par processus")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    url = dedicated_database(BENCH_DB)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    random_gen = random.Random(args.seed)
    began = time.perf_counter()
    points, devices = reset(random_gen, args.town_halls)
    booked = fill_some_slots(random_gen, devices, args.days, share=0.3)
    print(
        f"{booked} créneaux déjà réservés ; données prêtes en {time.perf_counter() - began:.1f} s"
    )
    bench_search(random_gen, points, args.days, args.searches)
    ok = bench_bookings(random_gen, devices, args, url)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
