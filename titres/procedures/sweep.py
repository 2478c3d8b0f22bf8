"""Compares the documents' storage with the rows that point into it.

A file under `pieces/` that no Document names is an orphan (a transaction
rolled back outside any cleanup scope, a process killed between the write
and the commit); it is deleted once older than a grace period, so files
of transactions still in flight are never touched. A row whose file is
missing is reported, never "fixed": that is for a person to look at."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from .models import Document

PREFIX = "pieces"


@dataclass
class SweepReport:
    orphans_deleted: list[str] = field(default_factory=list)
    orphans_recent: list[str] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)


def _stored_names(storage, prefix: str) -> list[str]:
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [f"{prefix}/{name}" for name in files]
    for directory in directories:
        names += _stored_names(storage, f"{prefix}/{directory}")
    return names


def sweep_document_files(*, grace_minutes: int = 60, dry_run: bool = False) -> SweepReport:
    storage = default_storage
    report = SweepReport()
    known = set(Document.objects.exclude(file="").values_list("file", flat=True))
    limit = timezone.now() - timedelta(minutes=grace_minutes)
    for name in _stored_names(storage, PREFIX):
        if name in known:
            continue
        if storage.get_modified_time(name) > limit:
            report.orphans_recent.append(name)
            continue
        if not dry_run:
            storage.delete(name)
        report.orphans_deleted.append(name)
    stored = set(_stored_names(storage, PREFIX))
    for number, name in (
        Document.objects.exclude(file="")
        .filter(file__startswith=f"{PREFIX}/")
        .values_list("demarche__number", "file")
    ):
        if name not in stored:
            report.missing_files.append(f"{number} : {name}")
    return report
