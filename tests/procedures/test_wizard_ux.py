"""What a person meets in the wizard (issue 14): Enter means "Étape
suivante", going back keeps what was typed, refused steps are announced."""

import re

import pytest
from django.urls import reverse

from titres.procedures import unsaved
from titres.procedures.models import Demarche

from . import toy
from .factories import AuthorityFactory, DemarcheFactory

pytestmark = pytest.mark.django_db


def _step(demarche, slug):
    return reverse("procedures:step", args=[demarche.number, slug])


def _start(client):
    client.post(reverse("procedures:start", args=[toy.CODE]))
    return Demarche.objects.latest("created_at")


def _submit_buttons(html):
    return re.findall(r'<button[^>]*type="submit"[^>]*value="(\w+)"', html)


def test_next_is_the_first_submit_button_of_every_step(client, citizen):
    AuthorityFactory(code="543", departements=["54"])
    demarche = _start(client)
    client.post(_step(demarche, "motif"), {"motif": "perte", "action": "next"})
    page = client.get(_step(demarche, "etat_civil"))
    # The first submit button of a form is the one Enter presses.
    assert _submit_buttons(page.text)[:3] == ["next", "save", "previous"]
    assert "fr-btns-group--inline-reverse" in page.text
    # No icon-only rule: the icons are decorative spans, the words stay.
    assert "fr-icon-arrow-right-line fr-icon--sm" in page.text
    nav = page.text[page.text.index("titres-wizard-nav") :]
    nav = nav[: nav.index("</ul>")]
    assert "fr-btn fr-icon-" not in nav and "Étape suivante" in nav


def test_previous_with_an_incomplete_step_keeps_what_was_typed(client, citizen):
    demarche = _start(client)
    client.post(_step(demarche, "motif"), {"motif": "perte", "action": "next"})
    response = client.post(
        _step(demarche, "etat_civil"), {"nom": "DUPONT", "prenom": "", "action": "previous"}
    )
    assert response.status_code == 302 and response.url == _step(demarche, "motif")
    demarche.refresh_from_db()
    assert "etat_civil" not in demarche.answers  # nothing invalid is saved as an answer
    page = client.get(_step(demarche, "etat_civil"))
    assert 'value="DUPONT"' in page.text
    assert "Le formulaire comporte" not in page.text  # shown again, not refused

    # Once the step is saved, the scratch copy is gone.
    client.post(
        _step(demarche, "etat_civil"),
        {"nom": "DUPONT", "prenom": "Jeanne", "departement": "54", "action": "next"},
    )
    assert unsaved.SESSION_KEY not in client.session or not client.session[unsaved.SESSION_KEY]


def test_unsaved_values_are_bounded_and_per_demarche(client, citizen):
    demarche = _start(client)
    client.post(_step(demarche, "motif"), {"motif": "perte", "action": "next"})
    client.post(
        _step(demarche, "etat_civil"),
        {"nom": "X" * 5000, "prenom": "", "action": "previous"},
    )
    stored = client.session[unsaved.SESSION_KEY]
    assert list(stored) == [f"{demarche.number}:etat_civil"]
    assert len(stored[f"{demarche.number}:etat_civil"]["nom"]) == unsaved.MAX_VALUE
    # Another démarche of the same person does not see it.
    other = DemarcheFactory(owner=citizen, procedure_code=toy.CODE)
    other.answers = {"motif": {"motif": "perte"}}
    other.save()
    assert "XXXX" not in client.get(_step(other, "etat_civil")).text


def test_refused_step_has_an_error_summary_and_an_error_title(client, citizen):
    demarche = _start(client)
    client.post(_step(demarche, "motif"), {"motif": "perte", "action": "next"})
    page = client.post(
        _step(demarche, "etat_civil"), {"nom": "DUPONT", "prenom": "", "action": "next"}
    )
    assert page.status_code == 200
    title = re.search(r"<title>(.*?)</title>", page.text, re.S).group(1).strip()
    assert title.startswith("Erreur : ")
    assert 'id="error-summary"' in page.text and "data-error-summary" in page.text
    assert "Le formulaire comporte 2 erreurs" in page.text
    assert 'href="#id_prenom"' in page.text and 'href="#id_departement"' in page.text
    # An ordinary page has neither.
    page = client.get(_step(demarche, "etat_civil"))
    assert "data-error-summary" not in page.text
    assert not re.search(r"<title>\s*Erreur", page.text)


def test_required_fields_hint_matches_the_convention(client, citizen):
    demarche = _start(client)
    page = client.get(_step(demarche, "motif"))
    assert "Sauf mention contraire, tous les champs sont obligatoires." in page.text
    assert "astérisque" not in page.text
