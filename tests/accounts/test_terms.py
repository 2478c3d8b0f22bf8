import datetime

import pytest
from django.utils import timezone

from titres.accounts.models import TermsAcceptance
from titres.accounts.services.terms import publish_terms_version
from titres.accounts.terms_text import render_terms
from titres.core.models import AuditEvent

from .conftest import verified_login
from .factories import PASSWORD, TermsVersionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_terms_page_is_public_and_shows_current_version(client, terms):
    TermsVersionFactory(version=2, text="## Article 1\n\nNouveau texte.")
    TermsVersionFactory(
        version=3,
        text="Pas encore publiée.",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    page = client.get("/compte/conditions-generales/").content.decode()
    assert "Version 2, publiée le" in page
    assert "Nouveau texte." in page
    assert "Pas encore publiée." not in page


def test_new_version_must_be_accepted_at_next_login_before_anything_else(client, terms):
    user = UserFactory(username="camille")  # accepted version 1
    operator = UserFactory(operator=True)
    publish_terms_version(
        actor=operator, text="## 1.1 Objet\n\nVersion 2.", summary_of_changes="Article 1.1"
    )
    response = client.post("/compte/connexion/", {"username": "camille", "password": PASSWORD})
    assert response.url == "/tableau-de-bord/"
    blocked = client.get("/tableau-de-bord/")
    assert blocked.url == "/compte/conditions-generales/?next=%2Ftableau-de-bord%2F"
    assert client.get("/compte/").status_code == 302
    page = client.get(blocked.url).content.decode()
    assert "Les conditions générales d’utilisation ont changé" in page
    assert "Principales modifications : Article 1.1" in page
    # Not ticked: refused with a message.
    refused = client.post(blocked.url, {"next": "/tableau-de-bord/"})
    assert (
        "Vous devez accepter les conditions générales d’utilisation pour continuer."
        in refused.content.decode()
    )
    accepted = client.post(blocked.url, {"accept": "on", "next": "/tableau-de-bord/"})
    assert accepted.url == "/tableau-de-bord/"
    assert client.get("/tableau-de-bord/").status_code == 200
    acceptance = TermsAcceptance.objects.get(user=user, version__version=2)
    assert acceptance.accepted_at
    assert AuditEvent.objects.filter(event="accounts.terms_accepted", actor_id=user.pk).exists()
    assert AuditEvent.objects.filter(event="accounts.terms_published").exists()


def test_session_already_open_is_stopped_when_a_version_is_published(client, terms, run_on_commit):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/compte/").status_code == 200
    with run_on_commit():  # clears the cached current version
        publish_terms_version(actor=None, text="v2")
    assert client.get("/compte/").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/compte/conditions-generales/",
        "/compte/deconnexion/",
        "/healthz",
        "/readyz",
        "/dev/mailbox/",
        "/static/core/titres.css",
        "/agent/",
    ],
)
def test_middleware_lets_through(client, terms, path):
    user = UserFactory(accept_terms=False)
    client.force_login(user)
    response = client.get(path)
    assert not (
        response.status_code == 302 and "conditions-generales" in response.get("Location", "")
    )


def test_staff_keep_the_admin_but_accept_on_the_portal(client, terms):
    operator = UserFactory(operator=True, accept_terms=False)
    verified_login(client, operator)
    assert client.get("/gestion/").status_code == 200
    assert client.get("/tableau-de-bord/").status_code == 302


def test_anonymous_visitors_are_not_affected(client, terms):
    assert client.get("/").status_code == 200
    assert client.get("/compte/inscription/").status_code == 200


def test_no_published_terms_means_nothing_to_accept(client):
    client.force_login(UserFactory())
    assert client.get("/compte/").status_code == 200
    assert (
        "ne sont pas encore publiées"
        in client.get("/compte/conditions-generales/").content.decode()
    )


def test_unsafe_next_is_ignored(client, terms):
    client.force_login(UserFactory(accept_terms=False))
    response = client.post(
        "/compte/conditions-generales/", {"accept": "on", "next": "//evil.example/"}
    )
    assert response.url == "/tableau-de-bord/"


def test_renderer_escapes_and_structures():
    html = render_terms(
        "Titre\n=====\n\n1.1 Objet\n---------\n\n### 1.2 Portail\n\n"
        "Texte **important** <script>x</script>\nsuite.\n\n"
        "* un\n* deux\n\n[lien](https://ants.gouv.fr/) [mauvais](javascript:alert(1))"
    )
    assert "<h2>1.1 Objet</h2>" in html
    assert "<h3>1.2 Portail</h3>" in html
    assert "<strong>important</strong>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "<ul><li>un</li><li>deux</li></ul>" in html
    assert '<a href="https://ants.gouv.fr/" rel="noopener">lien</a>' in html
    assert 'href="javascript' not in html
    assert "Titre" not in html


def test_seed_terms_render():
    from titres.accounts.demo import TERMS_FILE

    html = render_terms(TERMS_FILE.read_text())
    assert "Création d’un compte utilisateur" in html
    assert "Suspension temporaire et réactivation" in html
