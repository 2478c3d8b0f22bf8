"""Professionals' space benchmark, on PostgreSQL (`make bench-professionnels`).

Uses a dedicated database (`titres_bench_professionnels` next to the one in
DATABASE_URL), created and migrated if needed. Prints, each with a baseline
measured in the same run:

1. the professional's list page with N démarches (default 20,000) and
   N/10 déclarations d'achat and N/10 déclarations de cession (the list is
   the union of the three): queries per page (pinned: the run
   fails if it grows), median and p95 time of a page (first page, a
   filtered page, a deep page) — baseline: the same view with one file of
   each kind;
2. a batch of N declarations (default 1,000 cession lines, of which
   --resales, default 100, resell vehicles of the professional's stock:
   client-less lines through `declare_resale`): total time, lines per
   second, peak Python memory — baseline: the same number of lines parsed
   and checked without writing (`--lines 0` skips it).

Exit status 1 if the page's query count exceeds the pinned number."""

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import dedicated_database, setup_django  # noqa: E402 - bench/ is the script's folder

BENCH_DB = "titres_bench_professionnels"
# Session, user, habilitation, count (one query: each part's count as a
# subquery), page (one UNION ALL of the démarches, purchases and cessions,
# each bounded to the page's first rows), the page's démarches (+ savepoints
# of the test client).
PINNED_QUERIES = 12


def professional(username):
    from datetime import date

    from django.contrib.auth import get_user_model

    from titres.accounts.enums import Profile
    from titres.accounts.models import Habilitation

    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@bench.invalid",
            "profile": Profile.PRO_SIV,
            "organisation_name": "Garage Bench",
            "siret": "35600000000048",
        },
    )
    Habilitation.objects.get_or_create(
        user=user,
        defaults={
            "number": f"BENCH-{username}",
            "department": "08",
            "starts_on": date(2024, 1, 1),
            "organisation_name": "Garage Bench",
            "siret": "35600000000048",
            "first_name": "Bench",
            "last_name": "Garage",
            "email": user.email,
            "username": username,
        },
    )
    return user


def ensure_vehicles(count):
    from titres.vehicules.generator import generate
    from titres.vehicules.models import Vehicle
    from titres.vehicules.services.registry import bulk_import

    missing = count - Vehicle.objects.count()
    if missing > 0:
        existing = set(Vehicle.objects.values_list("vin", flat=True))
        crowd = [g for g in generate(count, seed=4242) if g.data.vin not in existing]
        bulk_import(vehicles=crowd[:missing], actor=None, source="bench")
    return list(Vehicle.objects.order_by("pk")[:count])


def ensure_operations(owner, count, *, last_vehicles=False):
    """`count` déclarations d'achat and as many déclarations de cession of
    the professional (the list's other two parts), written as rows: the
    bench measures the list, not the services. Vehicles 0-999 only (the
    batch's are 1,000 onwards); the open ones (an entry in stock, an active
    code) take distinct vehicles, as the constraints require (the baseline's
    professional takes the last ones: `last_vehicles`)."""
    import hashlib
    from datetime import timedelta

    from django.utils import timezone

    from titres.core import numbering
    from titres.vehicules.enums import CessionState
    from titres.vehicules.models import CessionDeclaration, Vehicle
    from titres.vehicules.professionnels.models import PurchaseProof, StockVehicle

    vehicles = list(Vehicle.objects.values_list("pk", flat=True).order_by("pk")[:1000])
    if last_vehicles:
        vehicles.reverse()
    names = ["LEFEBVRE", "MOREAU", "GARNIER", "FAURE", "ROUSSEL", "DURAND"]
    now = timezone.now()
    have = CessionDeclaration.objects.filter(seller=owner).count()
    states = [CessionState.UTILISEE, CessionState.ANNULEE, CessionState.ACTIVE]
    CessionDeclaration.objects.bulk_create(
        [
            CessionDeclaration(
                vehicle_id=vehicles[i % len(vehicles)],
                seller=owner,
                seller_name=f"{names[i % len(names)]} Vendeur {i}",
                seller_last_name=names[i % len(names)],
                seller_first_names=f"Vendeur {i}",
                sold_at=now - timedelta(days=i % 300),
                mileage=50000,
                buyer_last_name=names[(i + 1) % len(names)],
                buyer_first_names=f"Acheteur {i}",
                # An active code only on a vehicle no other active one holds.
                state=states[i % 3] if i < len(vehicles) else states[i % 2],
                code_digest=hashlib.sha256(f"bench-{owner.pk}-{i}".encode()).hexdigest(),
                expires_at=now + timedelta(days=30),
                used_at=now if i % 3 == 0 else None,
                registration_number=numbering.generate(length=9),
            )
            for i in range(have, count)
        ],
        batch_size=2000,
    )
    resales = list(
        CessionDeclaration.objects.filter(seller=owner, state=CessionState.UTILISEE).values_list(
            "pk", flat=True
        )
    )
    have = StockVehicle.objects.filter(owner=owner).count()
    StockVehicle.objects.bulk_create(
        [
            StockVehicle(
                owner=owner,
                habilitation_number=owner.habilitation.number,
                vehicle_id=vehicles[i % len(vehicles)],
                seller_name=f"{names[i % len(names)]} Client {i}",
                purchased_at=now - timedelta(days=i % 300),
                mileage=40000,
                proof=PurchaseProof.CERTIFICAT,
                address="1 rue du Banc",
                postal_code="08000",
                commune="Charleville-Mézières",
                registration_number=numbering.generate(length=9),
                by_batch=True,
                # In stock: one entry per vehicle (the first 500); the others resold.
                resale_id=None if i < len(vehicles) // 2 else resales[i % len(resales)],
            )
            for i in range(have, count)
        ],
        batch_size=2000,
    )


