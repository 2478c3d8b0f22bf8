"""The work list's two queries (tab counts, page of rows) compiled once per
process (`titres.core.prepared`), and its rows as small objects rather
than models.

Issue 17, docs/capacity.md seventh pass: building, resolving and
compiling these two querysets, then building 25 models with their search
entries, was about a third of the page. The SQL is the one Django gives
for `authority_demarches(request, authority)` (when the request is
`admitted`; otherwise there are no files, as before, and no query) with
`views.common.list_queryset`'s annotations, the tab's statuses and
"assignées à moi": only the authority's and the agent's ids change.
tests/instruction/test_worklist_query.py compares rows, counts and the
rendered rows with the querysets'."""

from __future__ import annotations

from django.db import router
from django.db.models import F

from titres.core.prepared import Prepared, PreparedList
from titres.procedures.hooks import review_flags
from titres.procedures.models import Demarche

from . import stats
from .access import admitted, authority_scope
from .enums import TAB_STATUSES, Tab
from .review import review_annotation

# What the rows read (worklist_rows), not the answers (a JSON document per
# file) nor the rest.
ROW_FIELDS = (
    "number",
    "status",
    "submitted_at",
    "search_entry__pk",
    "search_entry__last_name_display",
    "search_entry__first_names_display",
    "search_entry__birth_date",
    "search_entry__motif",
    "search_entry__last_event",
    "review_flag",
    "assigned_agent",
)

# The review flags a compiled query was built with, kept alive so that
# their ids (part of the key, as in review.py) are never reused.
_flags_kept: list = []


def _flags_key() -> tuple:
    flags = review_flags()
    return tuple((id(flag), tuple(codes)) for flag, codes in flags)


def _build_page(key, *, authority, agent=None):
    _flags, tab, mine = key
    _flags_kept.append(review_flags())
    queryset = authority_scope(authority).annotate(
        review_flag=review_annotation(),
        assigned_agent=F("assignment__agent__username"),
    )
    statuses = TAB_STATUSES[Tab(tab)]
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if mine:
        queryset = queryset.filter(assignment__agent=agent)
    return queryset.order_by("submitted_at", "id").values_list(*ROW_FIELDS)


def _build_counts(_key, *, authority, agent):
    return stats.counts_query(authority_scope(authority), agent=agent)


PAGE = Prepared(_build_page)
COUNTS = Prepared(_build_counts)


class WorkRow:
    """One row of the list: what `worklist_rows` reads of a démarche and of
    its search entry (`search_entry` is the row itself, or None when the
    file has no entry), with the model's own display methods."""

    __slots__ = (
        "number",
        "status",
        "submitted_at",
        "search_entry",
        "last_name_display",
        "first_names_display",
        "birth_date",
        "motif",
        "last_event",
        "review_flag",
        "assigned_agent",
    )

    display_number = Demarche.display_number
    status_badge = Demarche.status_badge
    get_status_display = Demarche.get_status_display

    def __init__(self, row: tuple):
        (
            self.number,
            self.status,
            self.submitted_at,
            entry_id,
            self.last_name_display,
            self.first_names_display,
            self.birth_date,
            self.motif,
            self.last_event,
            self.review_flag,
            self.assigned_agent,
        ) = row
        self.search_entry = self if entry_id is not None else None


def worklist(request, authority, tab: str, mine: bool):
    """(tab counts, the rows for the paginator) of the request's agent on
    `authority`: no files and no query when the request is not admitted."""
    if not admitted(request, authority):
        return stats.tab_counts([], mine=True), []
    alias = router.db_for_read(Demarche)
    rows = COUNTS.rows(None, alias=alias, authority=authority.pk, agent=request.user.pk)
    values = {"authority": authority.pk}
    if mine:
        values["agent"] = request.user.pk
    page_rows = PreparedList(PAGE, (_flags_key(), tab, mine), WorkRow, alias=alias, **values)
    return stats.tab_counts(rows, mine=True), page_rows
