import pytest
from django.urls import reverse

from titres.infos import sitemap

pytestmark = pytest.mark.django_db


def test_every_public_page_of_the_url_tree_is_in_the_plan_or_declared_not_a_page():
    assert sitemap.unlisted_public_pages() == [], (
        "Add these pages to LABELS (or NOT_PAGES, with the reason) in titres/infos/sitemap.py"
    )


def test_the_plan_lists_real_pages_that_open(client):
    page = client.get(reverse("infos:sitemap")).content.decode()
    entries = [entry for _, section in sitemap.pages() for entry in section]
    assert len(entries) >= 25
    for entry in entries:
        assert f'href="{entry.url}"' in page
        if entry.public:
            assert client.get(entry.url).status_code == 200, entry.name
    assert "compte nécessaire" in page


def test_a_labelled_pattern_that_is_gone_leaves_the_plan(monkeypatch):
    monkeypatch.setitem(sitemap.LABELS, "infos:disparue", "Page disparue")
    names = [entry.name for _, section in sitemap.pages() for entry in section]
    assert "infos:disparue" not in names and "infos:faq" in names
