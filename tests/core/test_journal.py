import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from titres.core.audit import AuditCode
from titres.core.journal import compute_hash, record_event, seal_pending, verify_chain
from titres.core.models import AuditEvent

pytestmark = pytest.mark.django_db


class SampleEvent(AuditCode):
    FIRST = "test.premier"
    SECOND = "test.second"
    A = "test.a"
    B = "test.b"
    C = "test.c"


def test_chain_links_each_entry_to_the_previous():
    first = record_event(SampleEvent.FIRST, data={"a": 1})
    second = record_event(SampleEvent.SECOND, object_type="x", object_id="42")
    assert seal_pending() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.hash
    assert verify_chain().ok
    call_command("verify_journal")


def test_tampered_row_is_named():
    record_event(SampleEvent.A)
    victim = record_event(SampleEvent.B, data={"montant": 25})
    record_event(SampleEvent.C)
    seal_pending()
    victim.refresh_from_db()
    AuditEvent.objects.filter(pk=victim.pk).update(data={"montant": 0})
    result = verify_chain()
    assert not result.ok
    assert result.broken.sequence == victim.sequence
    with pytest.raises(CommandError, match=f"entrée n° {victim.sequence}"):
        call_command("verify_journal")


def test_deleted_entry_in_the_middle_is_detected():
    record_event(SampleEvent.A)
    middle = record_event(SampleEvent.B)
    record_event(SampleEvent.C)
    seal_pending()
    AuditEvent.objects.filter(pk=middle.pk).delete()
    result = verify_chain()
    assert not result.ok
    assert "séquence" in result.reason


def test_deleted_last_entry_is_detected():
    record_event(SampleEvent.A)
    last = record_event(SampleEvent.B)
    seal_pending()
    AuditEvent.objects.filter(pk=last.pk).delete()
    assert not verify_chain().ok


def test_free_string_codes_are_refused():
    with pytest.raises(TypeError, match="unknown audit code 'accounts.login'"):
        record_event("accounts.login")
    assert not AuditEvent.objects.exists()


def _renamed_entry():
    """An entry written before the rename: hashed over its original code."""
    entry = record_event(SampleEvent.A)
    seal_pending()
    entry.refresh_from_db()
    entry.event = "demarche.creee"
    entry.hash = compute_hash(entry)
    AuditEvent.objects.filter(pk=entry.pk).update(event=entry.event, hash=entry.hash)
    from titres.core.models import JournalHead

    JournalHead.objects.filter(pk=1).update(last_hash=entry.hash)
    return entry


def test_renamed_codes_keep_the_chain_verifiable():
    from importlib import import_module

    from django.apps import apps as global_apps

    entry = _renamed_entry()
    record_event(SampleEvent.B)
    seal_pending()
    assert verify_chain().ok
    migration = import_module("titres.core.migrations.0002_audit_legacy_event")
    migration.rename_codes(global_apps, None)
    entry.refresh_from_db()
    assert (entry.event, entry.legacy_event) == ("procedures.demarche_created", "demarche.creee")
    assert verify_chain().ok
    migration.restore_codes(global_apps, None)
    entry.refresh_from_db()
    assert (entry.event, entry.legacy_event) == ("demarche.creee", "")
    assert verify_chain().ok


def test_renamed_entry_with_a_changed_code_is_detected():
    from importlib import import_module

    from django.apps import apps as global_apps

    entry = _renamed_entry()
    import_module("titres.core.migrations.0002_audit_legacy_event").rename_codes(global_apps, None)
    AuditEvent.objects.filter(pk=entry.pk).update(event="procedures.document_deleted")
    result = verify_chain()
    assert result.broken.sequence == entry.sequence
    assert result.reason == "code d'événement renommé altéré"


def test_writers_append_without_chaining_and_the_sealer_chains_in_id_order():
    entries = [record_event(SampleEvent.A), record_event(SampleEvent.B)]
    assert [(e.sequence, e.hash) for e in entries] == [(None, ""), (None, "")]
    result = verify_chain()
    assert (result.ok, result.checked, result.pending) == (True, 0, 2)
    assert seal_pending(batch_size=1) == 2  # batch after batch
    assert seal_pending() == 0  # nothing is sealed twice
    late = record_event(SampleEvent.C)
    assert seal_pending() == 1
    rows = list(AuditEvent.objects.values_list("id", "sequence", "previous_hash", "hash"))
    assert [row[1] for row in rows] == [1, 2, 3]
    assert rows[1][2] == rows[0][3] and rows[2][2] == rows[1][3]
    assert rows[2][0] == late.pk
    assert (verify_chain().checked, verify_chain().pending) == (3, 0)


def test_seal_journal_command_and_verify_journal_seal_first(capsys):
    record_event(SampleEvent.A)
    call_command("verify_journal", "--no-seal")
    assert "0 entrées vérifiées ; 1 en attente de scellement" in capsys.readouterr().out
    call_command("seal_journal")
    assert "1 entrée(s) scellée(s)" in capsys.readouterr().out
    record_event(SampleEvent.B)
    call_command("verify_journal")
    assert "Journal intègre : 2 entrées vérifiées ; aucun point" in capsys.readouterr().out


def test_seal_journal_follow_survives_a_database_outage(monkeypatch, capsys, settings):
    """The one sealer outlived nothing: an OperationalError (the database
    restarting) ended `seal_journal --follow` for good. It now waits with
    backoff, drops the broken connection and seals what was written meanwhile."""
    from django.db import OperationalError

    from titres.core.management.commands import seal_journal as command

    settings.JOURNAL_CHECKPOINT_KEY = ""
    handlers = {}
    monkeypatch.setattr(command.signal, "signal", lambda signum, h: handlers.setdefault(signum, h))
    pauses = []
    monkeypatch.setattr(command, "_sleep_unless", lambda stopping, seconds: pauses.append(seconds))
    dropped = []
    monkeypatch.setattr(command, "drop_connection", lambda: dropped.append(True))
    calls = []

    def seal_during_an_outage():
        calls.append(True)
        if len(calls) <= 3:
            raise OperationalError("connection refused")
        handlers[command.signal.SIGTERM](command.signal.SIGTERM, None)  # make it stop
        return seal_pending()

    monkeypatch.setattr(command, "seal_pending", seal_during_an_outage)
    record_event(SampleEvent.A)
    call_command("seal_journal", "--follow", "--interval", "0")

    assert len(calls) == 4
    assert pauses == [1.0, 2.0, 4.0]
    assert len(dropped) == 3
    err = capsys.readouterr().err
    assert "Base de données indisponible (OperationalError) : nouvel essai dans 1 s." in err
    assert verify_chain().pending == 0
