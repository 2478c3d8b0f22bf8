"""Checkpoints anchor the chain outside the database (issue 10 item 6)."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from titres.core import checkpoints
from titres.core.audit import AuditCode
from titres.core.journal import compute_hash, record_event, seal_pending, verify_chain
from titres.core.models import AuditEvent, JournalHead

pytestmark = pytest.mark.django_db


class SampleEvent(AuditCode):
    VIEWED = "test.viewed"


@pytest.fixture
def anchored(settings, tmp_path):
    key = tmp_path / "keys" / "checkpoint.pem"
    checkpoints.generate_key(key)
    settings.JOURNAL_CHECKPOINT_KEY = str(key)
    settings.JOURNAL_CHECKPOINT_PUBLIC_KEYS = []
    settings.JOURNAL_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    settings.JOURNAL_CHECKPOINT_EMAIL = ""
    return tmp_path / "checkpoints"


def _write(count: int) -> None:
    for index in range(count):
        record_event(SampleEvent.VIEWED, object_type="procedures.demarche", object_id=str(index))
    call_command("checkpoint_journal")


def _rewrite_chain_without(sequences: set[int]) -> None:
    """What the reviewer did with database access: delete entries, then
    recompute every hash after them and the head, so the chain is consistent."""
    AuditEvent.objects.filter(sequence__in=sequences).delete()
    previous, position = "0" * 64, 0
    for entry in AuditEvent.objects.order_by("sequence"):
        position += 1
        entry.sequence, entry.previous_hash = position, previous
        entry.hash = previous = compute_hash(entry)
        # Ascending order: the new position was freed by a deletion or a move.
        AuditEvent.objects.filter(pk=entry.pk).update(
            sequence=entry.sequence, previous_hash=entry.previous_hash, hash=entry.hash
        )
    JournalHead.objects.filter(pk=1).update(last_sequence=position, last_hash=previous)


def test_checkpoint_is_signed_stored_and_written_once_per_head(anchored, capsys):
    _write(3)
    files = sorted(anchored.iterdir())
    assert len(files) == 1
    document = json.loads(files[0].read_text())
    head = JournalHead.objects.get(pk=1)
    assert (document["sequence"], document["hash"]) == (3, head.last_hash)
    assert "signature" in document and document["format"] == checkpoints.FORMAT
    assert [c.sequence for c in checkpoints.read_checkpoints()] == [3]
    call_command("checkpoint_journal")
    assert "Tête du journal inchangée" in capsys.readouterr().out
    assert len(list(anchored.iterdir())) == 1


def test_deleting_entries_and_recomputing_the_chain_is_detected(anchored):
    _write(3)  # checkpoint at 3
    _write(7)  # checkpoint at 10
    _write(5)  # checkpoint at 15
    _rewrite_chain_without({4, 5, 6})
    assert verify_chain().ok  # the chain alone is fooled…
    with pytest.raises(CommandError) as caught:
        call_command("verify_journal")
    message = str(caught.value)
    # …the checkpoints are not: entries up to 3 still match, 10 no longer.
    assert "Journal rompu à l'entrée n° 4" in message
    assert "point de contrôle signé" in message and "n° 10" in message
    assert "dernier point de contrôle correct : n° 3" in message


def test_truncating_the_tail_and_the_head_is_detected(anchored):
    _write(10)  # checkpoint at 10
    _write(5)  # checkpoint at 15
    _rewrite_chain_without({13, 14, 15})
    with pytest.raises(CommandError) as caught:
        call_command("verify_journal")
    message = str(caught.value)
    assert "Journal rompu à l'entrée n° 11" in message
    assert "15 entrées attestées par le point de contrôle signé" in message
    assert "12 trouvées" in message


def test_intact_chain_verifies_against_its_checkpoints(anchored, capsys):
    _write(4)
    _write(2)
    record_event(SampleEvent.VIEWED)  # after the last checkpoint: sealed, not yet anchored
    call_command("verify_journal")
    out = capsys.readouterr().out
    assert "Journal intègre : 7 entrées vérifiées" in out
    assert "2 points de contrôle signés concordants (dernier : n° 6)" in out


def test_forged_or_foreign_checkpoints_are_refused(anchored, settings, tmp_path):
    _write(2)
    stored = next(anchored.iterdir())
    document = json.loads(stored.read_text())
    document["sequence"] = 1
    stored.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="signature invalide"):
        call_command("verify_journal")
    stored.unlink()
    other = tmp_path / "other.pem"
    checkpoints.generate_key(other)
    settings.JOURNAL_CHECKPOINT_KEY = str(other)
    call_command("checkpoint_journal")
    settings.JOURNAL_CHECKPOINT_KEY = str(tmp_path / "keys" / "checkpoint.pem")
    with pytest.raises(CommandError, match="clé inconnue"):
        call_command("verify_journal")


def test_rotated_key_stays_trusted_through_public_keys(anchored, settings, tmp_path):
    _write(2)
    old_public = tmp_path / "old.pub"
    old_public.write_text(checkpoints.public_pem(checkpoints.signing_key().public_key()))
    new = tmp_path / "new.pem"
    checkpoints.generate_key(new)
    settings.JOURNAL_CHECKPOINT_KEY = str(new)
    settings.JOURNAL_CHECKPOINT_PUBLIC_KEYS = [str(old_public)]
    _write(1)
    assert [c.sequence for c in checkpoints.read_checkpoints()] == [2, 3]


def test_checkpoint_is_mailed_to_the_operator(
    anchored, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.JOURNAL_CHECKPOINT_EMAIL = "exploitation@titres.localhost"
    with django_capture_on_commit_callbacks(execute=True):
        _write(2)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["exploitation@titres.localhost"]
    assert "Point de contrôle du journal d’audit : 2 entrées" in mailoutbox[0].subject
    assert '"sequence": 2' in mailoutbox[0].body


def test_without_a_key_no_checkpoint_is_written(settings):
    settings.JOURNAL_CHECKPOINT_KEY = ""
    record_event(SampleEvent.VIEWED)
    with pytest.raises(CommandError, match="JOURNAL_CHECKPOINT_KEY"):
        call_command("checkpoint_journal")
    assert seal_pending() == 0  # the command sealed before refusing


def test_key_generation_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "k.pem"
    call_command("checkpoint_journal", "--generate-key", str(path))
    assert "BEGIN PUBLIC KEY" in capsys.readouterr().out
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("checkpoint_journal", "--generate-key", str(path))


def test_production_without_a_checkpoint_key_is_warned(settings):
    from titres.core.checks import journal_anchored

    settings.DEBUG = False
    settings.JOURNAL_CHECKPOINT_KEY = ""
    assert [w.id for w in journal_anchored(None)] == ["core.W002"]
    settings.JOURNAL_CHECKPOINT_KEY = "/etc/titres/journal.pem"
    assert journal_anchored(None) == []
