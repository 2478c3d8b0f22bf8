"""Files written inside a transaction are deleted if it does not commit.

Storage is not transactional: a file saved inside `transaction.atomic`
stays in storage when a later step (the journal, the commit itself, a lost
connection) rolls the transaction back, and no row points to it. Callers
that write a file inside a transaction call `delete_on_rollback(storage,
name)`. The file is marked kept by an on_commit hook of the outermost
transaction — Django drops hooks of rolled-back blocks and savepoints — and
when the enclosing `files_cleaned_on_rollback()` scope ends (each request,
through the middleware below; each task run by the worker), every file not
marked kept and whose transaction has ended is deleted. Outside any scope the scheduled sweep
(`manage.py sweep_orphan_files`) finds what remains."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

logger = logging.getLogger("titres.files")

_pending: ContextVar[list | None] = ContextVar("titres_pending_files", default=None)


def delete_on_rollback(storage, name: str) -> None:
    pending = _pending.get()
    if pending is None or not transaction.get_connection().in_atomic_block:
        return
    entry = {"storage": storage, "name": name, "kept": False}

    def keep():
        entry["kept"] = True

    entry["hook"] = keep
    pending.append(entry)
    transaction.on_commit(keep)


@contextmanager
def files_cleaned_on_rollback():
    if _pending.get() is not None:  # nested: the outer scope cleans up
        yield
        return
    pending: list = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        # Django drops the hooks of a rolled-back block (savepoint or whole
        # transaction) from `run_on_commit`; a hook still listed belongs to
        # a transaction still open, which may yet commit.
        waiting = {id(hook) for _, hook, _ in transaction.get_connection().run_on_commit}
        for entry in pending:
            if entry["kept"] or id(entry["hook"]) in waiting:
                continue
            try:
                entry["storage"].delete(entry["name"])
                logger.info("Fichier supprimé après annulation : %s", entry["name"])
            except Exception:
                logger.exception("Suppression impossible après annulation : %s", entry["name"])


class StoredFilesCleanupMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with files_cleaned_on_rollback():
            return self.get_response(request)
