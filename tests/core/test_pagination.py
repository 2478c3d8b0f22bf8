"""`page_of`: the page Django's Paginator.get_page gives, the COUNT only
when there are pages after the one shown."""

import pytest
from django.core.paginator import Paginator

from tests.accounts.factories import UserFactory
from titres.accounts.models import User
from titres.core.pagination import page_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def users():
    for _ in range(7):
        UserFactory()
    return User.objects.order_by("id")


def _same(page, expected):
    assert list(page.object_list) == list(expected.object_list)
    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert (page.has_next(), page.has_previous()) == (expected.has_next(), expected.has_previous())
    assert (page.start_index(), page.end_index()) == (expected.start_index(), expected.end_index())


@pytest.mark.parametrize(
    "number", [None, "", "1", "2", "3", "4", "99", "abc", "2.0", 2.0, 2.5, "0", "-1"]
)
@pytest.mark.parametrize("per_page", [3, 7, 10])
def test_the_same_page_as_django(users, number, per_page):
    _same(page_of(users, per_page, number), Paginator(users, per_page).get_page(number))


def test_an_empty_list_has_its_empty_first_page(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_of(User.objects.filter(pk=0).order_by("id"), 5, None)
        assert list(page.object_list) == [] and page.paginator.count == 0
        assert page.paginator.num_pages == 1 and not page.has_other_pages()


def test_one_query_on_the_last_page_two_before(users, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_of(users, 10, None)
        assert len(page.object_list) == 7 and not page.has_other_pages()
    with django_assert_num_queries(1):
        page = page_of(users, 3, "3")
        assert len(page.object_list) == 1 and page.has_previous() and not page.has_next()
    with django_assert_num_queries(2):
        page = page_of(users, 3, "1")
        assert len(page.object_list) == 3 and page.has_next()
