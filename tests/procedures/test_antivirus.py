"""The clamd client against a tiny fake clamd speaking the real INSTREAM
protocol (zINSTREAM\\0, 4-byte big-endian chunk lengths, zero terminator)."""

import socket

import pytest

from titres.procedures.antivirus import ClamdScanner, ScannerUnavailable, scan_document
from titres.procedures.enums import DocumentStatus

from . import samples
from .factories import DocumentFactory
from .fake_clamd import EICAR, FakeClamd


@pytest.fixture
def clamd():
    server = FakeClamd()
    yield server
    server.close()


def test_clean_stream(clamd):
    import io

    content = samples.pdf() * 50  # several chunks
    result = ClamdScanner(clamd.url, timeout=5).scan(io.BytesIO(content))
    assert result.clean and result.engine == "clamd"
    assert clamd.received[-1] == content


def test_eicar_is_infected(clamd):
    import io

    result = ClamdScanner(clamd.url, timeout=5).scan(io.BytesIO(EICAR))
    assert not result.clean
    assert result.signature == "Eicar-Signature"


def test_unix_socket(tmp_path):
    import io

    server = FakeClamd(socket.AF_UNIX, str(tmp_path / "clamd.sock"))
    try:
        scanner = ClamdScanner(server.url, timeout=5)
        assert scanner.ping()
        assert scanner.scan(io.BytesIO(b"hello")).clean
    finally:
        server.close()


def test_unreachable_clamd():
    import io

    with pytest.raises(ScannerUnavailable):
        ClamdScanner("tcp://127.0.0.1:1", timeout=1).scan(io.BytesIO(b"x"))


@pytest.mark.django_db
def test_task_marks_infected_and_deletes_the_file(
    clamd, settings, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    settings.CLAMAV_URL = clamd.url
    document = DocumentFactory(
        status=DocumentStatus.EN_ANALYSE, file=ContentFile(EICAR, name="eicar.pdf")
    )
    stored = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert scan_document.call(str(document.pk)) == DocumentStatus.INFECTE
    document.refresh_from_db()
    assert document.status == DocumentStatus.INFECTE
    assert document.scan_detail == "Eicar-Signature"
    assert not document.file
    assert not document.file.storage.exists(stored)


@pytest.mark.django_db
def test_task_marks_clean_file_valid(clamd, settings):
    settings.CLAMAV_URL = clamd.url
    document = DocumentFactory(status=DocumentStatus.EN_ANALYSE)
    assert scan_document.call(str(document.pk)) == DocumentStatus.VALIDE
    document.refresh_from_db()
    assert document.scan_detail == "clamd"


@pytest.mark.django_db
def test_without_clamav_documents_become_valid_with_a_warning(settings, caplog):
    settings.CLAMAV_URL = ""
    document = DocumentFactory(status=DocumentStatus.EN_ANALYSE)
    assert scan_document.call(str(document.pk)) == DocumentStatus.VALIDE
    assert "Antivirus non configuré" in caplog.text


@pytest.mark.django_db
def test_clamd_down_keeps_the_document_in_analysis(settings):
    settings.CLAMAV_URL = "tcp://127.0.0.1:1"
    settings.CLAMAV_TIMEOUT = "1"
    document = DocumentFactory(status=DocumentStatus.EN_ANALYSE)
    # Raised so the worker retries it with backoff (tests/jobs).
    with pytest.raises(ScannerUnavailable):
        scan_document.call(str(document.pk))
    document.refresh_from_db()
    assert document.status == DocumentStatus.EN_ANALYSE


@pytest.mark.django_db
def test_scan_documents_command_requeues_pending(settings):
    from django.core.management import call_command

    settings.CLAMAV_URL = ""
    document = DocumentFactory(status=DocumentStatus.EN_ANALYSE)
    call_command("scan_documents")
    document.refresh_from_db()
    assert document.status == DocumentStatus.VALIDE


# --- No antivirus outside development (system check procedures.E001) -------------


@pytest.fixture
def production(settings, monkeypatch):
    """DEBUG off as at start-up, no CLAMAV_URL, no explicit flag."""
    from titres.procedures import conf

    settings.DEBUG = False
    settings.CLAMAV_URL = ""
    monkeypatch.delenv("PROCEDURES_ALLOW_NO_ANTIVIRUS", raising=False)
    monkeypatch.setattr(conf, "STARTED_WITH_DEBUG", False)
    if hasattr(settings, "PROCEDURES_ALLOW_NO_ANTIVIRUS"):
        del settings.PROCEDURES_ALLOW_NO_ANTIVIRUS
    return settings


def _antivirus_errors():
    from django.core import checks

    return [m for m in checks.run_checks() if m.id == "procedures.E001"]


def test_check_refuses_production_without_antivirus(production):
    from django.core import checks

    (error,) = _antivirus_errors()
    assert error.level == checks.ERROR
    assert "Aucun antivirus n’est configuré (CLAMAV_URL)" in error.msg
    assert "PROCEDURES_ALLOW_NO_ANTIVIRUS=1" in error.msg


def test_check_passes_with_clamav_debug_or_the_explicit_flag(production, monkeypatch):
    production.CLAMAV_URL = "tcp://clamav:3310"
    assert _antivirus_errors() == []
    production.CLAMAV_URL = ""
    monkeypatch.setenv("PROCEDURES_ALLOW_NO_ANTIVIRUS", "1")
    assert _antivirus_errors() == []
    monkeypatch.setenv("PROCEDURES_ALLOW_NO_ANTIVIRUS", "0")
    assert len(_antivirus_errors()) == 1
    monkeypatch.delenv("PROCEDURES_ALLOW_NO_ANTIVIRUS")
    production.DEBUG = True
    assert _antivirus_errors() == []


@pytest.mark.django_db
def test_without_antivirus_in_production_documents_stay_in_analysis(production, caplog):
    """Started without the check (gunicorn): fail closed, never 'valide'."""
    document = DocumentFactory(status=DocumentStatus.EN_ANALYSE)
    # Raised so the worker retries it with backoff (tests/jobs).
    with pytest.raises(ScannerUnavailable):
        scan_document.call(str(document.pk))
    document.refresh_from_db()
    assert document.status == DocumentStatus.EN_ANALYSE
    document.refresh_from_db()
    assert document.status == DocumentStatus.EN_ANALYSE
    assert "Aucun antivirus n’est configuré" in caplog.text


@pytest.mark.django_db
def test_explicit_flag_allows_the_local_scanner(production, monkeypatch):
    monkeypatch.setenv("PROCEDURES_ALLOW_NO_ANTIVIRUS", "1")
    document = DocumentFactory(status=DocumentStatus.EN_ANALYSE)
    assert scan_document.call(str(document.pk)) == DocumentStatus.VALIDE
