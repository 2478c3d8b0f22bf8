"""Finding 7 of issue 16: `upload_document` deleted the file only when the
row's save failed; a failure later in the transaction (the journal, the
commit) left the file in storage with no row. Reproduced over HTTP."""

import os
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import OperationalError, transaction
from django.urls import reverse

from titres.core.files import files_cleaned_on_rollback
from titres.procedures import services
from titres.procedures.audit import ProceduresEvent
from titres.procedures.models import Document
from titres.procedures.services import upload_document

from . import samples
from .factories import DemarcheFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def _stored(settings):
    root = settings.MEDIA_ROOT / "pieces"
    return sorted(os.listdir(root)) if root.exists() else []


def _failing_journal(monkeypatch, event=ProceduresEvent.DOCUMENT_UPLOADED):
    real = services.record_event

    def record(name, **kwargs):
        if name == event:
            raise OperationalError("server closed the connection unexpectedly")
        return real(name, **kwargs)

    monkeypatch.setattr(services, "record_event", record)


def test_a_failure_after_the_write_leaves_no_file_over_http(client, settings, monkeypatch):
    demarche = DemarcheFactory()
    client.force_login(demarche.owner)
    client.raise_request_exception = False
    _failing_journal(monkeypatch)
    response = client.post(
        reverse("procedures:upload", args=[demarche.number, "domicile"]),
        {"file": samples.upload(samples.pdf())},
    )
    assert response.status_code == 503
    assert not Document.objects.exists()
    assert _stored(settings) == []


def test_an_outer_transaction_rolled_back_later_deletes_the_file(settings):
    demarche = DemarcheFactory()
    with files_cleaned_on_rollback(), pytest.raises(RuntimeError), transaction.atomic():
        upload_document(
            demarche=demarche,
            code="domicile",
            uploaded_file=samples.upload(samples.pdf()),
            actor=demarche.owner,
        )
        assert len(_stored(settings)) == 1
        raise RuntimeError("a later step of the caller fails")
    assert _stored(settings) == []


def test_a_committed_upload_keeps_its_file(settings, django_capture_on_commit_callbacks):
    demarche = DemarcheFactory()
    with files_cleaned_on_rollback(), django_capture_on_commit_callbacks(execute=True):
        document = upload_document(
            demarche=demarche,
            code="domicile",
            uploaded_file=samples.upload(samples.pdf()),
            actor=demarche.owner,
        )
    assert _stored(settings) == [document.file.name.split("/")[-1]]


def test_the_sweep_deletes_old_orphans_and_reports_missing_files(settings, capsys):
    kept = DocumentFactory()
    missing = DocumentFactory()
    default_storage.delete(missing.file.name)
    orphan = default_storage.save("pieces/orphan.pdf", ContentFile(b"%PDF-1.4"))
    recent = default_storage.save("pieces/recent.pdf", ContentFile(b"%PDF-1.4"))
    old = (default_storage.get_modified_time(orphan) - timedelta(hours=2)).timestamp()
    os.utime(default_storage.path(orphan), (old, old))

    call_command("sweep_orphan_files", "--dry-run")
    assert default_storage.exists(orphan)

    call_command("sweep_orphan_files")
    out, err = capsys.readouterr()
    assert not default_storage.exists(orphan)
    assert default_storage.exists(recent) and default_storage.exists(kept.file.name)
    assert f"orphelin supprimé(s) : {orphan}" in out
    assert f"fichier manquant : {missing.demarche.number} : {missing.file.name}" in err
    assert "1 fichier(s) orphelin(s) supprimé(s), 1 récent(s) laissé(s)" in out
