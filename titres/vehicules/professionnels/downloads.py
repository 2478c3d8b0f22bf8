"""Bulk download of CPIs and accusés: one ZIP of the selected files, built
by a background task that counts its progress (shown as a progress bar).

Every procedure a professional files for a client has its documents in
the archive, each with the PDFs its own pages give (`documents_of`): a
change of holder (CPI and accusé; the
accusé only once rejected or abandoned: its CPI no longer stands), a new vehicle (the accusé, and the CPI
unless the file was rejected or abandoned, in the registered client's name), an address change or a duplicate (the accusé,
and the CPI when a new certificate is coming and the file was not
rejected or abandoned: a withdrawn CPI is never handed out again). The professional's
déclarations d'achat (their stock, resold ones included) add their accusé, and the
déclarations de cession they made (resales, clients' sales) their certificat de
cession, when the list's filters select them, as the list shows them
(`purchases_in_selection`, `cessions_in_selection`)."""

from __future__ import annotations

import logging
import tempfile
import uuid
import zipfile
from collections.abc import Callable

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event

from ..audit import VehiculesEvent
from ..documents.accuse_pdf import accuse_pdf, new_vehicle_accuse_pdf, purchase_accuse_pdf
from ..documents.cession_pdf import cession_certificate_pdf
from ..documents.cpi_pdf import cpi_pdf, registry_holder
from ..documents.operation_pdf import operation_accuse_pdf
from ..models import CertificateOperation, CessionDeclaration, ChangeOfHolder
from ..neuf.models import NewRegistration
from .listing import cessions_selected, purchases_selected
from .models import BulkDownload, JobState
from .stock import purchases_of

logger = logging.getLogger(__name__)
MAX_FILES = 500
# A professional keeps a few archives at a time (each up to MAX_FILES files).
MAX_PENDING = 3


class DownloadRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def downloadable(files):
    """Filed démarches that have documents: a change of holder with its
    CPI, an address change or a duplicate, a new vehicle once registered
    (a draft has neither CPI nor accusé)."""
    return files.exclude(submitted_at=None).filter(
        (Q(changement_titulaire__isnull=False) & ~Q(changement_titulaire__cpi_number=""))
        | Q(operation_certificat__isnull=False)
        | Q(immatriculation_neuf__vehicle__isnull=False)
    )


def cpi_handed_out(record) -> bool:
    """The file's CPI may still be given: issued, and not withdrawn — a
    rejected or abandoned change of holder's or new vehicle's
    (`withdrawn_at`), a rejected or abandoned address change's or
    duplicate's (`reverted_at`)."""
    if not record.cpi_number:
        return False
    if isinstance(record, ChangeOfHolder | NewRegistration):
        return record.withdrawn_at is None
    return record.reverted_at is None


def documents_of(record) -> list[tuple[str, Callable[[], bytes]]]:
    """(file name, PDF builder) of one file's documents, as its pages give
    them (views/changement.py, views/operation.py, views/neuf.py)."""
    number = record.demarche.display_number
    accuse = f"accuse-{number}.pdf"
    if isinstance(record, ChangeOfHolder):
        if not record.cpi_number:
            return []
        found = [(f"cpi-{record.cpi_number}.pdf", lambda: cpi_pdf(record))]
        return [*(found if cpi_handed_out(record) else []), (accuse, lambda: accuse_pdf(record))]
    if isinstance(record, NewRegistration):
        if record.vehicle is None:
            return []
        found = []
        if cpi_handed_out(record):
            found.append(
                (
                    f"cpi-{record.cpi_number}.pdf",
                    lambda: cpi_pdf(record, holder=registry_holder(record.vehicle)),
                )
            )
        return [*found, (accuse, lambda: new_vehicle_accuse_pdf(record))]
    found = []
    if cpi_handed_out(record):
        found.append(
            (
                f"cpi-{record.cpi_number}.pdf",
                lambda: cpi_pdf(record, holder=registry_holder(record.vehicle)),
            )
        )
    return [*found, (accuse, lambda: operation_accuse_pdf(record))]


