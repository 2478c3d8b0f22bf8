"""Benchmark of the agents' advanced search (issue 7).

    DEBUG=0 .venv/bin/python bench/search.py [--rows 1000000] [--queries 200]

On PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
it creates and migrates a dedicated database `titres_bench_search`, generates
`--rows` submitted démarches with their search entries by COPY (streamed,
low memory; data already there is reused), then times the search by name +
birth date and by file number through `titres.instruction.search`
(the queryset code of the view: count + first page), beside the bare SQL
of the same lookup. It prints figures; it never asserts a time.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import dedicated_database  # noqa: E402 - bench/ is the script's folder

BENCH_DB = "titres_bench_search"
# The licence procedure: its search_values hook fills the entries.
PROCEDURE = "permis-de-conduire"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SYLLABLES = [
    "COR",
    "NEI",
    "LLE",
    "MÉ",
    "NARD",
    "DE",
    "LAU",
    "NAY",
    "O",
    "GER",
    "TES",
    "SIER",
    "BER",
    "TRAND",
    "DU",
    "PONT",
    "MAR",
    "TIN",
    "LE",
    "ROY",
    "FAU",
    "RE",
    "GI",
    "RAUD",
    "CHÂ",
    "TEL",
    "BOU",
    "CHER",
    "LAN",
    "GLOIS",
    "PÉ",
    "RIN",
    "VI",
    "DAL",
    "RO",
    "BIN",
    "HU",
    "GUET",
]
FIRST_NAMES = [
    "Pierre",
    "Raoul",
    "Antoine",
    "David",
    "Étienne",
    "Marie",
    "Anne",
    "Louise",
    "Hélène",
    "Jean",
    "Paul",
    "Jacques",
    "Chloé",
    "Zoé",
    "Léa",
    "Noël",
    "Agnès",
    "Gaëlle",
    "Inès",
    "Jérôme",
]
MOTIFS = ["vol", "perte", "deterioration", "expiration", "changement_etat_civil"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50_000)
    return parser.parse_args()


def prepare_database() -> None:
    os.environ["DATABASE_URL"] = dedicated_database(BENCH_DB)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titres.settings")
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def fixtures():
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from titres.instruction.models import AgentMembership
    from titres.procedures.models import Authority

    authority, _ = Authority.objects.get_or_create(
        code="543", defaults={"name": "Préfecture de Meurthe-et-Moselle", "kind": "prefecture"}
    )
    User = get_user_model()
    agent, _ = User.objects.get_or_create(
        username="bench-agent", defaults={"email": "bench-agent@bench.invalid"}
    )
    AgentMembership.objects.get_or_create(
        user=agent, authority=authority, defaults={"role": "agent_instructeur"}
    )
    TOTPDevice.objects.get_or_create(user=agent, name="bench", defaults={"confirmed": True})
    owners = list(
        User.objects.filter(username__startswith="bench-usager-").values_list("pk", flat=True)
    )
    if len(owners) < 1000:
        User.objects.bulk_create(
            [
                User(
                    username=f"bench-usager-{i}",
                    email=f"bench-usager-{i}@bench.invalid",
                    password="!",
                )
                for i in range(len(owners), 1000)
            ],
            batch_size=1000,
        )
        owners = list(
            User.objects.filter(username__startswith="bench-usager-").values_list("pk", flat=True)
        )
    return authority, agent, owners


def bench_number(i: int) -> str:
    digits = []
    for _ in range(11):
        i, r = divmod(i, 32)
        digits.append(ALPHABET[r])
    return "B" + "".join(reversed(digits))


def generate(rows: int, batch: int, authority, owners) -> None:
    """COPY démarches then their search entries, with explicit ids."""
    import json

    from django.db import connection

    from titres.instruction.models import DemarcheSearchEntry
    from titres.instruction.search import entry_values
    from titres.procedures.models import Demarche

    existing = Demarche.objects.filter(procedure_code=PROCEDURE).count()
    if existing >= rows:
        print(f"données existantes réutilisées : {existing:,} démarches")
        return
    print(f"génération de {rows - existing:,} démarches (déjà présentes : {existing:,})…")
    rng = random.Random(existing + 2016)
    last_names = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(5000)
    ]
    epoch = date(1940, 1, 1)
    base_time = datetime(2024, 1, 1, tzinfo=UTC)
    demarche_table = Demarche._meta.db_table
    entry_table = DemarcheSearchEntry._meta.db_table
    entry_fields = [
        "last_name_display",
        "first_names_display",
        "last_name",
        "usage_name",
        "first_name",
        "first_names",
        "birth_date",
        "sex",
        "reference",
        "motif",
        "postal_code",
        "departement",
        "year",
        "last_event",
    ]
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {demarche_table}")
        next_id = cursor.fetchone()[0] + 1
    done = existing
    while done < rows:
        count = min(batch, rows - done)
        with connection.cursor() as cursor:
            raw = cursor.connection
            demarche_rows = []
            for k in range(count):
                index = done + k
                name = rng.choice(last_names)
                first = rng.sample(FIRST_NAMES, rng.randint(1, 2))
                submitted = base_time + timedelta(minutes=index % 1_000_000)
                answers = {
                    "motif": {"motif": rng.choice(MOTIFS)},
                    "etat_civil": {
                        "nom_naissance": name,
                        "nom_usage": "",
                        "prenoms": first,
                        "date_naissance": (
                            epoch + timedelta(days=rng.randint(0, 24000))
                        ).isoformat(),
                        "sexe": rng.choice("MF"),
                        "neph": f"{rng.randint(10**11, 10**12 - 1)}",
                    },
                    "adresse": {"code_postal": f"54{rng.randint(0, 999):03d}"},
                }
                demarche_rows.append((next_id + k, bench_number(index), submitted, answers))
            with raw.cursor().copy(
                f"COPY {demarche_table} (id, number, procedure_code, owner_id, acting_for, status,"
                " answers, last_step, payment_reference, authority_id, created_at, updated_at,"
                " submitted_at) FROM STDIN"
            ) as copy:
                for pk, number, submitted, answers in demarche_rows:
                    copy.write_row(
                        (
                            pk,
                            number,
                            PROCEDURE,
                            owners[pk % len(owners)],
                            "{}",
                            rng.choice(["EN_COURS", "EN_COURS", "VALIDEE", "TERMINEE", "REJETEE"]),
                            json.dumps(answers),
                            "",
                            "",
                            authority.pk,
                            submitted,
                            submitted,
                            submitted,
                        )
                    )
            with raw.cursor().copy(
                f"COPY {entry_table} (demarche_id, {', '.join(entry_fields)}) FROM STDIN"
            ) as copy:
                for pk, _number, submitted, answers in demarche_rows:
                    values = entry_values(
                        Demarche(
                            procedure_code=PROCEDURE,
                            answers=answers,
                            submitted_at=submitted,
                            created_at=submitted,
                        )
                    )
                    values["last_event"] = "soumettre"
                    copy.write_row((pk, *[values[f] for f in entry_fields]))
        next_id += count
        done += count
        print(f"  {done:,} / {rows:,} ({time.perf_counter() - start:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{demarche_table}', 'id'), (SELECT MAX(id) FROM {demarche_table}))"
        )
        cursor.execute(f"ANALYZE {demarche_table}")
        cursor.execute(f"ANALYZE {entry_table}")


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(function, inputs):
    durations = []
    for args in inputs:
        begin = time.perf_counter()
        function(*args)
        durations.append(time.perf_counter() - begin)
    return durations


def measure(queries: int, authority, agent) -> None:
    from django.core.paginator import Paginator
    from django.db import connection

    from titres.instruction.access import agent_demarches
    from titres.instruction.models import DemarcheSearchEntry
    from titres.instruction.search import Criteria, search_demarches
    from titres.procedures.models import Demarche

    rng = random.Random(7)
    total = DemarcheSearchEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.last_name_display, e.birth_date, d.number FROM "
            f"{Demarche._meta.db_table} d TABLESAMPLE SYSTEM (1) JOIN "
            f"{DemarcheSearchEntry._meta.db_table} e ON d.id = e.demarche_id LIMIT %s",
            [queries * 5],
        )
        sample = cursor.fetchall()
    rng.shuffle(sample)
    sample = sample[:queries]
    if not sample:
        sys.exit("aucune donnée à interroger")

    def base():
        return (
            agent_demarches(agent)
            .filter(authority=authority)
            .select_related("search_entry", "assignment__agent")
        )

    def view_search(criteria):
        page = Paginator(search_demarches(base(), criteria), 25).get_page(1)
        return page.paginator.count, list(page)

    from titres.core.normalisation import normalise_name

    entry_table = DemarcheSearchEntry._meta.db_table
    demarche_table = Demarche._meta.db_table

    def bare_name(name, birth):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.id, d.number FROM {entry_table} e JOIN {demarche_table} d ON d.id = e.demarche_id"
                " WHERE (e.last_name = %s OR e.usage_name = %s) AND e.birth_date = %s"
                " AND d.authority_id = %s ORDER BY d.submitted_at, d.id LIMIT 25",
                [normalise_name(name), normalise_name(name), birth, authority.pk],
            )
            return cursor.fetchall()

    def bare_number(number):
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {demarche_table} WHERE number = %s AND authority_id = %s",
                [number, authority.pk],
            )
            return cursor.fetchall()

    # Warm-up (connection, caches) is not measured.
    view_search(Criteria(nom=sample[0][0], date_naissance=sample[0][1]))
    bare_name(sample[0][0], sample[0][1])

    name_inputs = [(Criteria(nom=n.lower(), date_naissance=b),) for n, b, _ in sample]
    number_inputs = [(Criteria(numero=num),) for _, _, num in sample]
    results = {
        "nom + date de naissance (recherche de la vue)": timed(view_search, name_inputs),
        "nom + date de naissance (SQL nu)": timed(bare_name, [(n, b) for n, b, _ in sample]),
        "numéro de demande (recherche de la vue)": timed(view_search, number_inputs),
        "numéro de demande (SQL nu)": timed(bare_number, [(num,) for _, _, num in sample]),
    }
    found = sum(1 for (c,) in name_inputs[:20] if view_search(c)[0] >= 1)
    if found == 0:
        sys.exit("Les recherches par nom ne trouvent rien : les mesures ne seraient pas valables.")
    print(
        f"\n{total:,} entrées de recherche ; {len(sample)} requêtes par mesure "
        f"({found}/20 recherches par nom vérifiées non vides)"
    )
    print(f"{'mesure':<50} {'p50 (ms)':>9} {'p95 (ms)':>9}")
    for label, durations in results.items():
        p50, p95 = percentiles(durations)
        print(f"{label:<50} {p50:>9.2f} {p95:>9.2f}")
    print("objectif : p95 < 50 ms pour la recherche de la vue")


def main():
    args = parse_args()
    prepare_database()
    setup_django()
    authority, agent, owners = fixtures()
    # What OTPMiddleware sets after the second factor: agents' access
    # policies grant nothing to an unverified session.
    agent.is_verified = lambda: True
    generate(args.rows, args.batch, authority, owners)
    measure(args.queries, authority, agent)


if __name__ == "__main__":
    main()
