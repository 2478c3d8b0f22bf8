"""schemathesis against the OpenAPI document the API serves: every
endpoint, bounded examples; no server error, no answer outside its schema
(status code, content type, body). Run by CI with the rest of the suite."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from titres.core import ratelimit
from titres.partenaires import quota
from titres.partenaires.enums import Scope

from .factories import issue
from .helpers import logged_calls

# Bounded: a few minutes for the whole document on a loaded CI machine.
MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def secret(db, monkeypatch):
    # Every generated call must reach the endpoint's code, not the quota.
    monkeypatch.setattr(quota, "TOKEN_LIMIT", "100000/second")
    monkeypatch.setattr(quota, "IP_LIMIT", "100000/second")
    ratelimit.reset()
    _, secret = issue(scopes=list(Scope.values))
    return secret


@pytest.fixture
def keep_the_test_connection():
    """schemathesis calls the real WSGI application, whose request signals
    close "obsolete" connections — inside the test's transaction that is
    the test's own PostgreSQL connection. Django's test client disconnects
    them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_served_openapi(secret, keep_the_test_connection):
    from titres.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {
        "/api/v1/permis-de-conduire",
        "/api/v1/vehicule",
        "/api/v1/titre-identite",
        "/api/v1/pre-demande",
    }
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)

        check()
    # The calls did reach the API (each is logged).
    assert logged_calls().filter(token__isnull=False).count() >= len(operations) * 5
