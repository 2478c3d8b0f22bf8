"""Inscription au permis de conduire (issue 19): the wizard for a driving
school and a candidate alone, the documents each case needs, the
prefecture's validation that attributes the NEPH, the attestation."""

import pytest
from django.urls import reverse

from tests.instruction.factories import AgentMembershipFactory
from tests.procedures.factories import AuthorityFactory
from titres.core.models import AuditEvent
from titres.instruction import services as instruction
from titres.permis.enums import LicenceState
from titres.permis.identifiers import neph_is_valid
from titres.permis.inscription.procedure import CODE
from titres.permis.models import LicenceRecord, LicenceRequest
from titres.procedures.enums import Status
from titres.procedures.workflow import TransitionRefused

from .factories import LicenceRecordFactory, UserFactory
from .inscription_helpers import birth, file_inscription, fill, start
from .wizard_helpers import post, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_clamav(settings):
    settings.CLAMAV_URL = ""


@pytest.fixture
def school(client):
    user = UserFactory(
        profile="auto_ecole",
        email="contact@ecole-du-centre.fr",
        organisation_name="École de conduite du Centre",
        approval_number="E 054 0001 0",
    )
    client.force_login(user)
    return user


@pytest.fixture
def candidate(client):
    user = UserFactory(email="camille.lefort@example.fr")
    client.force_login(user)
    return user


@pytest.fixture
def agent():
    authority = AuthorityFactory(code="543", departements=["54"])
    membership = AgentMembershipFactory(authority=authority)
    user = membership.user
    user.is_verified = lambda: True
    return user


def test_steps_reuse_the_licence_request_and_add_categories(client, school):
    demarche = start(client)
    page = client.get(step_url(demarche, "etat_civil"))
    assert "Étape 1 sur 7" in page.text
    assert "NEPH" not in page.text  # a first licence has none yet
    fill(client, demarche)
    page = client.get(step_url(demarche, "categories"))
    assert "Étape 3 sur 7" in page.text
    assert "Voiture (B)" in page.text and "décret n° 2023-1258" in page.text


def test_category_refused_with_the_age_and_the_date(client, school):
    demarche = start(client)
    fill(client, demarche)
    young = birth(16, days=-1)  # 17 in 364 days at most
    assert post(client, demarche, "etat_civil", {
        "nom_naissance": "Petit", "sexe": "M", "prenoms": ["Léo"], "date_naissance": young,
        "lieu_naissance": "france", "commune_naissance": "Nancy", "departement_naissance": "54",
    }).status_code == 302  # fmt: skip
    response = post(client, demarche, "categories", {"categories": ["B"]})
    assert response.status_code == 200
    assert "La catégorie B est ouverte à partir de 17 ans : le candidat aura cet âge le" in (
        response.text
    )
    # With accompanied driving (AAC) from 15 the same candidate may register.
    response = post(client, demarche, "categories", {"categories": ["B"], "aac": "on"})
    assert response.status_code == 302


def test_prerequisite_and_aac_messages(client, school):
    demarche = start(client)
    fill(client, demarche)
    response = post(client, demarche, "categories", {"categories": ["BE"]})
    assert "La catégorie BE suppose d’être déjà titulaire de la catégorie B" in response.text
    response = post(client, demarche, "categories", {"categories": ["A2"], "aac": "on"})
    assert "L’apprentissage anticipé de la conduite concerne la catégorie B." in response.text
    response = post(client, demarche, "categories", {})
    assert "Choisissez au moins une catégorie." in response.text


def test_school_needs_the_mandate_candidate_alone_does_not(client, school):
    from titres.procedures.documents import rules_for

    demarche = start(client)
    fill(client, demarche)
    demarche.refresh_from_db()
    assert [r.code for r in rules_for(demarche)] == [
        "identite",
        "domicile",
        "assr",
        "jdc",
        "mandat",
    ]
    alone = UserFactory()
    client.force_login(alone)
    demarche = start(client)
    fill(client, demarche, etat_civil={"date_naissance": "01/01/1985"}, categories=["B", "A2"])
    demarche.refresh_from_db()
    # Born before 1988 (no ASSR), over 25 (no JDC), no heavy category (the
    # medical opinion comes with an extension to C1, C, D…: they require B).
    assert [r.code for r in rules_for(demarche)] == ["identite", "domicile"]


def test_missing_mandate_blocks_the_submission(client, school):
    from .wizard_helpers import submit, upload

    demarche = start(client)
    fill(client, demarche)
    for code in ["identite", "domicile", "assr", "jdc"]:
        upload(client, demarche, code)
    response = submit(client, demarche)
    assert response.status_code == 400
    assert "« Mandat du candidat à l’école de conduite » : pièce obligatoire manquante." in (
        response.text
    )


