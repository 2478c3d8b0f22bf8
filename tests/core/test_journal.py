import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from titres.core.journal import record_event, verify_chain
from titres.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_chain_links_each_entry_to_the_previous():
    first = record_event("test.premier", data={"a": 1})
    second = record_event("test.second", object_type="x", object_id="42")
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.hash
    assert verify_chain().ok
    call_command("verify_journal")


def test_tampered_row_is_named():
    record_event("test.a")
    victim = record_event("test.b", data={"montant": 25})
    record_event("test.c")
    AuditEvent.objects.filter(pk=victim.pk).update(data={"montant": 0})
    result = verify_chain()
    assert not result.ok
    assert result.broken.sequence == victim.sequence
    with pytest.raises(CommandError, match=f"entrée n° {victim.sequence}"):
        call_command("verify_journal")


def test_deleted_entry_in_the_middle_is_detected():
    record_event("test.a")
    middle = record_event("test.b")
    record_event("test.c")
    AuditEvent.objects.filter(pk=middle.pk).delete()
    result = verify_chain()
    assert not result.ok
    assert "séquence" in result.reason


def test_deleted_last_entry_is_detected():
    record_event("test.a")
    last = record_event("test.b")
    AuditEvent.objects.filter(pk=last.pk).delete()
    assert not verify_chain().ok
