"""The work list's review badge of each row ("Écart SNPC à vérifier",
"Situation SIV à vérifier"): the procedures' `review_flag` expressions in
one `CASE` of the list's own SQL, so the query count does not depend on
the rows.

The `CASE` is the same SQL on every request (constant expressions, the
outer row referenced as "procedures_demarche"."id"), but Django resolved
and compiled its three `EXISTS` subqueries on each one: half of the work
list's page query (issue 17, docs/capacity.md fifth pass). It is compiled
once per process, database and set of flags, and put back as `RawSQL`.
It gives the flag's number (1…n, 0 for none) rather than its label, which
`review_labels()` translates in the request's language."""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language

from titres.procedures.hooks import review_flags
from titres.procedures.models import Demarche

# (database alias, vendor, the flags and their procedure codes) → (sql,
# params, flags); procedures are registered at start-up (tests register a
# few more). The flags are kept with their SQL so that their ids, part of
# the key, are never reused by other objects.
_compiled: dict[tuple, tuple[str, tuple, list]] = {}


def _signature(flags) -> tuple:
    return tuple((id(flag), tuple(codes)) for flag, codes in flags)


def _case(flags) -> Case:
    return Case(
        *[
            When(flag.expression(), procedure_code__in=codes, then=Value(number))
            for number, (flag, codes) in enumerate(flags, start=1)
        ],
        default=Value(0),
        output_field=IntegerField(),
    )


def _compile(flags, alias: str) -> tuple[str, tuple] | None:
    """The CASE's SQL against Demarche's own table, or None when a flag
    needs a join on the outer query (its alias would not exist in the
    list's SQL: the CASE is then built on each request, as before)."""
    query = Demarche.objects.all().query
    resolved = _case(flags).resolve_expression(query, allow_joins=True)
    if len(query.alias_map) > 1:
        return None
    sql, params = query.get_compiler(using=alias).compile(resolved)
    return sql, tuple(params)


def review_annotation():
    """The annotation `review_flag` of the list's rows: the number of the
    first flag whose expression holds for the file's procedure, else 0."""
    flags = review_flags()
    alias = router.db_for_read(Demarche)
    key = (alias, connections[alias].vendor, _signature(flags))
    if key not in _compiled:
        compiled = _compile(flags, alias)
        if compiled is None:
            return _case(flags)
        _compiled[key] = (*compiled, flags)
    sql, params, _flags = _compiled[key]
    # Django compiled this SQL from our own expressions; values stay in params.
    return RawSQL(sql, params, output_field=IntegerField())  # noqa: S611


# The labels per language and set of flags, translated once per process (the
# lazy labels were translated again on every work list page, about a hundred
# calls, docs/capacity.md ninth pass (a)). Keyed by the flags' ids: the entry
# keeps the flags themselves, so their ids are not reused while it exists.
_LABELS: dict[tuple, tuple[list, list[str]]] = {}


def review_labels() -> list[str]:
    """The labels of `review_annotation`'s numbers in the active language
    ("" for 0)."""
    flags = review_flags()
    key = (get_language(), *[id(flag) for flag, _codes in flags])
    kept = _LABELS.get(key)
    if kept is None:
        if len(_LABELS) >= 100:  # bounded: flags come from the procedures' definitions
            _LABELS.clear()
        kept = _LABELS[key] = (flags, ["", *(str(flag.label) for flag, _codes in flags)])
    return list(kept[1])