def ensure_files(owner, count):
    from django.utils import timezone

    from titres.core import numbering
    from titres.procedures.models import Demarche
    from titres.vehicules.changement.procedure import CODE
    from titres.vehicules.models import ChangeOfHolder, Vehicle

    have = Demarche.objects.filter(owner=owner).count()
    if have >= count:
        return
    vehicles = list(Vehicle.objects.values_list("pk", flat=True)[:1000])
    names = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND"]
    now = timezone.now()
    batch = []
    for i in range(have, count):
        batch.append(
            Demarche(
                procedure_code=CODE,
                owner=owner,
                number=numbering.generate(length=11),
                status=["EN_COURS", "TERMINEE", "BROUILLON", "EN_ATTENTE_USAGER"][i % 4],
                submitted_at=now,
                acting_for={"nom": names[i % len(names)], "prenoms": f"Client {i}"},
            )
        )
    created = Demarche.objects.bulk_create(batch, batch_size=2000)
    ChangeOfHolder.objects.bulk_create(
        [
            ChangeOfHolder(demarche=d, vehicle_id=vehicles[i % len(vehicles)], cpi_number=f"CP{i}")
            for i, d in enumerate(created)
        ],
        batch_size=2000,
    )


def timed_pages(client, urls, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _round in range(repeat):
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - began)
            assert response.status_code == 200, (url, response.status_code)
            queries = max(queries, len(captured))
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], queries


def bench_list(files, repeat) -> bool:
    from django.test import Client

    operations = max(files // 10, 1)
    print(
        f"1. Liste des dossiers du professionnel ({files} démarches, "
        f"{operations} déclarations d’achat, {operations} déclarations de cession)"
    )
    small, big = professional("bench-petit"), professional("bench-grand")
    ensure_vehicles(1000)
    ensure_files(small, 1)
    ensure_operations(small, 1, last_vehicles=True)
    ensure_files(big, files)
    ensure_operations(big, operations)
    # The planner's statistics after the bulk inserts (autovacuum would
    # take them later): the plans measured are the ones a live base gets.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    urls = [
        "/vehicules/professionnel/demarches/",
        "/vehicules/professionnel/demarches/?statut=EN_COURS&client=dur&tri=client",
        "/vehicules/professionnel/demarches/?page=400",
    ]
    results = {}
    for user in (small, big):
        client = Client()
        client.force_login(user)
        results[user.username] = timed_pages(client, urls, repeat)
    base, measured = results["bench-petit"], results["bench-grand"]
    print(f"   requêtes par page : {measured[2]} (épinglé : {PINNED_QUERIES} au plus)")
    print(
        f"   médiane {measured[0] * 1000:.1f} ms, p95 {measured[1] * 1000:.1f} ms "
        f"(référence 1 démarche : médiane {base[0] * 1000:.1f} ms, p95 {base[1] * 1000:.1f} ms ; "
        f"×{measured[0] / base[0]:.2f})"
    )
    return measured[2] <= PINNED_QUERIES


