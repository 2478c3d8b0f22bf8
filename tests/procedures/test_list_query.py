""" "Mes démarches" read through the query compiled once per process
(`list_query.owned_rows`) gives the pages, the rows' fields and the row
HTML the queryset gave, and only the citizen's own files."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from titres.core.pagination import page_of
from titres.procedures.list_query import ROW_FIELDS, OwnedRow, owned_rows
from titres.procedures.models import Demarche
from titres.procedures.selectors import demarches_owned_by
from titres.procedures.templatetags.procedures_tags import demarche_rows
from titres.procedures.views import PAGE_SIZE

from .factories import DemarcheFactory

pytestmark = pytest.mark.django_db

STATES = [{}, {"submitted": True}, {"taken": True}, {"awaiting": True}, {"rejected": True}]


@pytest.fixture
def files(citizen):
    """Two pages of the citizen's files in several states, some changed at
    the same time (the order then falls back on ids), and someone else's."""
    made = [
        DemarcheFactory(owner=citizen, **STATES[index % len(STATES)])
        for index in range(PAGE_SIZE + 6)
    ]
    start = timezone.now() - timedelta(days=3)
    for index, demarche in enumerate(made):
        Demarche.objects.filter(pk=demarche.pk).update(
            updated_at=start + timedelta(hours=index // 2)
        )
    DemarcheFactory(submitted=True)
    return made


@pytest.mark.parametrize("number", ["1", "2", "3", None, "abc", "-1"])
def test_same_pages_models_and_rows_as_the_queryset(files, citizen, number):
    queryset = demarches_owned_by(citizen).defer("answers").order_by("-updated_at", "-id")
    old = page_of(queryset, PAGE_SIZE, number)
    new = page_of(owned_rows(citizen), PAGE_SIZE, number)
    assert (new.number, new.paginator.num_pages, new.paginator.count) == (
        old.number,
        old.paginator.num_pages,
        old.paginator.count,
    )
    # Every field a row reads, as the models have it.
    assert [tuple(getattr(d, name) for name in ROW_FIELDS) for d in new] == [
        tuple(getattr(d, name) for name in ROW_FIELDS) for d in old
    ]
    assert all(type(d) is OwnedRow for d in new)
    assert demarche_rows(new) == demarche_rows(old)


def test_only_the_citizens_files(files, citizen):
    rows = owned_rows(citizen)
    assert rows.count() == len(files)
    assert {d.pk for d in rows[0 : len(files) + 5]} == {d.pk for d in files}


def test_the_page_reads_its_rows_and_the_count(files, client, citizen):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("procedures:list"))
    assert response.status_code == 200
    assert all(d.display_number in response.content.decode() for d in files[-PAGE_SIZE:])
    # More files than a page: the rows, then the count (as page_of asked).
    assert len([q for q in queries if "procedures_demarche" in q["sql"]]) == 2


def test_the_search_still_filters(files, client, citizen):
    wanted = files[1]
    response = client.get(reverse("procedures:list"), {"q": wanted.number})
    assert wanted.display_number in response.content.decode()
    assert files[2].display_number not in response.content.decode()


def test_the_empty_search_form_is_one_per_process_and_stays_unbound(client, citizen):
    url = reverse("procedures:list")
    first = client.get(url).context["form"]
    searched = client.get(url, {"q": "ABCD-1234", "status": "INCONNU"}).context["form"]
    assert searched is not first
    assert searched.is_bound and "status" in searched.errors
    again = client.get(url).context["form"]
    assert again is first
    assert not again.is_bound
    assert again.errors == {}
    assert again["q"].value() is None


@pytest.mark.parametrize("params", [{"page": "2"}, {"q": "", "status": "", "page": "2"}])
def test_page_two_without_a_search_reads_the_compiled_query(files, client, citizen, params):
    queryset = demarches_owned_by(citizen).defer("answers").order_by("-updated_at", "-id")
    expected = demarche_rows(page_of(queryset, PAGE_SIZE, "2"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("procedures:list"), params)
    assert expected in response.content.decode()
    rows = [q["sql"] for q in queries if "procedures_demarche" in q["sql"]]
    # The compiled query selects the rows' fields only (no submission date).
    assert rows and not any("submitted_at" in sql for sql in rows)


@pytest.mark.parametrize("params", [{"q": "A"}, {"status": "EN_COURS"}])
def test_a_search_keeps_the_queryset(files, client, citizen, params):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("procedures:list"), params)
    rows = [q["sql"] for q in queries if "procedures_demarche" in q["sql"]]
    assert rows and all("submitted_at" in sql for sql in rows)
