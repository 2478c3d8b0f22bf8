import pytest
from django.db import connection

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


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """Between tasks the worker closes connections that look unusable; inside
    a test's wrapping transaction every connection does, and on PostgreSQL
    the test's own one would be closed. Django's test client does the same
    for requests (it disconnects `close_old_connections` from the request
    signals). Transactional tests (no wrapping transaction) keep the real
    behaviour."""
    from titres.jobs import worker

    real = worker.close_old_connections

    def outside_the_test_transaction():
        if not connection.in_atomic_block:
            real()

    monkeypatch.setattr(worker, "close_old_connections", outside_the_test_transaction)
