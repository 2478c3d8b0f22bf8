"""The scan of the barred registration certificate (« certificat barré »,
with « vendu le … à … » and the seller's signature) that comes with a
déclaration d'achat (cerfa 13751).

A purchase is not a démarche, so the scan is not a `procedures.Document`:
it goes through the engine's checks for files that are not supporting
documents of a démarche (`inspect_and_scan`, as the contact form's
attachment: type read from the content, size, page and pixel bounds,
active PDF content, antivirus at once), bounded by its `DocumentRule`'s
pages, and is stored with `delete_on_rollback` inside the purchase's
transaction. The check runs in the form, before the purchase's
transaction locks the vehicle (a scan may take seconds)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy

from titres.core.files import delete_on_rollback
from titres.procedures.antivirus import inspect_and_scan
from titres.procedures.rules import DocumentRule
from titres.procedures.validation import FileInfo, UploadRejected, pages_message

CERTIFICATE_RULE = DocumentRule(
    code="certificat_barre",
    label=gettext_lazy("Certificat d’immatriculation barré"),
    help_text=gettext_lazy(
        "Le certificat remis par le vendeur, barré avec la mention « vendu le … à … » (date, "
        "heure et votre raison sociale) et signé par le vendeur, recto et verso."
    ),
    min_pages=1,
    max_pages=2,
)


def scan_upload_to(instance, filename):
    # Random name: the storage never shows whose vehicle this is.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"vehicules/achats/{uuid.uuid4().hex}{suffix}"


@dataclass(frozen=True)
class CheckedScan:
    upload: UploadedFile
    info: FileInfo


def check_certificate_scan(upload: UploadedFile) -> CheckedScan:
    """The upload checked like a supporting document of 2 pages at most;
    UploadRejected with the message to show."""
    label = str(CERTIFICATE_RULE.label)
    info = inspect_and_scan(upload, size=upload.size, label=label)
    if info.pages > CERTIFICATE_RULE.max_pages:
        raise UploadRejected(pages_message(label, CERTIFICATE_RULE.max_pages, info.pages, 0))
    return CheckedScan(upload, info)


def store_certificate_scan(entry, scan: CheckedScan) -> None:
    """Save the file on the stock entry (the caller saves the row), deleted
    again if the purchase's transaction does not commit."""
    scan.upload.seek(0)
    entry.certificate_scan.save(f"certificat{scan.info.extension}", scan.upload, save=False)
    delete_on_rollback(entry.certificate_scan.storage, entry.certificate_scan.name)
    base = (scan.upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = "".join(c for c in base if c.isprintable()).strip().rsplit(".", 1)[0][:80]
    entry.certificate_scan_name = f"{stem or 'certificat'}{scan.info.extension}"
    entry.certificate_scan_type = scan.info.content_type
    entry.certificate_scan_pages = scan.info.pages
    entry.certificate_scan_sha256 = scan.info.sha256
