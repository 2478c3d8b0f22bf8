"""Extension de catégorie (issue 19): a category added to an existing licence
after its exam — the SNPC check, the prerequisites, who may file, and the
category written in the SNPC when the new card is made."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.instruction.factories import AgentMembershipFactory
from tests.procedures.factories import AuthorityFactory
from titres.core.models import AuditEvent
from titres.instruction import services as instruction
from titres.permis import exams
from titres.permis.extension import CODE, check_extension
from titres.permis.models import LicenceRequest
from titres.procedures.enums import Status
from titres.procedures.models import Demarche

from .factories import (
    EPhotoFactory,
    LicenceCategoryFactory,
    LicenceHolderLinkFactory,
    LicenceRecordFactory,
    LicenceTitleFactory,
    UserFactory,
)
from .inscription_helpers import upload_all
from .wizard_helpers import ADRESSE, post, step_url, submit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _no_clamav(settings):
    settings.CLAMAV_URL = ""


@pytest.fixture
def agent():
    authority = AuthorityFactory(code="543", departements=["54"])
    user = AgentMembershipFactory(authority=authority).user
    user.is_verified = lambda: True
    return user


@pytest.fixture
def record():
    """Pierre Corneille's licence: B since 1974, a valid card."""
    record = LicenceRecordFactory()
    LicenceCategoryFactory(record=record, category="B", obtained_on=date(1974, 6, 12))
    LicenceTitleFactory(record=record)
    return record


@pytest.fixture
def holder(client, record):
    user = UserFactory(email="pierre.corneille@example.fr")
    LicenceHolderLinkFactory(user=user, record=record)
    client.force_login(user)
    return user


def _passed(record, category, *, days_ago=10):
    exams.record_theory_test(
        record=record, taken_on=TODAY() - timedelta(days=days_ago + 30), passed=True, centre="Nancy"
    )
    return exams.record_practical_test(
        record=record,
        category=category,
        taken_on=TODAY() - timedelta(days=days_ago),
        passed=True,
        centre="Centre d’examen de Nancy-Laxou",
    )


def _start(client):
    response = client.post(reverse("procedures:start", args=[CODE]))
    assert response.status_code == 302
    demarche = Demarche.objects.filter(procedure_code=CODE).latest("created_at")
    assert response.url == step_url(demarche, "permis")
    return demarche


def _permis(client, demarche, record, categories, birth="01/01/1956"):
    return post(
        client,
        demarche,
        "permis",
        {"neph": record.neph, "date_naissance": birth, "categories": categories},
    )


def _file(client, record, categories):
    demarche = _start(client)
    response = _permis(client, demarche, record, categories)
    assert response.status_code == 302, response.context["form"].errors
    assert post(client, demarche, "adresse", ADRESSE).status_code == 302
    photo = EPhotoFactory()
    response = post(client, demarche, "photo", {"mode_photo": "ephoto", "code_ephoto": photo.code})
    assert response.status_code == 302, response.context["form"].errors
    upload_all(client, demarche)
    return demarche


def test_holder_extends_to_be_and_the_card_brings_it_into_the_snpc(
    client, holder, record, agent, django_capture_on_commit_callbacks
):
    test = _passed(record, "BE")
    demarche = _file(client, record, ["BE"])
    page = client.get(step_url(demarche, "recapitulatif"))
    assert f"CEPC n° {test.cepc_number}" in page.text
    assert submit(client, demarche).status_code == 302
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    request = LicenceRequest.objects.get(demarche=demarche)
    assert (request.motif, request.record, request.categories) == ("extension", record, ["BE"])
    assert demarche.answers["etat_civil"]["nom_naissance"] == "CORNEILLE"
    # Identity and address, no medical opinion for BE, no mandate.
    assert sorted(demarche.documents.values_list("code", flat=True)) == ["domicile", "identite"]

    demarche.authority = agent.agent_memberships.get().authority
    demarche.save(update_fields=["authority"])
    with django_capture_on_commit_callbacks(execute=True):
        instruction.validate(demarche=demarche, agent=agent)
        instruction.transmit(demarche=demarche, agent=agent)
    demarche.refresh_from_db()
    assert demarche.status == Status.TERMINEE
    added = record.categories.get(category="BE")
    assert added.obtained_on == test.taken_on and added.valid_until is None
    assert record.titles.filter(status="valide").count() == 1
    assert record.titles.filter(status="remplace").count() == 1
    event = AuditEvent.objects.get(event="permis.categories_added")
    assert event.data["categories"] == ["BE"]

    page = client.get(reverse("permis:record", args=[record.neph]))
    assert "BE" in page.text and test.taken_on.strftime("%d/%m/%Y") in page.text


