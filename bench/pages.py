"""Requests per second of the main pages beside a bare Django view.

Run from the repository root: `make bench-pages`
(= DEBUG=0 .venv/bin/python bench/pages.py [--workers 2 --connections 4
--seconds 4 --rounds 3 --only home,login] [--profile PAGE]).

Production settings (DEBUG=0, the cached template loader, manifest static
files) on PostgreSQL and Redis: a dedicated database `titres_bench_pages`
(or BENCH_PAGES_DB) on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/test),
REDIS_URL (default redis://127.0.0.1:6379/13), files under var/bench-pages/.
gunicorn serves `bench/pages_app.py` (the portal plus the bare view) with
`--workers` sync workers, as docs/deployment.md runs it; the load comes
from wrk (Debian package, installed with apt-get when missing and root),
a separate process.

Measured in rounds, each page right after a run of the bare view (the
machine's load changes from one minute to the next: a ratio to the
neighbouring baseline is much steadier than to one measured earlier):
- nue: a view doing one indexed query (SELECT by primary key), through the
  same middleware: the ceiling a page can reach on this machine;
- accueil (home), connexion (login), timbre (the public stamp check),
  anonymous;
- mes-demarches: "Mes démarches" of a signed-in citizen with 20 files;
- etape: a wizard step (État civil of a permis draft) of the same citizen;
- liste-agent: an agent's work list, authority with 100 files (TOTP-verified
  session).
Prints req/s (median of the rounds), the ratio to the baseline (median of
the per-round ratios) and the p50/p95 latency; never asserts a time. Exit status 1 when a page does not
answer 200 (a redirect to the login page would measure the wrong page).

--profile PAGE renders PAGE 200 times in this process (Django's test
client, same data and settings) under pyinstrument and prints where the
time goes. --calls prints the Python function calls per request of each
page (cProfile, same client): a count that does not move with the load;
with --stats PAGE,… it also prints those pages' costliest functions
(cumulative and own time).
"""

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(ROOT))

from benchdb import dedicated_database  # noqa: E402 - bench/ is the script's folder

# BENCH_PAGES_DB names another database: two checkouts benching at once
# would otherwise load and read each other's data.
BENCH_DB = os.environ.get("BENCH_PAGES_DB", "titres_bench_pages")
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
VAR_DIR = ROOT / "var" / "bench-pages"
AUTHORITY = "BENCH-54"
CITIZEN_FILES = 20
AGENT_FILES = 100
# wrk's done() hook: one JSON line with the counts and the percentiles.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, '
    .. '"non_2xx": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="workers gunicorn")
    parser.add_argument("--connections", type=int, default=4, help="connexions wrk")
    parser.add_argument("--seconds", type=float, default=4.0, help="durée de chaque mesure")
    parser.add_argument("--rounds", type=int, default=3, help="tours (médiane)")
    parser.add_argument("--only", default="", help="pages à mesurer, séparées par des virgules")
    parser.add_argument("--profile", default="", help="profile cette page (pyinstrument)")
    parser.add_argument(
        "--calls",
        action="store_true",
        help="appels de fonctions Python par requête (cProfile), au lieu de wrk",
    )
    parser.add_argument(
        "--stats",
        default="",
        help="avec --calls : les fonctions les plus coûteuses de ces pages (cumulé, propre)",
    )
    return parser.parse_args()


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk manquant : installation par apt-get…", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        return shutil.which("wrk") or sys.exit("wrk introuvable après installation")
    sys.exit("wrk est requis : sudo apt-get install wrk")


def configure_environment() -> dict:
    """The environment of this process and of gunicorn: production
    settings on the bench's own database, Redis and files."""
    os.environ["DATABASE_URL"] = dedicated_database(BENCH_DB)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS)
    os.environ["TITRES_VAR_DIR"] = str(VAR_DIR)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    # Plain HTTP on 127.0.0.1: Secure cookies would never come back from wrk.
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "titres.settings"
    return dict(os.environ)


def setup_django() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    # Manifest static files (DEBUG=0): {% static %} needs the manifest.
    call_command("collectstatic", verbosity=0, interactive=False)


def user(username: str, **extra):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    account, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@bench.localhost",
            "first_name": "Pierre",
            "last_name": "Corneille",
            "email_verified_at": timezone.now(),
            **extra,
        },
    )
    return account


def answers(index: int) -> dict:
    return {
        "motif": {"motif": "vol"},
        "etat_civil": {
            "nom_naissance": f"CORNEILLE{index}",
            "nom_usage": "",
            "prenoms": ["Pierre"],
            "date_naissance": "1956-01-01",
            "sexe": "M",
            "commune_naissance": "Nancy",
            "departement_naissance": "54",
        },
        "adresse": {"code_postal": "54000"},
    }


