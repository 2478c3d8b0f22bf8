import pytest
from django.contrib.auth.password_validation import validate_password

from titres.accounts import demo
from titres.accounts.enums import Profile
from titres.accounts.models import Habilitation, TermsVersion, User

pytestmark = pytest.mark.django_db


def test_demo_accounts_one_per_profile_idempotent(client, settings):
    settings.DEBUG = True
    first = demo.load()
    second = demo.load()
    assert [(c.role, c.identifier) for c in first] == [(c.role, c.identifier) for c in second]
    assert TermsVersion.objects.count() == 1
    assert set(User.objects.values_list("profile", flat=True)) == set(Profile.values)
    operator = User.objects.get(username="operateur")
    assert operator.is_staff and operator.is_superuser
    assert Habilitation.objects.get().user.username == "demo-garage"
    validate_password(demo.PASSWORD)
    validate_password(demo.OPERATOR_PASSWORD)
    for credential in first:
        response = client.post(
            "/compte/connexion/",
            {"username": credential.identifier, "password": credential.secret},
        )
        assert response.status_code == 302, credential
        assert client.get("/tableau-de-bord/").status_code == 200
        client.post("/compte/deconnexion/")


def test_no_demo_accounts_without_debug(settings):
    settings.DEBUG = False
    assert demo.load() == []
    assert not User.objects.exists()
    assert TermsVersion.objects.count() == 1  # the terms are real content
