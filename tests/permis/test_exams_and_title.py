"""Exam results in the SNPC and the demande de fabrication du titre (issue
19): ETG valid five years, practical test per category with its CEPC,
the title produced makes the file valid with its probationary points."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.instruction.factories import AgentMembershipFactory
from tests.procedures.factories import AuthorityFactory
from titres.core.models import AuditEvent
from titres.instruction import services as instruction
from titres.permis import exams
from titres.permis.enums import LicenceState
from titres.permis.inscription.fabrication import CODE
from titres.permis.models import LicenceRequest, add_years
from titres.procedures.enums import Status
from titres.procedures.models import Demarche

from .factories import LicenceRecordFactory, UserFactory
from .inscription_helpers import CANDIDATE_ADRESSE, file_inscription
from .wizard_helpers import post, step_url, submit

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
def school(client):
    user = UserFactory(profile="auto_ecole", email="contact@ecole-du-centre.fr")
    client.force_login(user)
    return user


def _registered(client, agent, **kwargs):
    """An inscription filed by the signed-in account and validated: the
    candidate's file "en formation"."""
    demarche = file_inscription(client, **kwargs)
    demarche.authority = agent.agent_memberships.get().authority
    demarche.save(update_fields=["authority"])
    instruction.validate(demarche=demarche, agent=agent)
    return LicenceRequest.objects.get(demarche=demarche).record


def _passed(record, *, days_ago=10, category="B"):
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


# --- Exam results -----------------------------------------------------------------


def test_theory_test_valid_five_years():
    record = LicenceRecordFactory(state=LicenceState.EN_FORMATION, points_balance=0)
    test = exams.record_theory_test(
        record=record, taken_on=date(2022, 3, 1), passed=True, centre="La Poste Nancy"
    )
    assert test.valid_until == date(2027, 3, 1)
    failed = exams.record_theory_test(
        record=record, taken_on=date(2022, 2, 1), passed=False, centre="La Poste Nancy"
    )
    assert failed.valid_until is None
    assert exams.valid_theory_test(record, date(2027, 3, 1)) == test
    assert exams.valid_theory_test(record, date(2027, 3, 2)) is None
    assert AuditEvent.objects.filter(event="permis.exam_recorded").count() == 2


def test_practical_test_needs_a_valid_theory_test():
    record = LicenceRecordFactory(state=LicenceState.EN_FORMATION, points_balance=0)
    with pytest.raises(ValidationError) as error:
        exams.record_practical_test(
            record=record, category="B", taken_on=date(2024, 5, 2), passed=True, centre="Nancy"
        )
    assert error.value.messages == [
        "Aucune épreuve théorique générale (code) réussie et valable le 02/05/2024 : "
        "l’épreuve pratique ne peut pas être enregistrée."
    ]
    exams.record_theory_test(record=record, taken_on=date(2019, 5, 2), passed=True, centre="N")
    # Five years to the day: still valid; the next day, not.
    exams.record_practical_test(
        record=record, category="B", taken_on=date(2024, 5, 2), passed=False, centre="Nancy"
    )
    with pytest.raises(ValidationError):
        exams.record_practical_test(
            record=record, category="B", taken_on=date(2024, 5, 3), passed=True, centre="Nancy"
        )


@pytest.mark.parametrize(
    ("taken", "until"),
    [(date(2025, 1, 10), date(2025, 5, 10)), (date(2025, 10, 31), date(2026, 2, 28))],
)
def test_cepc_valid_four_months(taken, until):
    assert exams.cepc_valid_until(taken) == until


def test_pass_gives_a_cepc():
    record = LicenceRecordFactory(state=LicenceState.EN_FORMATION, points_balance=0)
    test = _passed(record)
    assert test.cepc_number.startswith("CEPC") and test.cepc_valid_until > TODAY()


def test_check_for_title_refusals():
    assert not exams.check_for_title(None).ok
    valid = LicenceRecordFactory()
    assert "n’est pas celui d’un candidat en formation (état : Valide)" in (
        exams.check_for_title(valid).error
    )
    record = LicenceRecordFactory(state=LicenceState.EN_FORMATION, points_balance=0)
    assert exams.check_for_title(record).error == (
        "Aucune réussite à l’épreuve pratique n’est enregistrée dans le fichier national pour "
        "ce dossier."
    )
    test = _passed(record, days_ago=200)
    error = exams.check_for_title(record).error
    assert f"Le certificat d’examen (CEPC) n° {test.cepc_number}" in error
    assert "n’est plus valable depuis le" in error


# --- Demande de fabrication du titre ---------------------------------------------------


def _request_title(client, record, birth="14/05/2007"):
    response = client.post(reverse("procedures:start", args=[CODE]))
    assert response.status_code == 302
    demarche = Demarche.objects.filter(procedure_code=CODE).latest("created_at")
    response = post(client, demarche, "permis", {"neph": record.neph, "date_naissance": birth})
    return demarche, response


