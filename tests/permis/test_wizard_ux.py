"""Issue 14 in the licence wizard: the seed's wording, and labels that tell
the truth about what the server requires."""

import re

import pytest

from titres.permis.request_forms import EtatCivilForm

from .factories import UserFactory
from .wizard_helpers import ETAT_CIVIL, post, start, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_clamav(settings):
    settings.CLAMAV_URL = ""


@pytest.fixture
def citizen(client):
    user = UserFactory(email="jeanne.clavier@example.fr")
    client.force_login(user)
    return user


def _label(html, field_id):
    match = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_procedure_is_a_renewal_and_step_1_shows_the_reason_sentence(client, citizen):
    page = client.get("/demarches/nouvelle/permis/")
    assert "Permis de conduire : demande de renouvellement" in page.text
    demarche = start(client)
    post(client, demarche, "motif", {"motif": "vol"})
    page = client.get(step_url(demarche, "motif"))
    # Every sentence is in the page (the script shows the chosen one); the
    # chosen one is shown without JavaScript too.
    chosen = re.search(r'<p[^>]*data-motif-sentence="vol"[^>]*>', page.text).group(0)
    assert "hidden" not in chosen
    other = re.search(r'<p[^>]*data-motif-sentence="perte"[^>]*>', page.text).group(0)
    assert "hidden" in other
    assert "La demande du titre est effectuée à la suite du vol du précédent titre." in page.text


def test_born_in_france_commune_and_departement_are_required_and_say_so(client, citizen):
    demarche = start(client)
    post(client, demarche, "motif", {"motif": "vol"})
    page = client.get(step_url(demarche, "etat_civil"))
    assert _label(page.text, "id_commune_naissance") == "Commune de naissance"
    assert _label(page.text, "id_departement_naissance") == "Département de naissance"
    assert "Optionnel" in _label(page.text, "id_nom_usage")
    response = post(
        client,
        demarche,
        "etat_civil",
        {**ETAT_CIVIL, "lieu_naissance": "france", "commune_naissance": ""},
    )
    assert response.status_code == 200
    assert "Indiquez la commune de naissance." in response.text


def test_born_abroad_the_country_is_required_the_city_optional(client, citizen):
    demarche = start(client)
    post(client, demarche, "motif", {"motif": "vol"})
    abroad = {**ETAT_CIVIL, "lieu_naissance": "etranger", "departement_naissance": ""}
    response = post(client, demarche, "etat_civil", {**abroad, "commune_naissance": ""})
    assert response.status_code == 200
    assert "Indiquez le pays de naissance." in response.text
    assert "Optionnel" in _label(response.text, "id_commune_naissance")
    assert _label(response.text, "id_pays_naissance") == "Pays de naissance"
    response = post(
        client,
        demarche,
        "etat_civil",
        {**abroad, "commune_naissance": "", "pays_naissance": "Portugal"},
    )
    assert response.status_code == 302
    demarche.refresh_from_db()
    answers = demarche.answers["etat_civil"]
    assert answers["lieu_naissance"] == "etranger" and answers["pays_naissance"] == "Portugal"
    assert answers["departement_naissance"] == ""


def test_abroad_but_france_given_as_the_country_is_refused():
    form = EtatCivilForm(
        data={**ETAT_CIVIL, "lieu_naissance": "etranger", "pays_naissance": "France"}
    )
    assert not form.is_valid()
    assert form.errors["pays_naissance"] == [
        "Vous êtes né(e) en France : choisissez « En France » ci-dessus."
    ]


def test_drafts_saved_before_the_question_are_read_by_their_country():
    stored = {**ETAT_CIVIL, "pays_naissance": "Portugal", "departement_naissance": ""}
    stored.pop("lieu_naissance", None)
    form = EtatCivilForm(data=stored)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["lieu_naissance"] == "etranger"
    form = EtatCivilForm(data={k: v for k, v in ETAT_CIVIL.items() if k != "lieu_naissance"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["lieu_naissance"] == "france"


def test_every_required_field_is_what_the_server_requires():
    """The form-level rule of issue 14: fill only the fields not marked
    optional and the step is accepted (per branch of the état civil)."""
    form = EtatCivilForm()
    required = {name for name, field in form.fields.items() if field.required}
    assert required == {
        "nom_naissance",
        "sexe",
        "prenoms",
        "date_naissance",
        "lieu_naissance",
        "commune_naissance",
        "departement_naissance",
    }
    data = {name: ETAT_CIVIL.get(name, "") for name in required}
    data["lieu_naissance"] = "france"
    assert EtatCivilForm(data=data).is_valid()
    abroad = EtatCivilForm(data={"lieu_naissance": "etranger"})
    required = {name for name, field in abroad.fields.items() if field.required}
    assert "pays_naissance" in required and "commune_naissance" not in required
    data = {name: ETAT_CIVIL.get(name, "") for name in required}
    data.update(lieu_naissance="etranger", pays_naissance="Portugal")
    assert EtatCivilForm(data=data).is_valid()


def test_address_fields_have_autocomplete(client, citizen):
    demarche = start(client)
    post(client, demarche, "motif", {"motif": "vol"})
    post(client, demarche, "etat_civil", {**ETAT_CIVIL, "lieu_naissance": "france"})
    page = client.get(step_url(demarche, "adresse"))
    assert re.search(
        r'name="nom_voie"[^>]*autocomplete="address-line1"|autocomplete="address-line1"[^>]*name="nom_voie"',
        page.text,
    )
    assert 'autocomplete="address-line2"' in page.text
    assert "(recommandé) (Optionnel)" not in page.text