def test_school_files_for_its_candidate(client, school):
    demarche = file_inscription(client)
    assert demarche.status == Status.EN_COURS
    assert demarche.acting_for["nom_naissance"] == "LEFORT"
    request = LicenceRequest.objects.get(demarche=demarche)
    assert (request.motif, request.categories, request.needs_review) == (
        "inscription",
        ["B"],
        False,
    )
    assert request.ephoto.used_reference == demarche.number
    page = client.get(reverse("permis:request_confirmation", args=[demarche.number]))
    assert "Votre pré-demande n°" in page.text
    receipt = client.get(reverse("permis:request_receipt", args=[demarche.number]))
    assert receipt["Content-Type"] == "application/pdf"
    # The school's list shows the inscription.
    assert demarche.display_number in client.get(reverse("permis:candidates")).text


def test_known_candidate_is_flagged_for_the_agent(client, candidate):
    LicenceRecordFactory(
        birth_name="LEFORT", first_names="Camille", sex="F", birth_date="2007-05-14"
    )
    demarche = file_inscription(client)
    assert LicenceRequest.objects.get(demarche=demarche).needs_review is True


@pytest.mark.parametrize("profile", ["centre_sensibilisation", "pro_siv", "mairie"])
def test_other_profiles_cannot_start(client, profile):
    client.force_login(UserFactory(profile=profile))
    response = client.post(reverse("procedures:start", args=[CODE]))
    assert response.status_code == 302
    assert response.url == reverse("procedures:new")
    assert not LicenceRequest.objects.exists()


def test_validation_attributes_the_neph(
    client, school, agent, mailoutbox, django_capture_on_commit_callbacks
):
    demarche = file_inscription(client)
    demarche.authority = agent.agent_memberships.get().authority
    demarche.save(update_fields=["authority"])
    with django_capture_on_commit_callbacks(execute=True):
        instruction.validate(demarche=demarche, agent=agent)
    demarche.refresh_from_db()
    assert demarche.status == Status.VALIDEE
    request = LicenceRequest.objects.get(demarche=demarche)
    record = request.record
    assert request.neph_attributed_at is not None
    assert neph_is_valid(record.neph) and record.neph[2:4] == "54"
    assert (record.state, record.points_balance) == (LicenceState.EN_FORMATION, 0)
    assert (record.birth_name, record.first_names, str(record.birth_date)) == (
        "LEFORT",
        "Camille",
        "2007-05-14",
    )
    assert demarche.answers["neph"] == record.neph
    event = AuditEvent.objects.get(event="permis.neph_attributed")
    assert event.data["neph"] == record.neph and event.data["ecole"] == school.pk
    recipients = sorted(
        m.to[0] for m in mailoutbox if "NEPH" in m.subject or "validée" in m.subject
    )
    assert "contact@ecole-du-centre.fr" in recipients
    assert "camille.lefort@example.fr" in recipients
    school_mail = next(
        m for m in mailoutbox if m.to == ["contact@ecole-du-centre.fr"] and "NEPH" in m.subject
    )
    assert record.neph_display in school_mail.body
    # The attestation d'inscription, for the school that filed it only.
    url = reverse("permis:inscription_attestation", args=[demarche.number])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    detail = client.get(reverse("procedures:detail", args=[demarche.number]))
    assert "Attestation d’inscription au permis de conduire" in detail.text
    assert "Attestation provisoire de droits à conduire" not in detail.text
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_attestation_not_before_validation(client, school):
    demarche = file_inscription(client)
    url = reverse("permis:inscription_attestation", args=[demarche.number])
    assert client.get(url).status_code == 404


def test_neph_numbers_follow_each_other(client, school, agent):
    authority = agent.agent_memberships.get().authority
    nephs = []
    for _ in range(2):
        demarche = file_inscription(client)
        demarche.authority = authority
        demarche.save(update_fields=["authority"])
        instruction.validate(demarche=demarche, agent=agent)
        nephs.append(LicenceRequest.objects.get(demarche=demarche).record.neph)
    assert int(nephs[1][4:11]) == int(nephs[0][4:11]) + 1
    assert LicenceRecord.objects.filter(state=LicenceState.EN_FORMATION).count() == 2


def test_an_inscription_is_never_sent_to_production(client, school, agent):
    demarche = file_inscription(client)
    demarche.authority = agent.agent_memberships.get().authority
    demarche.save(update_fields=["authority"])
    instruction.validate(demarche=demarche, agent=agent)
    with pytest.raises(TransitionRefused, match="Une inscription ne donne pas lieu"):
        instruction.transmit(demarche=demarche, agent=agent)
    demarche.refresh_from_db()
    assert demarche.status == Status.VALIDEE
    assert not hasattr(demarche, "production_order") or demarche.production_order is None


def test_rejection_attributes_nothing(client, school, agent):
    demarche = file_inscription(client)
    demarche.authority = agent.agent_memberships.get().authority
    demarche.save(update_fields=["authority"])
    instruction.reject(demarche=demarche, agent=agent, reason="autre", text="Pièce illisible")
    assert LicenceRequest.objects.get(demarche=demarche).record is None
    assert not LicenceRecord.objects.filter(state=LicenceState.EN_FORMATION).exists()
