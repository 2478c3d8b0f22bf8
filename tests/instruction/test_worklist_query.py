"""The work list's queries compiled once per process (`worklist_query`)
give the files, the order, the counts and the row HTML that the querysets
(`authority_demarches` + `views.common.list_queryset`, model instances)
give, for every tab, "assignées à moi" and page."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from titres.core.prepared import Prepared
from titres.instruction import stats, worklist_query
from titres.instruction.access import authority_demarches
from titres.instruction.enums import TAB_STATUSES, Tab
from titres.instruction.models import Assignment, DemarcheSearchEntry
from titres.instruction.templatetags.instruction_tags import worklist_rows
from titres.instruction.views.common import list_queryset
from titres.instruction.views.lists import PAGE_SIZE
from titres.permis.models import LicenceRequest
from titres.procedures.enums import Status
from titres.procedures.models import Demarche

from .factories import PermisDemarcheFactory

pytestmark = pytest.mark.django_db

TRAITS = ["submitted", "awaiting", "rejected", "validated", "in_production", "done"]


def request_of(user, verified=True):
    request = RequestFactory().get("/")
    request.user = user
    user.is_verified = lambda: verified  # what django_otp's middleware sets
    return request


@pytest.fixture
def files(authority, other_authority, agent, chef):
    """Enough files for two pages of "à traiter", in every status, assigned
    to the agent, to the chef or to no one, one without a search entry,
    one flagged for review, a draft and another authority's files."""
    start = timezone.now() - timedelta(days=40)
    made = []
    for index in range(2 * PAGE_SIZE + 8):
        trait = "submitted" if index < 2 * PAGE_SIZE - 10 else TRAITS[index % len(TRAITS)]
        demarche = PermisDemarcheFactory(authority=authority, **{trait: True})
        # Some files submitted at the same time: the order falls back on ids.
        Demarche.objects.filter(pk=demarche.pk).update(
            submitted_at=start + timedelta(hours=index // 2)
        )
        made.append(demarche)
        if index % 3 == 0:
            Assignment.objects.create(demarche=demarche, agent=agent, assigned_by=chef)
        elif index % 3 == 1:
            Assignment.objects.create(demarche=demarche, agent=chef, assigned_by=chef)
    DemarcheSearchEntry.objects.filter(demarche=made[4]).delete()
    LicenceRequest.objects.create(demarche=made[5], motif="vol", needs_review=True)
    PermisDemarcheFactory(authority=authority, status=Status.BROUILLON)
    for trait in TRAITS:
        other = PermisDemarcheFactory(authority=other_authority, **{trait: True})
        Assignment.objects.create(demarche=other, agent=agent, assigned_by=chef)
    return made


def orm_list(request, authority, tab, mine):
    """The work list's files as the view read them before (a queryset)."""
    queryset = list_queryset(request, authority)
    statuses = TAB_STATUSES[Tab(tab)]
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if mine:
        queryset = queryset.filter(assignment__agent=request.user)
    return queryset.order_by("submitted_at", "id")


@pytest.mark.parametrize("tab", list(Tab.values))
@pytest.mark.parametrize("mine", [False, True])
@pytest.mark.parametrize("bulk_open", [False, True])
def test_same_files_order_and_rows_as_the_querysets(files, authority, agent, tab, mine, bulk_open):
    request = request_of(agent)
    now = timezone.now()
    counts, rows = worklist_query.worklist(request, authority, tab, mine)
    assert counts == stats.counts(authority_demarches(request, authority), agent=agent)
    expected = orm_list(request, authority, tab, mine)
    assert rows.count() == expected.count()
    for number in (1, 2, 3):
        old = Paginator(expected, PAGE_SIZE).get_page(number)
        new = Paginator(rows, PAGE_SIZE).get_page(number)
        assert (new.number, new.paginator.num_pages) == (old.number, old.paginator.num_pages)
        assert [r.number for r in new] == [d.number for d in old]
        assert worklist_rows(new, now, bulk_open) == worklist_rows(old, now, bulk_open)


def test_the_fixture_covers_what_the_rows_show(files, authority, agent):
    _counts, rows = worklist_query.worklist(request_of(agent), authority, Tab.TOUTES, False)
    shown = {row.number: row for row in rows[0 : len(files)]}
    assert shown[files[4].number].search_entry is None
    assert shown[files[5].number].review_flag == 1
    assert shown[files[0].number].assigned_agent == agent.username
    assert shown[files[2].number].assigned_agent is None
    assert "Écart" in worklist_rows([shown[files[5].number]], timezone.now(), False)


def test_one_query_per_page_and_one_for_the_counts(files, authority, agent):
    request = request_of(agent)
    with CaptureQueriesContext(connection) as queries:
        counts, rows = worklist_query.worklist(request, authority, Tab.A_TRAITER, False)
        paginator = Paginator(rows, PAGE_SIZE)
        paginator.count = counts[Tab.A_TRAITER]  # as the view does
        assert len(paginator.get_page(2)) == counts[Tab.A_TRAITER] - PAGE_SIZE
    # The memberships (read once per request), the counts, the page.
    assert len(queries) == 3


@pytest.mark.parametrize("case", ["unverified", "inactive", "other_authority"])
def test_no_file_and_no_query_for_who_is_not_admitted(
    files, authority, other_authority, agent, make_agent, case
):
    user, where = agent, authority
    if case == "inactive":
        agent.is_active = False
        agent.save()
    if case == "other_authority":
        where = other_authority  # files of its own, but the agent is no member there
    request = request_of(user, verified=case != "unverified")
    with CaptureQueriesContext(connection) as queries:
        counts, rows = worklist_query.worklist(request, where, Tab.TOUTES, False)
    assert rows == []
    assert counts == stats.counts(Demarche.objects.none(), agent=user)
    assert set(counts.values()) == {0}
    # The memberships read once (request_memberships), no list query.
    assert all("procedures_demarche" not in query["sql"] for query in queries)


def test_prepared_refuses_a_value_it_cannot_find():
    prepared = Prepared(lambda _key, *, authority: Demarche.objects.values_list("number"))
    with pytest.raises(ValueError, match="authority"):
        prepared.rows(None, authority=3)


def test_prepared_values_replace_the_sentinels(files, authority, other_authority):
    prepared = Prepared(
        lambda _key, *, authority: (
            Demarche.objects.filter(authority_id=authority)
            .order_by("id")
            .values_list("number", "submitted_at")
        )
    )
    for where in (authority, other_authority):
        expected = list(
            Demarche.objects.filter(authority=where)
            .order_by("id")
            .values_list("number", "submitted_at")
        )
        assert prepared.rows(None, authority=where.pk) == expected
        assert prepared.count(None, authority=where.pk) == len(expected)
        assert prepared.rows(None, authority=where.pk, limit=2, offset=1) == expected[1:3]