def fixtures() -> dict:
    """Idempotent: a citizen with 20 files (one a draft), an agent of an
    authority holding 100 submitted files, current terms accepted."""
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from titres.accounts.models import TermsAcceptance
    from titres.accounts.services.terms import current_terms, publish_terms_version
    from titres.instruction.enums import AgentRole
    from titres.instruction.models import AgentMembership
    from titres.instruction.search import index_demarche
    from titres.permis.procedure import CODE
    from titres.procedures.enums import AuthorityKind, Status
    from titres.procedures.models import Authority, Demarche

    terms = current_terms()
    if terms is None:
        terms = publish_terms_version(actor=None, text="Conditions du banc d’essai.")
    citizen = user("bench.usager")
    TermsAcceptance.objects.get_or_create(user=citizen, version_id=terms.pk)
    other = user("bench.autre")
    agent = user("bench.agent", is_staff=True)
    authority, _created = Authority.objects.get_or_create(
        code=AUTHORITY,
        defaults={"name": "Préfecture du banc", "kind": AuthorityKind.PREFECTURE},
    )
    AgentMembership.objects.get_or_create(
        user=agent, authority=authority, defaults={"role": AgentRole.AGENT_INSTRUCTEUR}
    )
    device, _created = TOTPDevice.objects.get_or_create(
        user=agent, name="banc", defaults={"confirmed": True}
    )
    statuses = [Status.EN_COURS, Status.EN_ATTENTE_USAGER, Status.VALIDEE, Status.TERMINEE]
    now = timezone.now()
    for owner, count in ((citizen, CITIZEN_FILES - 1), (other, AGENT_FILES)):
        for index in range(Demarche.objects.filter(owner=owner).count(), count):
            status = statuses[index % len(statuses)] if owner == citizen else Status.EN_COURS
            demarche = Demarche.objects.create(
                procedure_code=CODE,
                owner=owner,
                status=status,
                answers=answers(index),
                authority=authority,
                submitted_at=now - timedelta(days=index % 30, minutes=index),
            )
            index_demarche(demarche)
    draft = Demarche.objects.filter(owner=citizen, status=Status.BROUILLON).first()
    if draft is None:
        draft = Demarche.objects.create(
            procedure_code=CODE, owner=citizen, status=Status.BROUILLON, answers=answers(0)
        )
    return {"citizen": citizen, "agent": agent, "device": device, "terms": terms, "draft": draft}


