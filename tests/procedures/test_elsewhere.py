"""Requests the portal does not handle are listed on "Nouvelle demande" with
who handles them and where (issue 19): never a dead end."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from titres.procedures.elsewhere import ElsewhereRequest, elsewhere_in, register_elsewhere

pytestmark = pytest.mark.django_db


def test_new_request_page_announces_them(client):
    client.force_login(UserFactory())
    page = client.get(reverse("procedures:new"))
    count = len(elsewhere_in("permis"))
    assert count >= 5
    assert f"{count} autres démarches : où les faire" in page.text


def test_category_page_lists_each_with_where(client):
    client.force_login(UserFactory())
    page = client.get(reverse("procedures:category", args=["permis"]))
    assert "Démarches qui ne se font pas sur ce portail" in page.text
    assert "Contester une contravention ou un retrait de points" in page.text
    assert "Agence nationale de traitement automatisé des infractions (ANTAI)" in page.text
    assert 'href="https://www.antai.gouv.fr"' in page.text
    assert 'href="/annuaire/?types=point_numerique"' in page.text
    assert page.text.count("Non disponible sur ce portail") == len(elsewhere_in("permis"))


def test_a_profile_without_licence_procedures_still_finds_where_to_go(client):
    client.force_login(UserFactory(profile="centre_sensibilisation"))
    page = client.get(reverse("procedures:category", args=["permis"]))
    assert "Stage de récupération de points" in page.text


def test_codes_are_unique_and_registration_idempotent():
    item = elsewhere_in("permis")[0]
    register_elsewhere(ElsewhereRequest(category="permis", code=item.code, title="x", where="y"))
    assert elsewhere_in("permis")[0] is item
    codes = [i.code for c in ("permis", "immatriculation", "identite") for i in elsewhere_in(c)]
    assert len(codes) == len(set(codes))
