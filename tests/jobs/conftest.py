import pytest

from tests.jobs import tasks


@pytest.fixture
def db_backend(settings):
    """The database backend the workers serve (the suite uses the
    immediate one), with retries due at once unless a test says otherwise."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "mail", "documents", "production"],
        }
    }
    settings.TASKS_RETRY_BASE_SECONDS = 0
    settings.TASKS_MAX_ATTEMPTS = 3
    settings.TASKS_LEASE_SECONDS = 60
    tasks.CALLS.clear()
    return settings


@pytest.fixture
def make_worker():
    from titres.jobs.worker import LeasedWorker

    def build(queues=("default",), worker_id="worker-a", **overrides):
        options = {
            "queue_names": list(queues),
            "excluded_queue_names": [],
            "interval": 0,
            "batch": True,
            "backend_name": "default",
            "startup_delay": False,
            "max_tasks": None,
            "worker_id": worker_id,
            **overrides,
        }
        return LeasedWorker(**options)

    return build


def pytest_collection_modifyitems(config, items):
    """Known open problem (issue 16 note): the worker tests close the test's
    PostgreSQL connection when they simulate a killed worker; they run on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    skip = pytest.mark.skip(reason="worker tests close the PostgreSQL test connection (issue 16)")
    for item in items:
        if "tests/jobs/" in str(item.fspath):
            item.add_marker(skip)
