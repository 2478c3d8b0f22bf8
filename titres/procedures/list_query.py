"""The page query of "Mes démarches" compiled once per process
(`titres.core.prepared`, docs/capacity.md seventh pass): the SQL Django
gives for `demarches_owned_by(user)` in the list's order, only the owner's
id changing, reading only what the rows show. The rows are `OwnedRow`
objects, not models: building 21 models (their two JSON documents decoded,
five timestamps loaded) was about a fifth of the page (docs/capacity.md,
ninth pass (b)). The search form's filtered lists keep the queryset.
tests/procedures/test_list_query.py compares both."""

from __future__ import annotations

from django.db import router

from titres.core.prepared import Prepared, PreparedList

from .models import Demarche

# What `procedures_tags.demarche_rows` and `list_actions.action_codes` read.
ROW_FIELDS = ("id", "number", "procedure_code", "status", "created_at", "updated_at", "taken_at")


class OwnedRow:
    """One row of "Mes démarches": the fields the row reads, with the
    model's own display methods (the same code as on a `Demarche`)."""

    __slots__ = ROW_FIELDS

    pk = property(lambda self: self.id)
    display_number = Demarche.display_number
    status_badge = Demarche.status_badge
    get_status_display = Demarche.get_status_display
    is_draft = Demarche.is_draft
    awaits_citizen = Demarche.awaits_citizen

    def __init__(self, row: tuple):
        (
            self.id,
            self.number,
            self.procedure_code,
            self.status,
            self.created_at,
            self.updated_at,
            self.taken_at,
        ) = row


def _build(_key, *, owner):
    return (
        Demarche.objects.filter(owner=owner).order_by("-updated_at", "-id").values_list(*ROW_FIELDS)
    )


OWNED = Prepared(_build)


def owned_rows(user) -> PreparedList:
    """The signed-in citizen's files for `page_of`, newest change first."""
    alias = router.db_for_read(Demarche)
    return PreparedList(OWNED, None, OwnedRow, alias=alias, owner=user.pk)