def session_cookie(account, *, terms=None, device=None) -> str:
    """A signed-in session as the login views leave it (the terms already
    checked once, the agent's second factor verified)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from titres.accounts.middleware import TERMS_SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(account.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = account.get_session_auth_hash()
    if terms is not None:
        session[TERMS_SESSION_KEY] = terms.version
    if device is not None:
        session["otp_device_id"] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def targets(data: dict) -> list[tuple[str, str, str]]:
    """(name, path, cookie) in the order measured."""
    from django.urls import reverse
    from pages_app import BARE_PATH

    citizen = session_cookie(data["citizen"], terms=data["terms"])
    agent = session_cookie(data["agent"], device=data["device"])
    return [
        ("nue", "/" + BARE_PATH, ""),
        ("accueil", reverse("core:home"), ""),
        ("connexion", reverse("accounts:login"), ""),
        ("timbre", reverse("paiements:verifier"), ""),
        ("mes-demarches", reverse("procedures:list"), citizen),
        (
            "etape",
            reverse("procedures:step", args=[data["draft"].number, "etat_civil"]),
            citizen,
        ),
        ("liste-agent", reverse("instruction:worklist", args=[AUTHORITY]), agent),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, workers: int, port: int) -> subprocess.Popen:
    log = open(VAR_DIR / "gunicorn.log", "a")  # noqa: SIM115 - kept open for the child
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "pages_app:application",
            "--pythonpath",
            f"{ROOT},{BENCH_DIR}",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn s'est arrêté : voir {VAR_DIR / 'gunicorn.log'}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    stop(process)
    sys.exit("gunicorn ne répond pas sur /healthz")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(base: str, name: str, path: str, cookie: str) -> str | None:
    """None when the page answers 200, else what it answered."""
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 built here
        base + path, headers={"Cookie": cookie} if cookie else {}
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            response.read()
            return None
    except urllib.error.HTTPError as error:
        return f"{name} : HTTP {error.code} {error.headers.get('Location', '')}"


def wrk(binary: str, script: str, url: str, cookie: str, connections: int, seconds: float):
    command = [binary, "-t1", f"-c{connections}", f"-d{seconds:g}s", "-s", script, url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    figures = json.loads(line)
    figures["rate"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def measure(args, env: dict, pages: list[tuple[str, str, str]]) -> int:
    binary = ensure_wrk()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_gunicorn(env, args.workers, port)
    try:
        refused = [error for page in pages if (error := check(base, *page))]
        if refused:
            print("Pages qui ne répondent pas 200 :", *refused, sep="\n  ")
            return 1
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_REPORT)
        results: dict[str, list[dict]] = {name: [] for name, _path, _cookie in pages}
        ratios: dict[str, list[float]] = {name: [] for name, _path, _cookie in pages}
        for _name, path, cookie in pages:  # warm-up: templates, connections
            wrk(binary, script.name, base + path, cookie, args.connections, 1)
        bare_path = pages[0][1]
        for _round in range(args.rounds):
            # The bare view right before each page: on a shared machine the
            # load changes from one minute to the next, a ratio to the
            # neighbouring baseline does much less.
            for name, path, cookie in pages[1:]:
                bare = wrk(
                    binary, script.name, base + bare_path, "", args.connections, args.seconds
                )
                figures = wrk(
                    binary, script.name, base + path, cookie, args.connections, args.seconds
                )
                results[pages[0][0]].append(bare)
                results[name].append(figures)
                ratios[name].append(figures["rate"] / bare["rate"])
        os.unlink(script.name)
    finally:
        stop(process)
    report(args, pages, results, ratios)
    return 1 if any(f["non_2xx"] for runs in results.values() for f in runs) else 0


def report(args, pages, results, ratios) -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(
        f"Pages, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit}, "
        f"{os.cpu_count()} cœurs ; gunicorn {args.workers} workers sync, DEBUG=0, "
        f"PostgreSQL + Redis ; wrk {args.connections} connexions, "
        f"{args.rounds} × {args.seconds:g} s par page, la vue nue mesurée juste avant chaque page "
        "(médianes ; × nue : médiane des rapports à la vue nue voisine)"
    )
    print(f"{'page':<14} {'req/s':>8} {'× nue':>7} {'p50':>8} {'p95':>8} {'non-2xx':>8}")
    median_rate = {
        name: statistics.median(f["rate"] for f in runs) for name, runs in results.items()
    }
    for name, _path, _cookie in pages:
        runs = results[name]
        p50 = statistics.median(f["p50_us"] for f in runs) / 1000
        p95 = statistics.median(f["p95_us"] for f in runs) / 1000
        errors = sum(f["non_2xx"] + f["socket_errors"] for f in runs)
        ratio = statistics.median(ratios[name]) if ratios[name] else 1.0
        print(
            f"{name:<14} {median_rate[name]:>8.0f} {ratio:>6.2f}× "
            f"{p50:>5.1f} ms {p95:>5.1f} ms {errors:>8}"
        )


def profile(name: str, pages: list[tuple[str, str, str]], count: int = 200) -> int:
    from django.test import Client
    from pyinstrument import Profiler

    chosen = [page for page in pages if page[0] == name]
    if not chosen:
        sys.exit(f"page inconnue : {name} ({', '.join(page[0] for page in pages)})")
    _name, path, cookie = chosen[0]
    client = Client()
    if cookie:
        key, value = cookie.split("=", 1)
        client.cookies[key] = value
    for _ in range(20):
        client.get(path)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    began = time.perf_counter()
    for _ in range(count):
        response = client.get(path)
    elapsed = time.perf_counter() - began
    profiler.stop()
    print(f"{name} : {count} rendus en {elapsed:.2f} s ({count / elapsed:.0f}/s, un processus)")
    print(f"dernier statut : {response.status_code}")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


def calls(pages: list[tuple[str, str, str]], count: int = 30, stats: tuple = ()) -> int:
    """Python function calls per request of each page (cProfile, Django's
    test client, same data and settings): unlike times, the count does not
    move with the machine's load."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.test import Client
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "pages_app"  # the bare view as gunicorn serves it
    clear_url_caches()
    print(f"{'page':<14} {'appels/requête':>15} {'statut':>7}")
    for name, path, cookie in pages:
        client = Client()
        if cookie:
            key, value = cookie.split("=", 1)
            client.cookies[key] = value
        for _ in range(10):  # templates compiled, kept parts filled
            client.get(path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            response = client.get(path)
        profiler.disable()
        total = pstats.Stats(profiler).total_calls
        print(f"{name:<14} {total / count:>15,.0f} {response.status_code:>7}")
        if name in stats:
            for order in ("cumulative", "tottime"):
                pstats.Stats(profiler).sort_stats(order).print_stats(40)
    return 0


def main() -> int:
    args = parse_args()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    env = configure_environment()
    setup_django()
    pages = targets(fixtures())
    if args.profile:
        return profile(args.profile, pages)
    if args.only:
        wanted = {"nue", *args.only.split(",")}
        pages = [page for page in pages if page[0] in wanted]
    if args.calls:
        return calls(pages, stats=tuple(filter(None, args.stats.split(","))))
    return measure(args, env, pages)


if __name__ == "__main__":
    sys.exit(main())
