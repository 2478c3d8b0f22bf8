"""The agents' "Résultats d'examen" screen: only an agent holding
permis.record_exam_result, the candidate found by NEPH, each result written
through titres/permis/exams.py with its refusals."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.instruction.conftest import verified_client
from tests.instruction.factories import AgentMembershipFactory, AuthorityFactory
from titres.core.models import AuditEvent
from titres.permis import exams
from titres.permis.enums import LicenceState
from titres.permis.models import add_years

from .factories import LicenceRecordFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("permis:exam_results")


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _agent(*, allowed: bool):
    membership = AgentMembershipFactory(authority=AuthorityFactory(code="543"))
    user = membership.user
    TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    if allowed:
        user.user_permissions.add(Permission.objects.get(codename="record_exam_result"))
    return user


@pytest.fixture
def examiner_client():
    return verified_client(_agent(allowed=True))


@pytest.fixture
def candidate():
    return LicenceRecordFactory(
        state=LicenceState.EN_FORMATION, birth_name="LEFÈVRE", first_names="Camille"
    )


def _post(client, record, **data):
    values = {
        "neph": record.neph,
        "test": "etg",
        "taken_on": (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y"),
        "centre": "Centre d’examen de Nancy",
        "passed": "1",
        **data,
    }
    return client.post(URL, values, follow=True)


def test_an_agent_without_the_permission_is_refused_and_the_menu_hides_it(client):
    plain = verified_client(_agent(allowed=False))
    response = plain.get(URL)
    assert response.status_code == 403
    assert "réservée aux agents habilités" in response.content.decode()
    assert (
        'href="/permis/agent/resultats-examen/"'
        not in plain.get(reverse("instruction:worklist", args=["543"])).content.decode()
    )


def test_a_citizen_and_a_visitor_never_reach_it(client):
    citizen = UserFactory()
    client.force_login(citizen)
    assert client.get(URL).status_code == 403
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("instruction:login"))


def test_the_menu_offers_it_to_an_allowed_agent(examiner_client):
    page = examiner_client.get(reverse("instruction:worklist", args=["543"])).content.decode()
    assert 'href="/permis/agent/resultats-examen/"' in page and "Résultats d’examen" in page


def test_the_candidate_is_found_by_neph(examiner_client, candidate):
    page = examiner_client.get(URL, {"neph": candidate.neph_display}).content.decode()
    assert "LEFÈVRE" in page and "Camille" in page and "En formation" in page
    assert "Aucun résultat enregistré." in page
    assert "Enregistrer le résultat" in page


def test_an_unknown_or_malformed_neph_says_so(examiner_client):
    page = examiner_client.get(URL, {"neph": "123"}).content.decode()
    assert "Le numéro de dossier (NEPH) doit comporter 12 chiffres et être valide." in page
    other = LicenceRecordFactory.build().neph
    page = examiner_client.get(URL, {"neph": other}).content.decode()
    assert "Aucun dossier du fichier national ne porte ce numéro." in page
    assert "Enregistrer le résultat" not in page


def test_recording_the_theory_then_the_practical_test(examiner_client, candidate):
    response = _post(examiner_client, candidate)
    page = response.content.decode()
    yesterday = timezone.localdate() - timedelta(days=1)
    assert (
        f"Résultat enregistré pour Camille LEFÈVRE : Épreuve théorique générale (code) du "
        f"{yesterday:%d/%m/%Y}, réussite." in page
    )
    theory = candidate.theory_tests.get()
    assert theory.passed and theory.valid_until == add_years(yesterday, 5)
    _post(examiner_client, candidate, test="B", passed="1")
    practical = candidate.practical_tests.get()
    assert practical.category == "B" and practical.passed
    assert practical.cepc_number.startswith("CEPC")
    assert practical.cepc_valid_until == exams.cepc_valid_until(yesterday)
    events = AuditEvent.objects.filter(event="permis.exam_recorded").order_by("pk")
    assert [e.data["epreuve"] for e in events] == ["ETG", "pratique"]
    assert all(e.actor is not None for e in events)


def test_a_practical_test_without_a_valid_theory_test_is_refused(examiner_client, candidate):
    page = _post(examiner_client, candidate, test="B", passed="0").content.decode()
    day = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    assert (
        f"Aucune épreuve théorique générale (code) réussie et valable le {day} : "
        "l’épreuve pratique ne peut pas être enregistrée."
    ) in page
    assert not candidate.practical_tests.exists()
    # What was typed is kept.
    assert "Centre d’examen de Nancy" in page


def test_a_future_date_and_missing_fields_are_refused(examiner_client, candidate):
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    page = _post(examiner_client, candidate, taken_on=tomorrow).content.decode()
    assert "La date de l’épreuve ne peut pas être dans le futur." in page
    page = _post(examiner_client, candidate, centre="", passed="").content.decode()
    assert page.count("Ce champ est obligatoire.") >= 2
    assert not candidate.theory_tests.exists()


def test_the_demo_instructor_holds_the_permission():
    from titres.instruction import demo

    demo.load()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="agent.instructeur")
    assert user.has_perm("permis.record_exam_result")
    assert (
        not get_user_model()
        .objects.get(username="agent.lecture")
        .has_perm("permis.record_exam_result")
    )
