"""The dedicated PostgreSQL database of a benchmark, on the server of
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), so that a
bench never fills the database the tests or the portal use."""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"


def dedicated_database(name: str) -> str:
    """Create database `name` if it does not exist yet (connecting to the one
    in DATABASE_URL) and return its URL; exit when DATABASE_URL is not
    PostgreSQL."""
    import psycopg
    from psycopg import sql

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit(f"PostgreSQL requis (DATABASE_URL={url})")
    with psycopg.connect(urlunsplit(parts._replace(scheme="postgresql")), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


def setup_django(url: str, **environment: str) -> None:
    """Django on the bench database `url`; `environment` are the bench's own
    defaults, before the common ones (a variable already set in the shell wins)."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "titres.settings"
    for name, value in environment.items():
        os.environ.setdefault(name, value)
    # No worker: tasks run inline (the benches send no e-mail).
    os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    # DEBUG is off and stamps are paid at the local demonstration bank:
    # PaiementsConfig.ready() refuses that without this flag.
    os.environ.setdefault("PAYMENT_ALLOW_LOCAL_WITHOUT_DEBUG", "1")
    import django

    django.setup()
