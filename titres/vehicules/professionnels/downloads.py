"""Bulk download of CPIs and accusés: one ZIP of the selected files, built
by a background task that counts its progress (shown as a progress bar)."""

from __future__ import annotations

import logging
import tempfile
import zipfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event

from ..audit import VehiculesEvent
from ..documents.accuse_pdf import accuse_pdf
from ..documents.cpi_pdf import cpi_pdf
from ..models import ChangeOfHolder
from .models import BulkDownload, JobState

logger = logging.getLogger(__name__)
MAX_FILES = 500
# A professional keeps a few archives at a time (each up to MAX_FILES files).
MAX_PENDING = 3


class DownloadRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def downloadable(files):
    """Filed démarches only (a draft has neither CPI nor accusé)."""
    return files.exclude(submitted_at=None).exclude(changement_titulaire__cpi_number="")


@transaction.atomic
def start_bulk_download(*, owner, files, actor, request=None) -> BulkDownload:
    numbers = list(downloadable(files).values_list("number", flat=True)[: MAX_FILES + 1])
    if not numbers:
        raise DownloadRefused(_("Aucune démarche déposée dans la sélection : rien à télécharger."))
    if len(numbers) > MAX_FILES:
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
    download = BulkDownload.objects.create(owner=owner, numbers=numbers, total=len(numbers))
    record_event(
        VehiculesEvent.PRO_BULK_DOWNLOAD_REQUESTED,
        actor=actor,
        request=request,
        target=download,
        data={"demarches": len(numbers)},
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
    records = {
        record.demarche.number: record
        for record in ChangeOfHolder.objects.select_related("vehicle", "demarche__owner").filter(
            demarche__number__in=download.numbers, demarche__owner=download.owner
        )
    }
    try:
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for done, number in enumerate(download.numbers, start=1):
                    record = records.get(number)
                    if record is not None and record.cpi_number:
                        folder = f"{record.demarche.display_number}-{record.vehicle.plate_display}"
                        archive.writestr(f"{folder}/cpi-{record.cpi_number}.pdf", cpi_pdf(record))
                        archive.writestr(
                            f"{folder}/accuse-{record.demarche.display_number}.pdf",
                            accuse_pdf(record),
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
