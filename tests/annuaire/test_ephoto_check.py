import pytest

from tests.permis.factories import EPhotoFactory
from titres.permis.identifiers import format_ephoto_code, new_ephoto_code

pytestmark = pytest.mark.django_db

URL = "/annuaire/code-photo/"


def errors(response):
    return response.context["form"].errors.get("code", [])


def test_a_valid_code_says_until_when_and_nothing_else(client):
    photo = EPhotoFactory(used_reference="")
    response = client.get(URL, {"code": format_ephoto_code(photo.code).lower()})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Le code {format_ephoto_code(photo.code)} est valide" in page
    assert "il ne sert qu’une fois" in page
    assert photo.photographer.name not in page


def test_expired_used_unknown_and_malformed_codes_are_told_apart(client):
    expired = EPhotoFactory(expired=True)
    used = EPhotoFactory(used=True)
    unknown = new_ephoto_code()
    assert errors(client.get(URL, {"code": expired.code}))[0].startswith(
        "Ce code photo numérique a expiré le "
    )
    assert errors(client.get(URL, {"code": used.code})) == [
        "Ce code photo numérique a déjà été utilisé pour une autre demande."
    ]
    assert errors(client.get(URL, {"code": unknown})) == [
        "Ce code photo numérique est inconnu. Vérifiez le code remis par le photographe."
    ]
    assert errors(client.get(URL, {"code": "ABC"})) == [
        "Ce code photo numérique n’est pas valide : il comporte 22 caractères "
        "(chiffres et lettres). Vérifiez votre saisie."
    ]
    assert errors(client.get(URL, {"code": ""})) == ["Saisissez votre code photo numérique."]
    response = client.get(URL, {"code": used.code})
    assert "DEMANDE-1" not in response.content.decode()


def test_the_checker_is_rate_limited(client):
    from titres.annuaire import views

    limit = views.EPHOTO_LIMIT
    try:
        views.EPHOTO_LIMIT = "1/minute"
        assert client.get(URL, {"code": "ABC"}).status_code == 200
        response = client.get(URL, {"code": "ABC"})
        assert response.status_code == 429
        assert "Trop de vérifications depuis votre adresse réseau" in response.content.decode()
    finally:
        views.EPHOTO_LIMIT = limit


def test_the_page_alone_shows_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200 and response.context["check"] is None
