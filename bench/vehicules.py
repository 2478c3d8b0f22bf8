"""Vehicle registration benchmark, on PostgreSQL (`make bench-vehicules`).

Uses a dedicated database (`titres_bench_vehicules` next to the one in
DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), created and
migrated if needed. Prints, each with a baseline measured in the same run:

1. CPI PDF with its 2D-Doc: median time and peak memory (baseline: the same
   PDF without the 2D-Doc);
2. 2D-Doc verifications per second (baseline: encodings per second);
3. N concurrent SIV plate allotments (processes × threads) → distinct
   plates, time taken (baseline: the same number drawn by one thread);
4. the change-of-holder validation service (registry update + history +
   journal) per second (baseline: a bare update of the vehicle row).

Exit status 1 if two allotments gave the same plate."""

import argparse
import functools
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import dedicated_database, setup_django  # noqa: E402 - bench/ is the script's folder
from race import race  # noqa: E402

BENCH_DB = "titres_bench_vehicules"
# DEBUG is off: sign with the development 2D-Doc key (isolated bench).
ENVIRONMENT = {"TWODDOC_ALLOW_DEV_KEYS": "1"}


def allot(_job) -> str:
    """One racer's attempt: a newly allotted plate."""
    from titres.vehicules.allotment import allot_plate

    return allot_plate()


def _timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def _peak(function) -> int:
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def bench_documents(record, repeat: int) -> None:
    from titres.core import twoddoc
    from titres.vehicules.documents import cpi_pdf

    with_code = _timed(lambda: cpi_pdf.cpi_pdf(record), repeat)
    real_encode = cpi_pdf.cpi_twoddoc
    text = real_encode(record)
    try:
        # Baseline: the same page with a precomputed 2D-Doc text (no
        # signature, no DataMatrix rendering cost besides drawing).
        cpi_pdf.cpi_twoddoc = lambda _record: text
        cached = _timed(lambda: cpi_pdf.cpi_pdf(record), repeat)
    finally:
        cpi_pdf.cpi_twoddoc = real_encode
    peak = _peak(lambda: cpi_pdf.cpi_pdf(record))
    median, baseline = statistics.median(with_code), statistics.median(cached)
    print(
        f"CPI PDF avec 2D-Doc : médiane {median * 1000:.1f} ms sur {repeat}, pic mémoire "
        f"{peak / 1024 / 1024:.1f} Mio ; sans signer ni encoder le 2D-Doc : {baseline * 1000:.1f} ms "
        f"(rapport {median / baseline:.2f})"
    )
    count = repeat * 10
    started = time.perf_counter()
    for _ in range(count):
        assert twoddoc.verify(text).authentic
    verify_rate = count / (time.perf_counter() - started)
    fields = cpi_pdf.cpi_fields(record)
    started = time.perf_counter()
    for _ in range(count):
        twoddoc.encode("Z1", fields)
    encode_rate = count / (time.perf_counter() - started)
    print(
        f"Vérification 2D-Doc : {verify_rate:.0f} /s ; encodage + signature : {encode_rate:.0f} /s "
        f"(rapport {verify_rate / encode_rate:.2f})"
    )


def bench_allotment(url: str, total: int, processes: int, threads: int) -> bool:

    from titres.vehicules.allotment import allot_plate

    started = time.perf_counter()
    sequential = [allot_plate() for _ in range(total)]
    sequential_time = time.perf_counter() - started
    result = race(
        functools.partial(setup_django, url, **ENVIRONMENT),
        allot,
        range(total),
        processes=processes,
        threads=threads,
    )
    elapsed, plates, errors = result.elapsed, result.outcomes, result.errors
    distinct = len(set(plates) | set(sequential))
    ok = len(plates) == total and len(set(plates)) == total and distinct == 2 * total and not errors
    print(
        f"{total} attributions concurrentes de numéros SIV ({processes} processus × {threads} fils) : "
        f"{len(set(plates))} numéros distincts en {elapsed:.2f} s ; {total} attributions à la suite "
        f"par un seul fil : {sequential_time:.2f} s (rapport {elapsed / sequential_time:.2f})"
    )
    if errors:
        print(f"{len(errors)} erreur(s), par exemple : {errors[0]}")
    return ok


def bench_change_of_holder(count: int) -> None:
    from django.db import transaction

    from titres.vehicules.generator import generate
    from titres.vehicules.models import Vehicle
    from titres.vehicules.services.registry import HolderData, bulk_import, change_holder

    crowd = generate(count * 2, seed=int(time.time()))
    existing = set(Vehicle.objects.values_list("plate", flat=True))
    crowd = [g for g in crowd if g.data.plate.replace("-", "").replace(" ", "") not in existing]
    bulk_import(vehicles=crowd, actor=None, source="bench")
    vehicles = list(Vehicle.objects.order_by("-id")[: count * 2])
    new = HolderData(last_name="BENCH", first_names="Camille", postal_code="54000", commune="Nancy")
    started = time.perf_counter()
    for vehicle in vehicles[:count]:
        change_holder(
            vehicle=vehicle, holders=[new], actor=None, demarche_number="BENCH", on=date.today()
        )
    service_rate = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for vehicle in vehicles[count:]:
        with transaction.atomic():
            Vehicle.objects.filter(pk=vehicle.pk).update(ci_date=date.today())
    bare_rate = count / (time.perf_counter() - started)
    print(
        f"Changement de titulaire (registre + historique + journal) : {service_rate:.0f} /s ; "
        f"simple mise à jour de la ligne du véhicule : {bare_rate:.0f} /s "
        f"(rapport {service_rate / bare_rate:.3f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allotments", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8, help="par processus")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--changes", type=int, default=200)
    args = parser.parse_args()

    url = dedicated_database(BENCH_DB)
    setup_django(url, **ENVIRONMENT)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    record = sample_record()
    bench_documents(record, args.repeat)
    ok = bench_allotment(url, args.allotments, args.processes, args.threads)
    bench_change_of_holder(args.changes)
    return 0 if ok else 1


def sample_record():
    """An unsaved change of holder with a filed démarche, for the PDFs."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from titres.procedures.models import Demarche
    from titres.vehicules.generator import generate
    from titres.vehicules.models import ChangeOfHolder, Vehicle
    from titres.vehicules.services.registry import register_vehicle

    generated = generate(1, seed=7)[0]
    vehicle = Vehicle.objects.filter(vin=generated.data.vin).first() or register_vehicle(
        data=generated.data, actor=None
    )
    owner = get_user_model()(username="bench", first_name="Camille", last_name="Bench")
    demarche = Demarche(
        number="BENCH",
        owner=owner,
        procedure_code="vehicule-changement-titulaire",
        status="EN_COURS",
        submitted_at=timezone.now(),
        answers={
            "nouveau-titulaire": {
                "nom_naissance": "BENCH",
                "prenoms": "Camille",
                "adresse": "12 rue Saint-Dizier",
                "code_postal": "54000",
                "commune": "Nancy",
            }
        },
    )
    return ChangeOfHolder(
        demarche=demarche,
        vehicle=vehicle,
        cpi_number="CP123456789X",
        cpi_valid_until=date.today() + timedelta(days=30),
        amount_cents=31376,
        taxes={"lines": [{"code": "Y1", "label": "Taxe régionale", "amount_cents": 30000}]},
    )


if __name__ == "__main__":
    sys.exit(main())
