"""Background work of the professionals' space (titres.jobs workers)."""

from django_tasks import task

from .batch import process_batch
from .downloads import build_archive


@task(queue_name="documents")
def build_bulk_download(download_id: str) -> str:
    return build_archive(download_id)


@task(queue_name="documents")
def process_batch_task(batch_id: str) -> str:
    return process_batch(batch_id)