def bench_batch(lines, resales) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone

    from titres.vehicules.models import CessionDeclaration, Situation
    from titres.vehicules.professionnels import batch as batch_module
    from titres.vehicules.professionnels.models import BatchSubmission, PurchaseProof, StockVehicle
    from titres.vehicules.professionnels.stock import Establishment, declare_purchase
    from titres.vehicules.selectors import RegistryRefusal

    resales = min(resales, lines)
    print(
        f"2. Dépôt par lot de {lines} déclarations de cession "
        f"(dont {resales} reventes de véhicules du stock)"
    )
    owner = professional("bench-lot")
    vehicles = ensure_vehicles(lines + 1000)[1000 : 1000 + lines]
    # Start from vehicles without any open declaration or stock entry (a previous run's).
    StockVehicle.objects.filter(vehicle__in=vehicles).delete()
    CessionDeclaration.objects.filter(vehicle__in=vehicles).delete()
    Situation.objects.filter(vehicle__in=vehicles, kind="cede").delete()
    yesterday = timezone.localdate() - timezone.timedelta(days=1)
    day = yesterday.strftime("%d/%m/%Y")
    stocked = set()
    for v in vehicles[lines - resales :]:
        holder = v.titulaire
        if holder is None or holder.is_company:
            continue
        # Bought as a batch's achat line would be (no scan), the day before;
        # a vehicle the registry refuses (gage, theft…) stays a client's line.
        try:
            declare_purchase(
                vehicle=v,
                habilitation=owner.habilitation,
                seller_names=(holder.usage_name or holder.last_name, holder.first_names),
                purchased_at=timezone.make_aware(
                    timezone.datetime.combine(
                        max(yesterday, v.ci_date), timezone.datetime.min.time()
                    )
                ),
                mileage=40000,
                proof=PurchaseProof.CERTIFICAT,
                establishment=Establishment(
                    address="1 rue du Banc", postal_code="08000", commune="Charleville-Mézières"
                ),
                actor=owner,
                by_batch=True,
            )
        except RegistryRefusal:
            continue
        stocked.add(v.pk)
    rows = []
    for v in vehicles:
        holder = v.titulaire
        last = holder.company_name if holder.is_company else (holder.usage_name or holder.last_name)
        first = "" if holder.is_company else holder.first_names
        rows.append(
            ";".join(
                [
                    "cession",
                    v.plate_display,
                    v.formule_number,
                    "" if v.formule_number else v.ci_date.strftime("%d/%m/%Y"),
                    day,
                    "10:00",
                    "50000",
                    "" if v.pk in stocked else last,
                    "" if v.pk in stocked else first,
                    "MERCIER",
                    "Pierre",
                    "15/01/1990",
                    "",
                    "",
                    "3 place Bellecour",
                    "69002",
                    "Lyon",
                ]
            )
        )
    text = ";".join(batch_module.COLUMNS) + "\r\n" + "\r\n".join(rows) + "\r\n"

    began = time.perf_counter()
    parsed = batch_module.parse(text)
    checked = 0
    for row in parsed:
        try:
            with transaction.atomic():
                batch_module._line(row, owner=owner, habilitation=owner.habilitation)
            checked += 1
        except (batch_module.LineRefused, RegistryRefusal):
            continue
    baseline = time.perf_counter() - began

    BatchSubmission.objects.filter(owner=owner).delete()
    tracemalloc.start()
    began = time.perf_counter()
    with transaction.atomic():
        submitted = batch_module.submit_batch(
            owner=owner,
            upload=SimpleUploadedFile("bench.csv", text.encode(), "text/csv"),
            actor=owner,
        )
    batch_module.process_batch(str(submitted.pk))
    total = time.perf_counter() - began
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    accepted = submitted.lines.filter(accepted=True).count()
    resold = StockVehicle.objects.filter(pk__isnull=False, vehicle__in=vehicles).exclude(
        resale=None
    )
    print(f"   {resold.count()}/{len(stocked)} véhicules du stock revendus par le lot")
    print(
        f"   {accepted}/{lines} lignes acceptées en {total:.1f} s, {lines / total:.0f} lignes/s, "
        f"pic mémoire {peak / 1024 / 1024:.1f} Mio (référence lecture et contrôles seuls : "
        f"{baseline:.1f} s ; ×{total / baseline:.2f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--resales", type=int, default=100)
    args = parser.parse_args()
    url = dedicated_database(BENCH_DB)
    setup_django(url, TWODDOC_ALLOW_DEV_KEYS="1")
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    # DEBUG is off and collectstatic has not run for the bench: plain
    # static URLs (the page's template cost is what is measured).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    ok = bench_list(args.files, args.repeat)
    if args.lines:
        bench_batch(args.lines, args.resales)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
