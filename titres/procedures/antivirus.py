"""Antivirus scan of supporting documents, run as a task after upload.

With CLAMAV_URL set (see conf.py), files are streamed to clamd with the
INSTREAM command over TCP or a unix socket. Without it, in development (DEBUG
at start-up) or with PROCEDURES_ALLOW_NO_ANTIVIRUS=1, the document is marked
valid after the format checks and a warning is logged for each file; in any
other case the scan is refused like an unreachable clamd (the document stays
"en_analyse", never served) and the system check procedures.E001 fails.

A document stays "en_analyse" when clamd cannot be reached; `manage.py
scan_documents` re-queues the pending ones (run it from cron when clamd was down).

Files that are not supporting documents of a démarche (the contact form's
attachment) have no "en_analyse" state to wait in: `inspect_and_scan` runs
the same format checks and the same scanner at once, before anything is
stored, and refuses with the same messages.
"""

import logging
import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlparse

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from titres.core.journal import record_event
from titres.procedures.audit import ProceduresEvent

from . import conf
from .enums import DocumentStatus
from .models import Document
from .validation import FileInfo, UploadRejected, infected_message, inspect_upload

logger = logging.getLogger("titres.procedures.antivirus")

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    pass


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""
    engine: str = ""


class ClamdScanner:
    """Minimal clamd client speaking INSTREAM (man clamd, "INSTREAM")."""

    def __init__(self, url: str, timeout: float = 30.0):
        self.url = url
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        parsed = urlparse(self.url)
        try:
            if parsed.scheme == "unix":
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                sock.connect(parsed.path)
            elif parsed.scheme == "tcp":
                sock = socket.create_connection(
                    (parsed.hostname, parsed.port or 3310), timeout=self.timeout
                )
            else:
                raise ScannerUnavailable(f"unsupported CLAMAV_URL scheme {parsed.scheme!r}")
        except OSError as error:
            raise ScannerUnavailable(str(error)) from error
        return sock

    def scan(self, stream) -> ScanResult:
        sock = self._connect()
        try:
            sock.sendall(b"zINSTREAM\0")
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
        except OSError as error:
            raise ScannerUnavailable(str(error)) from error
        finally:
            sock.close()
        text = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
        # "stream: OK" | "stream: Eicar-Signature FOUND" | "... ERROR"
        if text.endswith("FOUND"):
            signature = text.split(":", 1)[-1].strip()[: -len("FOUND")].strip()
            return ScanResult(clean=False, signature=signature, engine="clamd")
        if text.endswith("OK"):
            return ScanResult(clean=True, engine="clamd")
        raise ScannerUnavailable(f"clamd: {text or 'empty reply'}")

    def ping(self) -> bool:
        sock = self._connect()
        try:
            sock.sendall(b"zPING\0")
            return sock.recv(16).rstrip(b"\0") == b"PONG"
        finally:
            sock.close()


class NoScanner:
    """Local behaviour without clamd: accept, loudly."""

    def scan(self, stream) -> ScanResult:
        logger.warning("Antivirus non configuré (CLAMAV_URL) : document accepté sans analyse.")
        return ScanResult(clean=True, engine="none")


class RefusingScanner:
    """No antivirus where one is required: nothing is passed (fail closed)."""

    def scan(self, stream) -> ScanResult:
        raise ScannerUnavailable(conf.no_antivirus_refusal() or "CLAMAV_URL non configuré")


def get_scanner():
    url = conf.clamav_url()
    if url:
        return ClamdScanner(url, conf.clamav_timeout())
    if conf.no_antivirus_refusal():
        return RefusingScanner()
    return NoScanner()


def inspect_and_scan(fileobj, *, size: int | None, label: str) -> FileInfo:
    """Check an upload like a supporting document (format, bounds, active
    content), then scan it now with the engine's scanner.

    Raises UploadRejected with the message to show: the engine's refusal for
    an infected file, and a refusal when no scan could be made (fail closed,
    as documents never leave "en_analyse" unscanned)."""
    info = inspect_upload(fileobj, size=size)
    fileobj.seek(0)
    try:
        result = get_scanner().scan(fileobj)
    except ScannerUnavailable as error:
        logger.error("Analyse antivirus impossible pour « %s » : %s", label, error)
        raise UploadRejected(
            _(
                "« %(label)s » : l’analyse antivirus n’a pas pu être faite, "
                "réessayez dans quelques minutes."
            )
            % {"label": label}
        ) from None
    finally:
        fileobj.seek(0)
    if not result.clean:
        logger.warning(
            "Fichier infecté refusé (« %s », %s, sha256 %s)", label, result.signature, info.sha256
        )
        raise UploadRejected(infected_message(label))
    return info


@task(queue_name="documents")
def scan_document(document_id: str) -> str:
    """Scan one document and record the verdict; returns the new status."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or document.status != DocumentStatus.EN_ANALYSE:
        return document.status if document else "absent"
    try:
        with document.file.open("rb") as stream:
            result = get_scanner().scan(stream)
    except ScannerUnavailable as error:
        # Raised so the worker tries again with backoff (and, once the
        # attempts are spent, operators see the failed task); the document
        # stays in analysis meanwhile, never passed unscanned.
        logger.error("Analyse antivirus impossible pour %s : %s", document_id, error)
        raise
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.EN_ANALYSE:
            return document.status
        document.scanned_at = timezone.now()
        if result.clean:
            document.status = DocumentStatus.VALIDE
            document.scan_detail = result.engine
        else:
            document.status = DocumentStatus.INFECTE
            document.scan_detail = result.signature[:200]
            # Never keep or serve an infected file. Deleted after commit:
            # if this transaction rolls back, the scan runs again and must
            # still find the file.
            storage, name = document.file.storage, document.file.name
            transaction.on_commit(lambda: storage.delete(name))
            document.file.name = ""
        document.save(update_fields=["status", "scan_detail", "scanned_at", "file"])
        record_event(
            ProceduresEvent.DOCUMENT_SCANNED,
            actor_role="systeme",
            target=document,
            data={
                "demarche": document.demarche.number,
                "resultat": document.status,
                "moteur": result.engine,
                "signature": result.signature,
            },
        )
    return document.status
