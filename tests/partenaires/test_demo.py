import pytest

from titres.core import ratelimit
from titres.partenaires import demo, tokens
from titres.partenaires.enums import Scope
from titres.partenaires.models import ApiToken
from titres.permis import demo as permis_demo

pytestmark = pytest.mark.django_db


def test_demo_token_is_printed_works_and_is_stored_hashed(client, settings):
    settings.SITE_URL = "http://testserver"
    ratelimit.reset()
    permis_demo.load()
    [credential, _dashboard] = demo.load()
    [again, _] = demo.load()  # a reset issues it again with the same secret
    assert again.secret == credential.secret == tokens.demo_secret()[0]
    token = ApiToken.objects.get()
    assert token.key_hash == tokens.digest(credential.secret)
    assert sorted(token.scopes) == sorted(Scope.values)
    # The printed curl line works as printed.
    assert f'"Authorization: Bearer {credential.secret}"' in credential.note
    url = credential.note.split("'")[1].removeprefix("http://testserver")
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {credential.secret}")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["etat"] == "valide"
    assert response.json()["data"]["solde_points"] == 12


def test_demo_token_follows_secret_key(settings):
    first = tokens.demo_secret()[0]
    settings.SECRET_KEY = "une-autre-clef-" + "x" * 40
    second = tokens.demo_secret()[0]
    assert first != second
    assert tokens.split(first) and tokens.split(second)


def test_demo_titles_read_through_the_demo_token(client):
    from titres.identite import demo as identite_demo

    ratelimit.reset()
    identite_demo.load_titles()
    credential, _dashboard = demo.load()
    states = {}
    for number, *_rest in identite_demo.DEMO_TITLES:
        response = client.get(
            "/api/v1/titre-identite",
            {"numero": number, "recipient": demo.RECIPIENT, "context": "Demo", "object": "1"},
            HTTP_AUTHORIZATION=f"Bearer {credential.secret}",
        )
        states[number] = response.json()["data"]["etat"]
    assert states == {
        "X4RTBPFW4": "valide",
        "880692310285": "expire",
        "Y7KQ2MZC8": "declare_perdu",
        "18AB12345": "declare_vole",
    }


def test_demo_company_account_sees_the_dashboard(client, settings):
    from titres.accounts import demo as accounts_demo
    from titres.accounts.models import User

    settings.DEBUG = True  # the demo accounts exist only in development
    accounts_demo.load()
    demo.load()
    client.force_login(User.objects.get(username=demo.MEMBER_USERNAME))
    response = client.get("/partenaires/tableau-de-bord/")
    assert response.status_code == 200
    assert "Direction interministérielle du numérique (démonstration)" in response.content.decode()
