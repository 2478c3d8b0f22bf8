"""Issue 20: the token and the call log row read and written by SQL written
once from the models; each must give exactly what the ORM gives."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from titres.partenaires import auth, calllog
from titres.partenaires.models import ApiToken, CallLog

from .factories import PartnerFactory, issue

pytestmark = pytest.mark.django_db


def _values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_token_read_is_the_orms_select_related_read():
    partner = PartnerFactory(state_reason="Motif « avec accents »")
    token, _secret = issue(partner, ip_allowlist=["192.0.2.0/24"])
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    expected = ApiToken.objects.select_related("partner").get(pk=token.pk)
    with CaptureQueriesContext(connection) as queries:
        read = auth.read_token(token.key_id)
        partner_read = read.partner  # no second query: it came with the token
    assert len(queries) == 1
    assert _values(read) == _values(expected)
    assert _values(partner_read) == _values(expected.partner)
    assert read.scopes == expected.scopes and isinstance(read.scopes, list)
    assert read.ip_allowlist == ["192.0.2.0/24"]
    assert timezone.is_aware(read.expires_at) and timezone.is_aware(read.revoked_at)
    assert read._state.adding is False and read._state.db == "default"
    assert auth.read_token("inconnu0") is None


def test_the_direct_call_log_insert_is_the_orms_create():
    token, _secret = issue()
    at = timezone.now() - dt.timedelta(seconds=3)
    entry = uuid.uuid4().hex
    fields = {
        "token_id": token.pk,
        "method": "GET",
        "path": "/api/v1/permis-de-conduire",
        "params_hash": "a" * 64,
        "ip": "2001:db8::1",
        "status_code": 404,
        "error_code": "00404",
        "latency_ms": 7,
        "request_id": "req-12345678",
    }
    calllog._insert(at=at, entry_id=entry, **fields)
    row = CallLog.objects.get()
    assert _values(row) == {"id": row.pk, "at": at, "entry_id": uuid.UUID(entry), **fields}
