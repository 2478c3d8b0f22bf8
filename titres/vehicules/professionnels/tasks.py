"""Background work of the professionals' space (titres.jobs workers)."""

from django_tasks import task

from .downloads import build_archive


@task(queue_name="documents")
def build_bulk_download(download_id: str) -> str:
    return build_archive(download_id)
