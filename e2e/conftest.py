"""Browser journeys: Debian's Chromium driven by Playwright against a live
server, with an axe-core accessibility check on each page visited."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by the tests themselves (fixtures, assertions) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# Rules whose failures are real defects; every violation of impact
# "serious" or "critical" fails the journey.
FAILING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(config, items):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(reason=f"Chromium absent ({CHROMIUM}) : apt-get install chromium")
        for item in items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _warm_live_server(browser, live_server):
    """The first page a worker's live server serves imports and compiles
    what every later page reuses (seconds on a loaded machine): served once
    here, with room, so that no journey's 15 s timeout pays for it."""
    context = browser.new_context(base_url=live_server.url)
    try:
        context.new_page().goto("/", timeout=60000)
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server, settings, _warm_live_server):
    settings.SITE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login_as(live_server):
    """`login_as(page, user)` signs the browser page in as `user` without
    going through the login form: the session cookie of Django's test
    Client `force_login`, added to the page's context. Works for any page
    of the live server (a second browser context for another person too).
    The login form itself is covered by the accounts journeys."""
    from django.conf import settings
    from django.test import Client

    def login(page, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return login


@pytest.fixture
def check_a11y(request):
    """Call `check_a11y(page)` on each page of a journey: axe-core, then the
    page checks of e2e/pagecheck.py (clipped text, raw codes, a heading
    twice, horizontal scroll at the page's width and at 375 px), which also
    save the page's screenshots under var/screenshots/<test>/."""
    from axe_playwright_python.sync_playwright import Axe

    from e2e import pagecheck

    axe = Axe()
    counter = iter(range(1, 1000))

    def check(page, *, context=None):
        results = axe.run(page, context=context)
        violations = [
            v for v in results.response["violations"] if v.get("impact") in FAILING_IMPACTS
        ]
        if violations:
            details = "\n".join(
                f"- {v['id']} ({v['impact']}): {v['help']} → "
                + ", ".join(str(n["target"]) for n in v["nodes"][:5])
                for v in violations
            )
            pytest.fail(f"Accessibilité ({page.url}) :\n{details}")
        problems = pagecheck.check_page(page, test_name=request.node.name, index=next(counter))
        if problems:
            pytest.fail(f"Page ({page.url}) :\n" + "\n".join(f"- {p}" for p in problems))

    return check


@pytest.fixture
def mailbox():
    """Read the development mailbox (the live server uses the same database)."""
    from titres.core.models import MailboxMessage

    class Mailbox:
        def last_to(self, address):
            # Filtered in Python: SQLite cannot query inside a JSON list.
            return next((m for m in MailboxMessage.objects.all() if address in m.to), None)

        def all(self):
            return list(MailboxMessage.objects.all())

    return Mailbox()


@pytest.fixture(autouse=True)
def _mailbox_backend(settings):
    settings.EMAIL_BACKEND = "titres.core.mailbox.MailboxBackend"
    settings.DEBUG = True
    settings.DEV_MAILBOX_ENABLED = True


def _reference_models():
    """The rows every journey starts from that a flush removes: the content
    types and permissions Django creates after migrating, the communes and
    départements of the data migration. In the order they can be inserted."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from titres.permis.models import Commune, Departement

    return (ContentType, Permission, Departement, Commune)


@pytest.fixture(scope="session")
def _no_post_migrate_after_flush(django_db_setup):
    """The flush after each transactional test sends post_migrate, which
    recreates every content type and permission one query at a time (about
    1 s per journey); `_reference_data` writes them back from its copy
    instead, with the ids they had."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.db.models.signals import post_migrate

    permissions_uid = "django.contrib.auth.management.create_permissions"
    post_migrate.disconnect(create_permissions, dispatch_uid=permissions_uid)
    post_migrate.disconnect(create_contenttypes)
    yield
    post_migrate.connect(create_contenttypes)
    post_migrate.connect(create_permissions, dispatch_uid=permissions_uid)


def _copy_table(model) -> str:
    return f"e2e_copy_{model._meta.db_table}"


@pytest.fixture(scope="session")
def _reference_copies(django_db_setup, django_db_blocker, _no_post_migrate_after_flush):
    """Copies of the `_reference_models` tables as the migration filled
    them, in tables of their own that no flush touches."""
    from django.db import connection

    from titres.permis.communes import ensure_reference_data

    quote = connection.ops.quote_name
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        ensure_reference_data()
        for model in _reference_models():
            copy = quote(_copy_table(model))
            cursor.execute(f"DROP TABLE IF EXISTS {copy}")
            table = quote(model._meta.db_table)
            cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {table}")  # noqa: S608 - model names


@pytest.fixture(autouse=True)
def _reference_data(db, _reference_copies):
    """Transactional tests flush every table, including the rows of
    `_reference_models`: put them back, from the copies, in one statement
    per table. Rebuilding the communes from the CSV (35 000 read, normalised
    and saved) took about 2 s per journey, post_migrate's content types and
    permissions about 1 s."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    models = _reference_models()
    if all(model.objects.exists() for model in models):
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for model in reversed(models):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608 - model names
        for model in models:
            columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields)
            table, copy = quote(model._meta.db_table), quote(_copy_table(model))
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {copy}")  # noqa: S608
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_agent_tools():
    """The agents' menu entries are kept a minute per process: a journey's
    agent never inherits those of an earlier journey's agent with the same id."""
    from titres.instruction.tools import forget_visibility

    forget_visibility()
    yield
    forget_visibility()
