"""The téléprocédure "Permis de conduire" (seed 002) through the web wizard."""

import pytest
from django.urls import reverse

from titres.paiements.enums import StampState
from titres.permis.models import LicenceRequest
from titres.procedures.enums import Status

from .factories import LicenceRecordFactory, UserFactory
from .wizard_helpers import (
    fill_until_documents,
    post,
    stamp,
    start,
    step_url,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_clamav(settings):
    settings.CLAMAV_URL = ""


@pytest.fixture
def citizen(client):
    user = UserFactory(email="pierre.corneille@example.fr")
    client.force_login(user)
    return user


SEED_STEPS = {
    "motif": (1, "Motif de demande"),
    "etat_civil": (2, "État civil"),
    "adresse": (3, "Adresse et contact"),
    "photo": (4, "Photo / Signature"),
    "pieces": (5, "Pièces justificatives"),
    "paiement": (6, "Paiement"),
    "recapitulatif": (7, "Récapitulatif"),
}


def assert_stepper(page, slug):
    """Seed 002: "Étape n sur 8" with the seed's title, whatever the reason."""
    number, title = SEED_STEPS[slug]
    assert f"Étape {number} sur 8" in page.text, slug
    assert f'data-fr-current-step="{number}" data-fr-steps="8"' in page.text
    assert title in page.text


def test_theft_full_journey(client, citizen, django_capture_on_commit_callbacks):
    record = LicenceRecordFactory()
    demarche = start(client)
    page = client.get(step_url(demarche, "motif"))
    assert "Vol du titre" in page.text and "Changement d’état civil" in page.text
    photo = fill_until_documents(client, demarche, "vol")
    for slug in SEED_STEPS:
        assert_stepper(client.get(step_url(demarche, slug)), slug)

    page = client.get(step_url(demarche, "pieces"))
    assert "Récépissé de déclaration de vol" in page.text
    assert "Déclaration de perte" not in page.text
    for code in ["domicile", "identite", "recepisse_vol"]:
        upload(client, demarche, code, capture=django_capture_on_commit_callbacks)
    assert post(client, demarche, "pieces").url == step_url(demarche, "paiement")

    bought = stamp()
    page = client.get(step_url(demarche, "paiement"))
    assert "25 €" in page.text and "/timbres/?motif=permis_perte_vol" in page.text
    response = post(client, demarche, "paiement", {"numero_timbre": bought.number})
    assert response.url == step_url(demarche, "recapitulatif")
    bought.refresh_from_db()
    assert bought.state == StampState.RESERVE and bought.holder == f"demarche:{demarche.number}"

    page = client.get(step_url(demarche, "recapitulatif"))
    assert "fr-accordion" in page.text and "Je soussigné(e), le (la) déclarant(e)" in page.text
    assert "La demande du titre est effectuée à la suite du vol du précédent titre." in page.text
    assert page.text.count(">Modifier<") == 6

    # The sworn statement must be ticked.
    response = submit(client, demarche, attestation=False)
    assert response.status_code == 400
    demarche.refresh_from_db()
    assert demarche.status == Status.BROUILLON

    response = submit(client, demarche)
    assert response.url == reverse("permis:request_confirmation", args=[demarche.number])
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    assert demarche.authority.code == "CERT-PC"  # no prefecture authority loaded
    bought.refresh_from_db()
    assert bought.state == StampState.CONSOMME
    photo.refresh_from_db()
    assert photo.used_at is not None and photo.used_reference == demarche.number
    assert demarche.answers["_snpc"]["neph"] == record.neph
    assert demarche.answers["_snpc"]["method"] == "etat_civil"
    request = LicenceRequest.objects.get(demarche=demarche)
    assert request.record == record and request.stamp_number == bought.number

    page = client.get(reverse("permis:request_confirmation", args=[demarche.number]))
    assert demarche.display_number in page.text
    assert "Justificatif de la pré-demande" in page.text
    # The engine's confirmation URL leads to this page.
    response = client.get(reverse("procedures:confirmation", args=[demarche.number]))
    assert response.url == reverse("permis:request_confirmation", args=[demarche.number])


# --- Reasons: documents, fee, steps ------------------------------------------------

REASONS = {
    "perte": (["domicile", "identite"], True, True),
    "vol": (["domicile", "identite", "recepisse_vol"], True, False),
    "deterioration": (["domicile", "identite"], False, False),
    "expiration": (["domicile", "identite"], False, False),
    "changement_etat_civil": (["domicile", "identite", "justificatif_etat_civil"], False, False),
}


@pytest.mark.parametrize("motif", list(REASONS))
def test_each_reason_decides_documents_fee_and_steps(client, citizen, motif):
    from titres.permis.procedure import document_rules, fee_cents, needs_stamp
    from titres.procedures.registry import get_procedure

    codes, paying, declaration = REASONS[motif]
    demarche = start(client)
    post(client, demarche, "motif", {"motif": motif})
    demarche.refresh_from_db()
    assert [rule.code for rule in document_rules(demarche)] == codes
    assert needs_stamp(demarche.answers) is paying
    assert fee_cents(motif) == (2500 if paying else 0)
    slugs = [s.slug for s in get_procedure("permis-de-conduire").applicable_steps(demarche)]
    assert ("paiement" in slugs) is paying
    # Never a step of its own: the loss declaration is inside step 5.
    assert slugs[:5] == ["motif", "etat_civil", "adresse", "photo", "pieces"]
    page = client.get(step_url(demarche, "pieces"))
    assert_stepper(page, "pieces")
    assert ("Déclaration de perte" in page.text) is declaration
    assert ("Je déclare sur l’honneur avoir perdu mon permis" in page.text) is declaration
    for label in ["Justificatif de domicile de moins de 3 mois", "Pièce d’identité"]:
        assert label in page.text
    assert ("Récépissé de déclaration de vol" in page.text) is (motif == "vol")
    if not paying:
        # The payment step is skipped: its URL goes on to the récapitulatif.
        assert client.get(step_url(demarche, "paiement")).url == step_url(demarche, "recapitulatif")
    # Payment keeps number 6 even when it is passed through.
    assert_stepper(client.get(step_url(demarche, "recapitulatif")), "recapitulatif")


def test_expiration_journey_is_free(client, citizen, django_capture_on_commit_callbacks):
    demarche = start(client)
    fill_until_documents(client, demarche, "expiration")
    for code in ["domicile", "identite"]:
        upload(client, demarche, code, capture=django_capture_on_commit_callbacks)
    assert post(client, demarche, "pieces").url == step_url(demarche, "recapitulatif")
    page = client.get(step_url(demarche, "recapitulatif"))
    assert "Étape 7 sur 8" in page.text
    assert submit(client, demarche).status_code == 302
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS and demarche.payment_reference == ""
    request = LicenceRequest.objects.get(demarche=demarche)
    assert request.stamp_number == "" and request.motif == "expiration"


def test_loss_declaration_is_a_sworn_statement_without_upload(client, citizen):
    demarche = start(client)
    fill_until_documents(client, demarche, "expiration")
    post(client, demarche, "motif", {"motif": "perte"})
    response = post(client, demarche, "pieces", {"date_perte": "02/03/2024", "lieu_perte": "Nancy"})
    assert response.status_code == 200
    assert "Cochez la déclaration sur l’honneur pour continuer." in response.text
    assert_stepper(response, "pieces")
    response = post(
        client,
        demarche,
        "pieces",
        {"date_perte": "02/03/2099", "lieu_perte": "Nancy", "attestation": "on"},
    )
    assert "La date de la perte doit être une date passée." in response.text
    page = client.get(step_url(demarche, "pieces"))
    assert "Récépissé" not in page.text
    # "Étape précédente" with an invalid declaration goes back without saving.
    response = post(client, demarche, "pieces", {"date_perte": "x"}, action="previous")
    assert response.url == step_url(demarche, "photo")
    demarche.refresh_from_db()
    assert "date_perte" not in (demarche.answers.get("pieces") or {})


def test_loss_journey_declares_the_loss_in_step_5(
    client, citizen, django_capture_on_commit_callbacks
):
    from .wizard_helpers import PERTE

    LicenceRecordFactory()
    demarche = start(client)
    fill_until_documents(client, demarche, "expiration")
    assert post(client, demarche, "motif", {"motif": "perte"}).status_code == 302
    for slug in SEED_STEPS:
        assert_stepper(client.get(step_url(demarche, slug)), slug)
    page = client.get(step_url(demarche, "pieces"))
    assert "Déclaration de perte" in page.text and "cerfa n° 14882" in page.text
    assert "Récépissé" not in page.text
    for code in ["domicile", "identite"]:
        upload(client, demarche, code, capture=django_capture_on_commit_callbacks)
    # Documents present but no sworn statement: step 5 is not complete.
    response = post(client, demarche, "pieces", {**PERTE, "attestation": ""})
    assert response.status_code == 200
    assert "Cochez la déclaration sur l’honneur pour continuer." in response.text
    assert submit(client, demarche).status_code == 400
    response = post(client, demarche, "pieces", PERTE)
    assert response.url == step_url(demarche, "paiement")
    demarche.refresh_from_db()
    assert demarche.answers["pieces"] == {
        "date_perte": "2024-03-02",
        "lieu_perte": "Nancy",
        "circonstances": "Perdu au marché",
        "attestation": True,
    }
    assert_stepper(client.get(step_url(demarche, "paiement")), "paiement")
    post(client, demarche, "paiement", {"numero_timbre": stamp().number})
    page = client.get(step_url(demarche, "recapitulatif"))
    assert_stepper(page, "recapitulatif")
    assert "Date de la perte" in page.text and "02/03/2024" in page.text
    assert "Perdu au marché" in page.text
    assert submit(client, demarche).status_code == 302
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    assert demarche.answers["pieces"]["attestation"] is True
    page = client.get(reverse("permis:request_confirmation", args=[demarche.number]))
    assert "Étape 8 sur 8" in page.text and "Perdu au marché" in page.text


def test_declaration_dropped_when_the_reason_is_no_longer_a_loss(client, citizen):
    demarche = start(client)
    fill_until_documents(client, demarche, "perte")
    demarche.refresh_from_db()
    assert demarche.answers["pieces"]["lieu_perte"] == "Nancy"
    post(client, demarche, "motif", {"motif": "expiration"})
    for code in ["domicile", "identite"]:
        upload(client, demarche, code)
    page = client.get(step_url(demarche, "recapitulatif"))
    assert "Date de la perte" not in page.text
    assert submit(client, demarche).status_code == 302
    demarche.refresh_from_db()
    assert demarche.answers["pieces"] == {}


# --- État civil --------------------------------------------------------------------


def test_date_of_birth_in_the_future_is_refused(client, citizen):
    from .wizard_helpers import ETAT_CIVIL

    demarche = start(client)
    post(client, demarche, "motif", {"motif": "vol"})
    response = post(client, demarche, "etat_civil", {**ETAT_CIVIL, "date_naissance": "01/01/2999"})
    assert response.status_code == 200
    assert "La date de naissance doit être une date passée." in response.text
    response = post(client, demarche, "etat_civil", {**ETAT_CIVIL, "date_naissance": "31/02/1990"})
    assert (
        "Saisissez une date réelle au format JJ/MM/AAAA, par exemple 01/01/1956." in response.text
    )
    demarche.refresh_from_db()
    assert "etat_civil" not in demarche.answers


def test_first_names_in_civil_order_and_birth_abroad(client, citizen):
    from .wizard_helpers import ETAT_CIVIL

    demarche = start(client)
    post(client, demarche, "motif", {"motif": "vol"})
    data = {
        **ETAT_CIVIL,
        "prenoms": ["Maria", "", "Élodie", "Jean-Pierre"],
        "lieu_naissance": "etranger",
        "commune_naissance": "Lisbonne",
        "departement_naissance": "",
        "pays_naissance": "Portugal",
        "nom_usage": "tessier",
        "date_naissance": "30/11/1985",
    }
    assert post(client, demarche, "etat_civil", data).status_code == 302
    demarche.refresh_from_db()
    answers = demarche.answers["etat_civil"]
    assert answers["prenoms"] == ["Maria", "Élodie", "Jean-Pierre"]
    assert answers["date_naissance"] == "1985-11-30"
    assert answers["pays_naissance"] == "Portugal" and answers["departement_naissance"] == ""
    assert answers["nom_usage"] == "TESSIER"
    # Born in France: commune and département are required.
    response = post(
        client,
        demarche,
        "etat_civil",
        {**ETAT_CIVIL, "commune_naissance": "", "departement_naissance": ""},
    )
    assert "Indiquez la commune de naissance" in response.text
    assert "Indiquez le département de naissance" in response.text
    response = post(client, demarche, "etat_civil", {**ETAT_CIVIL, "neph": "123456789012"})
    assert "Le numéro de dossier (NEPH) doit comporter 12 chiffres et être valide." in response.text
    response = post(client, demarche, "etat_civil", {**ETAT_CIVIL, "prenoms": ["", ""]})
    assert "Saisissez au moins le premier prénom." in response.text


def test_back_and_forth_keeps_answers(client, citizen):
    from .wizard_helpers import ADRESSE, ETAT_CIVIL

    demarche = start(client)
    fill_until_documents(client, demarche, "vol", etat_civil={"prenoms": ["Pierre", "Jean"]})
    # Back from the address step (valid form: saved, then previous).
    response = post(client, demarche, "adresse", ADRESSE, action="previous")
    assert response.url == step_url(demarche, "etat_civil")
    page = client.get(step_url(demarche, "etat_civil"))
    assert 'value="CORNEILLE"' in page.text and 'value="Jean"' in page.text
    assert 'value="01/01/1956"' in page.text
    page = client.get(step_url(demarche, "motif"))
    assert (
        'value="vol" dsfr="dsfr" id="id_motif_1" required checked' in page.text.replace("\n", " ")
        or "checked" in page.text
    )
    # Change one answer, the others stay.
    post(
        client,
        demarche,
        "etat_civil",
        {**ETAT_CIVIL, "prenoms": ["Pierre", "Jean"], "nom_usage": "Racine"},
    )
    demarche.refresh_from_db()
    assert demarche.answers["etat_civil"]["nom_usage"] == "RACINE"
    assert demarche.answers["adresse"]["commune"] == "Nancy"
    assert demarche.answers["motif"]["motif"] == "vol"
    # The récapitulatif shows first names and dates as typed.
    page = client.get(step_url(demarche, "recapitulatif"))
    assert "Pierre, Jean" in page.text and "01/01/1956" in page.text


# --- Adresse ---------------------------------------------------------------------


def test_postal_code_commune_mismatch(client, citizen):
    from .wizard_helpers import ADRESSE

    demarche = start(client)
    post(client, demarche, "motif", {"motif": "vol"})
    response = post(
        client, demarche, "adresse", {**ADRESSE, "code_postal": "75011", "commune": "Nancy"}
    )
    assert response.status_code == 200
    assert "La commune « Nancy » ne correspond pas au code postal 75011." in response.text
    response = post(client, demarche, "adresse", {**ADRESSE, "code_postal": "5400"})
    assert "Le code postal doit comporter 5 chiffres." in response.text
    response = post(client, demarche, "adresse", {**ADRESSE, "mobile": "01 02"})
    assert "Saisissez un numéro de téléphone portable valide" in response.text
    # Accents and case do not matter; the prefecture defaults to the département's.
    response = post(client, demarche, "adresse", {**ADRESSE, "commune": "NANCY"})
    assert response.status_code == 302
    demarche.refresh_from_db()
    assert demarche.answers["adresse"]["commune"] == "Nancy"
    assert demarche.answers["adresse"]["prefecture"] == "54"
    assert demarche.answers["adresse"]["mobile"] == "+33612345678"
    page = client.get(step_url(demarche, "adresse"))
    assert 'data-communes-url="/permis/communes/"' in page.text and "permis/communes" in page.text


def test_authority_follows_the_prefecture(client, citizen, django_capture_on_commit_callbacks):
    from titres.permis.demo import load_authorities

    load_authorities()
    demarche = start(client)
    fill_until_documents(client, demarche, "expiration")
    for code in ["domicile", "identite"]:
        upload(client, demarche, code)
    submit(client, demarche)
    demarche.refresh_from_db()
    assert demarche.authority.code == "543"

    other = start(client)
    fill_until_documents(
        client, other, "expiration", adresse={"code_postal": "13001", "commune": "Marseille"}
    )
    for code in ["domicile", "identite"]:
        upload(client, other, code)
    submit(client, other)
    other.refresh_from_db()
    assert other.authority.code == "CERT-PC"


# --- Frozen file -------------------------------------------------------------------


def test_a_submitted_file_is_frozen(client, citizen):
    from titres.procedures import services
    from titres.procedures.services import NotEditable

    demarche = start(client)
    fill_until_documents(client, demarche, "expiration")
    for code in ["domicile", "identite"]:
        upload(client, demarche, code)
    submit(client, demarche)
    demarche.refresh_from_db()
    before = dict(demarche.answers)
    response = post(client, demarche, "motif", {"motif": "vol"})
    assert response.url == reverse("procedures:detail", args=[demarche.number])
    with pytest.raises(NotEditable):
        services.save_step(
            demarche=demarche, step_slug="motif", answers={"motif": "vol"}, actor=citizen
        )
    # Submitting again only shows the confirmation.
    assert submit(client, demarche).url == reverse(
        "permis:request_confirmation", args=[demarche.number]
    )
    demarche.refresh_from_db()
    assert demarche.answers == before and demarche.status == Status.EN_COURS


# --- SNPC ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "trait,reason",
    [
        ("suspended", "fait l’objet d’une suspension en cours d’exécution jusqu’au"),
        ("cancelled", "Votre permis de conduire a été annulé : il ne peut pas être renouvelé."),
    ],
)
def test_suspended_or_cancelled_licence_refused_at_summary(client, citizen, trait, reason):
    record = LicenceRecordFactory(**{trait: True})
    demarche = start(client)
    photo = fill_until_documents(client, demarche, "expiration", etat_civil={"neph": record.neph})
    for code in ["domicile", "identite"]:
        upload(client, demarche, code)
    response = submit(client, demarche)
    assert response.status_code == 400
    assert reason in response.text
    demarche.refresh_from_db()
    assert demarche.status == Status.BROUILLON
    photo.refresh_from_db()
    assert photo.used_at is None
    assert not LicenceRequest.objects.filter(demarche=demarche).exists()


def test_mismatch_with_the_national_file_is_flagged(client, citizen):
    record = LicenceRecordFactory(birth_name="CORNEILLE", first_names="Thomas")
    demarche = start(client)
    fill_until_documents(client, demarche, "expiration", etat_civil={"neph": record.neph})
    for code in ["domicile", "identite"]:
        upload(client, demarche, code)
    assert submit(client, demarche).status_code == 302
    demarche.refresh_from_db()
    snpc = demarche.answers["_snpc"]
    assert snpc["method"] == "neph" and snpc["neph"] == record.neph and snpc["exact"] is False
    assert [d["field"] for d in snpc["differences"]] == ["first_names"]
    request = LicenceRequest.objects.get(demarche=demarche)
    assert request.needs_review and request.record == record and request.match_method == "neph"


def test_unknown_holder_is_flagged_not_refused(client, citizen):
    demarche = start(client)
    fill_until_documents(client, demarche, "expiration", etat_civil={"nom_naissance": "Inconnu"})
    for code in ["domicile", "identite"]:
        upload(client, demarche, code)
    assert submit(client, demarche).status_code == 302
    request = LicenceRequest.objects.get(demarche=demarche)
    assert request.record is None and request.needs_review and request.match_method == "aucune"
