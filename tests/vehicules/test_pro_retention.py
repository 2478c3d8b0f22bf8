"""Retention of the professionals' work files (docs/retention.md)."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.accounts.factories import UserFactory
from titres.vehicules.professionnels.models import BatchSubmission, BulkDownload
from titres.vehicules.retention import WORK_FILE_DAYS, purge_professional_work_files

pytestmark = pytest.mark.django_db


def test_batches_and_archives_are_deleted_after_30_days_with_their_file(
    django_capture_on_commit_callbacks,
):
    owner = UserFactory()
    now = timezone.now()
    old_batch = BatchSubmission.objects.create(owner=owner, filename="a.csv", source="x", total=1)
    new_batch = BatchSubmission.objects.create(owner=owner, filename="b.csv", source="y", total=1)
    old_zip = BulkDownload.objects.create(owner=owner, numbers=["X"], total=1, done=1)
    old_zip.archive.save("cpi.zip", ContentFile(b"PK"), save=True)
    name, storage = old_zip.archive.name, old_zip.archive.storage
    stale = now - timedelta(days=WORK_FILE_DAYS + 1)
    BatchSubmission.objects.filter(pk=old_batch.pk).update(created_at=stale)
    BulkDownload.objects.filter(pk=old_zip.pk).update(created_at=stale)

    with django_capture_on_commit_callbacks(execute=True):
        assert purge_professional_work_files(now) == 2
    assert list(BatchSubmission.objects.values_list("pk", flat=True)) == [new_batch.pk]
    assert not BulkDownload.objects.exists()
    assert not storage.exists(name)
