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


# --- Step 4: the seed's two paths (eService code, paper slip) and the 15 days ---


def _draft_at_photo(client):
    from .wizard_helpers import ADRESSE

    demarche = start(client)
    post(client, demarche, "motif", {"motif": "expiration"})
    post(client, demarche, "etat_civil", ETAT_CIVIL)
    post(client, demarche, "adresse", ADRESSE)
    return demarche


def test_photo_step_offers_eservice_later_and_paper_slip(client, citizen):
    demarche = _draft_at_photo(client)
    page = client.get(step_url(demarche, "photo"))
    assert "Fournir la photo et la signature en eService" in page.text
    assert "j’imprime le talon photo-signature" in page.text
    assert 'value="ephoto"' in page.text and 'value="talon"' in page.text
    # eService is the default: the code is then required (no "Optionnel").
    assert "Optionnel" not in _label(page.text, "id_code_ephoto")
    response = post(client, demarche, "photo", {"mode_photo": "ephoto", "code_ephoto": ""})
    assert response.status_code == 200
    assert (
        "Saisissez votre code « photo numérique », ou choisissez une autre façon" in response.text
    )


def test_paper_slip_needs_no_code_and_no_delay(client, citizen):
    from django.urls import reverse

    from titres.permis.procedure import definition

    demarche = _draft_at_photo(client)
    response = post(client, demarche, "photo", {"mode_photo": "talon", "code_ephoto": ""})
    assert response.status_code == 302
    demarche.refresh_from_db()
    photo = demarche.answers["photo"]
    assert photo["mode_photo"] == "talon" and photo["sans_code_depuis"] is None
    step = definition().step("photo")
    assert step.validate(demarche) == []
    assert step.summary(demarche) == [
        ("Photo / Signature", "Talon photo-signature imprimé, à envoyer par courrier")
    ]
    pdf = client.get(reverse("permis:request_talon", args=[demarche.number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f"talon-photo-signature-{demarche.number}.pdf" in pdf["Content-Disposition"]
    from io import BytesIO

    from pypdf import PdfReader

    text = PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    assert "Talon photo-signature" in text and demarche.display_number in text
    assert "CORNEILLE" in text


def test_later_keeps_the_fifteen_days_and_a_code_typed_then_counts(client, citizen):
    from .factories import EPhotoFactory

    demarche = _draft_at_photo(client)
    assert post(client, demarche, "photo", {"mode_photo": "plus_tard"}).status_code == 302
    demarche.refresh_from_db()
    assert demarche.answers["photo"]["sans_code_depuis"]
    photo = EPhotoFactory()
    post(client, demarche, "photo", {"mode_photo": "plus_tard", "code_ephoto": photo.code})
    demarche.refresh_from_db()
    assert demarche.answers["photo"]["mode_photo"] == "ephoto"
    assert demarche.answers["photo"]["code_ephoto"] == photo.code


def test_talon_of_another_persons_request_is_404(client, citizen):
    from django.urls import reverse

    from tests.procedures.factories import DemarcheFactory

    other = DemarcheFactory(procedure_code="permis-de-conduire")
    assert client.get(reverse("permis:request_talon", args=[other.number])).status_code == 404


def test_local_photo_service_answers_with_specimen_images():
    from PIL import Image

    from titres.permis.services import register_photo

    from .factories import PhotographerFactory

    photo = register_photo(photographer=PhotographerFactory())
    assert photo.image and photo.signature
    with photo.image.open("rb") as handle:
        image = Image.open(handle)
        assert image.size == (350, 450)
    with photo.signature.open("rb") as handle:
        assert Image.open(handle).size == (400, 120)


def test_no_specimens_where_real_images_arrive(settings):
    from titres.permis.services import register_photo

    from .factories import PhotographerFactory

    settings.EPHOTO_LOCAL_SPECIMENS = False
    photo = register_photo(photographer=PhotographerFactory())
    assert not photo.image and not photo.signature
