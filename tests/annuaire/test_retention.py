"""Retention of the directory's import reports (docs/retention.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from titres.annuaire.models import ImportReport
from titres.annuaire.retention import IMPORT_REPORT_DAYS, purge_import_reports

pytestmark = pytest.mark.django_db


def test_import_reports_are_deleted_after_a_year():
    now = timezone.now()
    old = ImportReport.objects.create(filename="ancien.csv", lines=[])
    recent = ImportReport.objects.create(filename="recent.csv", lines=[])
    ImportReport.objects.filter(pk=old.pk).update(
        created_at=now - timedelta(days=IMPORT_REPORT_DAYS + 1)
    )
    assert purge_import_reports(now) == 1
    assert list(ImportReport.objects.values_list("pk", flat=True)) == [recent.pk]
