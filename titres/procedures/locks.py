"""The project's lock order: one rule for every transaction that locks rows.

1. The démarche first (`lock_demarche`). A file's row is the first row a
   transaction locks, even when it reaches the file through one of its rows
   (the factory reports on a production order).
2. Then the rows that belong to that file, each at most once: its production
   order, its documents, its stamps and payments, the SNPC record and titles
   it updates, the accounts it suspends.
3. Never the journal: `record_event` is a plain INSERT and takes no lock
   (titres/core/journal.py); the one sealer locks the journal head and
   nothing else.

Two transactions that follow the rule wait for each other in the same order
and cannot deadlock. `select_for_update(of=("self",))` keeps a locking query
with `select_related` from also locking the joined rows out of order.
"""

from __future__ import annotations

from .models import Demarche


def lock_demarche(pk: int) -> Demarche:
    """Step 1 of the lock order: the file's row, for the rest of the transaction."""
    return Demarche.objects.select_for_update().get(pk=pk)