def test_school_requests_the_title_then_production_makes_the_licence_valid(
    client, school, agent, django_capture_on_commit_callbacks
):
    record = _registered(client, agent)
    test = _passed(record)
    demarche, response = _request_title(client, record)
    assert response.status_code == 302, response.context["form"].errors
    assert post(client, demarche, "adresse", CANDIDATE_ADRESSE).status_code == 302
    page = client.get(step_url(demarche, "recapitulatif"))
    assert f"CEPC n° {test.cepc_number}" in page.text
    assert submit(client, demarche).status_code == 302
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    request = LicenceRequest.objects.get(demarche=demarche)
    assert request.record == record and request.match["cepc"][0]["numero"] == test.cepc_number
    assert demarche.answers["etat_civil"]["nom_naissance"] == "LEFORT"

    demarche.authority = agent.agent_memberships.get().authority
    demarche.save(update_fields=["authority"])
    with django_capture_on_commit_callbacks(execute=True):
        instruction.validate(demarche=demarche, agent=agent)
        instruction.transmit(demarche=demarche, agent=agent)
    record.refresh_from_db()
    assert (record.state, record.points_balance) == (LicenceState.VALIDE, 6)
    assert record.probation_start == TODAY() and record.probation_aac is False
    category = record.categories.get()
    assert (category.category, category.obtained_on) == ("B", test.taken_on)
    assert record.current_title is not None
    demarche.refresh_from_db()
    assert demarche.status == Status.TERMINEE
    assert AuditEvent.objects.filter(event="permis.licence_issued").exists()


def test_another_school_cannot_request_the_title(client, school, agent):
    record = _registered(client, agent)
    _passed(record)
    client.force_login(UserFactory(profile="auto_ecole"))
    demarche, response = _request_title(client, record)
    assert response.status_code == 200
    assert "Aucun dossier ne correspond à ce numéro et à cette date de naissance." in response.text


def test_wrong_birth_date_reads_as_unknown(client, school, agent):
    record = _registered(client, agent)
    _passed(record)
    demarche, response = _request_title(client, record, birth="15/05/2007")
    assert "Aucun dossier ne correspond à ce numéro et à cette date de naissance." in response.text


def test_no_pass_yet_is_refused(client, school, agent):
    record = _registered(client, agent)
    demarche, response = _request_title(client, record)
    assert "Aucune réussite à l’épreuve pratique" in response.text


def test_one_request_at_a_time(client, school, agent):
    record = _registered(client, agent)
    _passed(record)
    first, _ = _request_title(client, record)
    post(client, first, "adresse", CANDIDATE_ADRESSE)
    assert submit(client, first).status_code == 302
    second, response = _request_title(client, record)
    assert (
        f"Une demande de fabrication du titre est déjà en cours pour ce dossier (n° "
        f"{first.display_number})." in response.text
    )


def test_candidate_alone_with_aac_gets_two_years_of_probation(
    client, agent, django_capture_on_commit_callbacks
):
    candidate = UserFactory(email="camille.lefort@example.fr")
    client.force_login(candidate)
    record = _registered(client, agent, aac=True)
    _passed(record)
    demarche, response = _request_title(client, record)
    assert response.status_code == 302
    post(client, demarche, "adresse", CANDIDATE_ADRESSE)
    submit(client, demarche)
    demarche.refresh_from_db()
    demarche.authority = agent.agent_memberships.get().authority
    demarche.save(update_fields=["authority"])
    with django_capture_on_commit_callbacks(execute=True):
        instruction.validate(demarche=demarche, agent=agent)
        instruction.transmit(demarche=demarche, agent=agent)
    record.refresh_from_db()
    assert record.probation_aac is True and record.points_balance == 6


@pytest.mark.parametrize(
    ("aac", "years", "ceiling"),
    [(False, 0, 6), (False, 1, 8), (False, 2, 10), (False, 3, 12), (True, 1, 9), (True, 2, 12)],
)
def test_probationary_ceiling(aac, years, ceiling):
    record = LicenceRecordFactory(probation_start=date(2020, 6, 1), probation_aac=aac)
    assert record.points_ceiling(add_years(date(2020, 6, 1), years)) == ceiling
    assert record.points_ceiling(add_years(date(2020, 6, 1), years) - timedelta(days=1)) <= ceiling


def test_full_licence_ceiling_is_12():
    assert LicenceRecordFactory().points_ceiling(date(2025, 1, 1)) == 12


@pytest.mark.parametrize("profile", ["centre_sensibilisation", "pro_siv", "personne_morale"])
def test_other_profiles_cannot_request_a_title(client, profile):
    client.force_login(UserFactory(profile=profile))
    response = client.post(reverse("procedures:start", args=[CODE]))
    assert response.url == reverse("procedures:new")
