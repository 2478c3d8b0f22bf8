"""INSEE codes given by FranceConnect read as names (issue 14, item 9)."""

import pytest

from titres.core.cog import commune_name, country_name

pytestmark = pytest.mark.django_db


def test_country_names():
    assert country_name("99100") == "France"
    assert country_name("99134") == "Espagne"
    assert country_name("99352") == "Algérie"
    assert country_name("99132") == "Royaume-Uni"
    assert country_name("99999") == "99999"
    assert country_name("") == ""


def test_arrondissements_and_communes():
    from titres.permis.communes import ensure_reference_data

    ensure_reference_data()
    assert commune_name("75107") == "Paris 7e arrondissement"
    assert commune_name("75101") == "Paris 1er arrondissement"
    assert commune_name("69383") == "Lyon 3e arrondissement"
    assert commune_name("13216") == "Marseille 16e arrondissement"
    assert commune_name("54395") == "Nancy"
    assert commune_name("00000") == "00000"


def test_franceconnect_page_shows_birthplace_and_country_names(client):
    from tests.franceconnect.factories import FranceConnectIdentityFactory

    identity = FranceConnectIdentityFactory(birthplace="75107", birthcountry="99100")
    client.force_login(identity.user)
    html = client.get("/franceconnect/").content.decode()
    assert "<td>Paris 7e arrondissement</td>" in html and "<td>France</td>" in html
    assert "75107" not in html and "99100" not in html
    # The page is linked from the account page.
    assert 'href="/franceconnect/"' in client.get("/compte/").content.decode()