def test_no_passed_exam_is_refused_with_the_reason(client, holder, record):
    demarche = _start(client)
    response = _permis(client, demarche, record, ["A2"])
    assert response.status_code == 200
    assert (
        "Aucune réussite à l’épreuve pratique de la catégorie A2 n’est enregistrée dans le "
        "fichier national pour ce dossier." in response.text
    )


def test_expired_cepc_is_refused(client, holder, record):
    test = _passed(record, "A2", days_ago=200)
    response = _permis(client, _start(client), record, ["A2"])
    assert (
        f"Le certificat d’examen (CEPC) n° {test.cepc_number} du "
        f"{test.taken_on:%d/%m/%Y} n’est plus valable depuis le "
        f"{test.cepc_valid_until:%d/%m/%Y} : adressez-vous à la préfecture." in response.text
    )


def test_missing_prerequisite_is_refused(client, holder, record):
    _passed(record, "C1E")
    response = _permis(client, _start(client), record, ["C1E"])
    assert (
        "La catégorie C1E suppose d’être déjà titulaire de la catégorie C1 : demandez "
        "d’abord la catégorie C1." in response.text
    )


def test_prerequisite_passed_in_the_same_request_counts():
    record = LicenceRecordFactory()
    LicenceCategoryFactory(record=record, category="B", obtained_on=date(1974, 6, 12))
    _passed(record, "C1")
    _passed(record, "C1E")
    assert check_extension(record, ["C1", "C1E"]).ok
    assert not check_extension(record, ["C1E"]).ok


def test_a_held_for_two_years_rule():
    record = LicenceRecordFactory(birth_date=date(2000, 1, 1))
    LicenceCategoryFactory(record=record, category="A2", obtained_on=TODAY() - timedelta(days=400))
    _passed(record, "A")
    since = record.categories.get().obtained_on
    assert check_extension(record, ["A"]).errors == [
        "La catégorie A suppose d’être titulaire de la catégorie A2 depuis 2 ans : possible "
        f"à partir du {since.replace(year=since.year + 2):%d/%m/%Y}."
    ]


def test_category_already_held_and_licence_suspended():
    record = LicenceRecordFactory(suspended=True)
    LicenceCategoryFactory(record=record, category="B")
    assert "fait l’objet d’une suspension en cours" in check_extension(record, ["BE"]).errors[0]
    valid = LicenceRecordFactory()
    LicenceCategoryFactory(record=valid, category="B")
    assert check_extension(valid, ["B"]).errors == [
        "Le titulaire est déjà titulaire de la catégorie B."
    ]


def test_heavy_category_needs_the_medical_opinion(client, holder, record):
    _passed(record, "C1")
    demarche = _start(client)
    assert _permis(client, demarche, record, ["C1"]).status_code == 302
    demarche.refresh_from_db()
    from titres.procedures.documents import rules_for

    assert [r.code for r in rules_for(demarche)] == ["identite", "domicile", "avis_medical"]


def test_someone_elses_licence_reads_as_unknown(client, record):
    _passed(record, "BE")
    client.force_login(UserFactory())
    response = _permis(client, _start(client), record, ["BE"])
    assert "Aucun dossier ne correspond à ce numéro et à cette date de naissance." in response.text


def test_school_files_with_the_holders_mandate(client, record):
    _passed(record, "BE")
    school = UserFactory(profile="auto_ecole")
    client.force_login(school)
    demarche = _start(client)
    assert _permis(client, demarche, record, ["BE"]).status_code == 302
    demarche.refresh_from_db()
    assert demarche.acting_for["nom_naissance"] == "CORNEILLE"
    from titres.procedures.documents import rules_for

    assert "mandat" in [r.code for r in rules_for(demarche)]
    # A wrong birth date is the same "unknown" as a wrong number.
    response = _permis(client, _start(client), record, ["BE"], birth="02/01/1956")
    assert "Aucun dossier ne correspond à ce numéro et à cette date de naissance." in response.text


def test_one_extension_at_a_time(client, holder, record):
    _passed(record, "BE")
    first = _file(client, record, ["BE"])
    assert submit(client, first).status_code == 302
    response = _permis(client, _start(client), record, ["BE"])
    assert (
        f"Une demande d’extension est déjà en cours pour ce permis (n° {first.display_number})."
        in response.text
    )


@pytest.mark.parametrize("profile", ["centre_sensibilisation", "pro_siv", "personne_morale"])
def test_other_profiles_cannot_start_it(client, profile):
    client.force_login(UserFactory(profile=profile))
    response = client.post(reverse("procedures:start", args=[CODE]))
    assert response.url == reverse("procedures:new")
    assert not Demarche.objects.filter(procedure_code=CODE).exists()
