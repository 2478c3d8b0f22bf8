"""The page query of "Mes démarches" compiled once per process
(`titres.core.prepared`, docs/capacity.md seventh pass): the SQL Django
gives for `demarches_owned_by(user).defer("answers")` in the list's order,
only the owner's id changing; the rows are the same models (`from_db`,
the answers deferred). The search form's filtered lists keep the
queryset. tests/procedures/test_list_query.py compares both."""

from __future__ import annotations

from functools import partial

from django.db import router

from titres.core.prepared import Prepared, PreparedList

from .models import Demarche


def _fields() -> list[str]:
    return [f.attname for f in Demarche._meta.concrete_fields if f.name != "answers"]


def _build(_key, *, owner):
    return (
        Demarche.objects.filter(owner=owner).order_by("-updated_at", "-id").values_list(*_fields())
    )


OWNED = Prepared(_build)


def owned_rows(user) -> PreparedList:
    """The signed-in citizen's files for `page_of`, newest change first."""
    alias = router.db_for_read(Demarche)
    make = partial(Demarche.from_db, alias, _fields())
    return PreparedList(OWNED, None, make, alias=alias, owner=user.pk)