def uuid_of(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def records_of(download) -> dict:
    """démarche number → its procedure's record, the owner's files only
    (one query per kind of record, whatever the number of files)."""
    records = {}
    for model in (ChangeOfHolder, CertificateOperation, NewRegistration):
        for record in model.objects.select_related("vehicle", "demarche__owner").filter(
            demarche__number__in=download.numbers,
            demarche__owner=download.owner,
            demarche__submitted_at__isnull=False,
        ):
            records[record.demarche.number] = record
    return records


def purchases_in_selection(owner, data: dict):
    """The purchases the list's filters select (cleaned FileFilterForm
    data), as the list shows them (`listing.purchases_selected`): none when
    filtered by a démarche's state or procedure, else by plate prefix,
    seller's name, dates of declaration, « en stock » / « revendu »."""
    return purchases_selected(owner, data).order_by("-created_at", "-id")


def cessions_in_selection(owner, data: dict):
    """The déclarations de cession the list's filters select, as the list
    shows them (`listing.cessions_selected`): none when filtered by a
    démarche's or a purchase's state or procedure, else by plate prefix,
    client's name, dates, « revente » / « cession pour un client », the
    code's state."""
    return cessions_selected(owner, data).order_by("-created_at", "-id")


def cession_documents_of(owner):
    """The professional's own déclarations de cession (seller), as their
    certificate's page reads them (`views/cession._mine`)."""
    return CessionDeclaration.objects.select_related("vehicle").filter(seller=owner)


def _ids(selection) -> list[str]:
    if selection is None:
        return []
    return [str(pk) for pk in selection.values_list("pk", flat=True)[: MAX_FILES + 1]]


@transaction.atomic
def start_bulk_download(
    *, owner, files, actor, request=None, purchases=None, cessions=None
) -> BulkDownload:
    numbers = list(downloadable(files).values_list("number", flat=True)[: MAX_FILES + 1])
    purchase_ids, cession_ids = _ids(purchases), _ids(cessions)
    if not numbers and not purchase_ids and not cession_ids:
        raise DownloadRefused(_("Aucune démarche déposée dans la sélection : rien à télécharger."))
    if len(numbers) + len(purchase_ids) + len(cession_ids) > MAX_FILES:
        raise DownloadRefused(
            _(
                "La sélection compte plus de %(max)s démarches déposées : affinez les filtres "
                "(par exemple par dates)."
            )
            % {"max": MAX_FILES}
        )
    pending = BulkDownload.objects.filter(
        owner=owner, state__in=[JobState.EN_ATTENTE, JobState.EN_COURS]
    ).count()
    if pending >= MAX_PENDING:
        raise DownloadRefused(
            _(
                "Trois téléchargements sont déjà en préparation : attendez qu’ils soient prêts "
                "avant d’en demander un autre."
            )
        )
    download = BulkDownload.objects.create(
        owner=owner,
        numbers=numbers,
        purchases=purchase_ids,
        cessions=cession_ids,
        total=len(numbers) + len(purchase_ids) + len(cession_ids),
    )
    record_event(
        VehiculesEvent.PRO_BULK_DOWNLOAD_REQUESTED,
        actor=actor,
        request=request,
        target=download,
        data={
            "demarches": len(numbers),
            "achats": len(purchase_ids),
            "cessions": len(cession_ids),
        },
    )
    from .tasks import build_bulk_download

    transaction.on_commit(lambda: build_bulk_download.enqueue(str(download.pk)))
    return download


def build_archive(download_id: str) -> str:
    """The task's body: idempotent (a retried task starts the ZIP again)."""
    download = BulkDownload.objects.filter(pk=download_id).first()
    if download is None or download.state == JobState.PRETE:
        return "absent" if download is None else download.state
    BulkDownload.objects.filter(pk=download.pk).update(state=JobState.EN_COURS, done=0)
    records = records_of(download)
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for done, number in enumerate(download.numbers, start=1):
                    record = records.get(number)
                    for name, build in documents_of(record) if record is not None else []:
                        folder = f"{record.demarche.display_number}-{record.vehicle.plate_display}"
                        archive.writestr(f"{folder}/{name}", build())
                    BulkDownload.objects.filter(pk=download.pk).update(done=done)
                purchases = purchases_of(download.owner).in_bulk(download.purchases)
                for done, pk in enumerate(download.purchases, start=len(download.numbers) + 1):
                    entry = purchases.get(uuid_of(pk))
                    if entry is not None:
                        number = entry.registration_number
                        archive.writestr(
                            f"achat-{number}-{entry.vehicle.plate_display}/accuse-achat-{number}.pdf",
                            purchase_accuse_pdf(entry),
                        )
                    BulkDownload.objects.filter(pk=download.pk).update(done=done)
                # Still the professional's (a terminated account's are detached).
                cessions = cession_documents_of(download.owner).in_bulk(download.cessions)
                first = len(download.numbers) + len(download.purchases) + 1
                for done, pk in enumerate(download.cessions, start=first):
                    declaration = cessions.get(uuid_of(pk))
                    if declaration is not None:
                        number = declaration.registration_number
                        plate = declaration.vehicle.plate_display
                        archive.writestr(
                            f"cession-{number}-{plate}/certificat-de-cession-{number}.pdf",
                            cession_certificate_pdf(declaration),
                        )
                    BulkDownload.objects.filter(pk=download.pk).update(done=done)
            spool.seek(0)
            download.archive.save("archive.zip", File(spool), save=False)
    except Exception:
        logger.exception("bulk download %s failed", download.pk)
        BulkDownload.objects.filter(pk=download.pk).update(
            state=JobState.ECHEC,
            error=_("La préparation de l’archive a échoué : demandez un nouveau téléchargement."),
            finished_at=timezone.now(),
        )
        raise
    BulkDownload.objects.filter(pk=download.pk).update(
        archive=download.archive.name,
        state=JobState.PRETE,
        done=download.total,
        finished_at=timezone.now(),
    )
    return JobState.PRETE
