import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from titres.instruction import demo, stats
from titres.instruction.enums import AgentRole
from titres.instruction.models import AgentMembership, Assignment
from titres.procedures.enums import Role, Status
from titres.procedures.models import StatusChange

from .factories import PermisDemarcheFactory

pytestmark = pytest.mark.django_db


# --- Attestation provisoire ---


def test_attestation_pdf_for_a_validated_licence_request(authority):
    demarche = PermisDemarcheFactory(validated=True, authority=authority)
    client = Client()
    client.force_login(demarche.owner)
    response = client.get(reverse("instruction_public:attestation", args=[demarche.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Attestation provisoire de droits à conduire" in text
    assert "CORNEILLE" in text
    until = (timezone.localdate(demarche.decided_at) + timedelta(days=120)).strftime("%d/%m/%Y")
    assert until in text


def test_attestation_refused_before_validation_and_to_others(authority):
    pending = PermisDemarcheFactory(submitted=True, authority=authority)
    validated = PermisDemarcheFactory(validated=True, authority=authority)
    client = Client()
    client.force_login(pending.owner)
    assert (
        client.get(reverse("instruction_public:attestation", args=[pending.number])).status_code
        == 404
    )
    assert (
        client.get(reverse("instruction_public:attestation", args=[validated.number])).status_code
        == 404
    )


def test_attestation_linked_from_the_citizen_file_page(authority):
    validated = PermisDemarcheFactory(validated=True, authority=authority)
    pending = PermisDemarcheFactory(submitted=True, authority=authority, owner=validated.owner)
    client = Client()
    client.force_login(validated.owner)
    url = reverse("instruction_public:attestation", args=[validated.number])
    page = client.get(reverse("procedures:detail", args=[validated.number]))
    assert f'href="{url}" download>Attestation provisoire de droits à conduire' in page.text
    page = client.get(reverse("procedures:detail", args=[pending.number]))
    assert "Attestation provisoire de droits à conduire" not in page.text
    # Only the owner is offered the link (the provider checks the user).
    from titres.instruction.attestation import file_links

    from .factories import UserFactory

    assert file_links(validated, validated.owner)[0].url == url
    assert file_links(validated, UserFactory()) == []


# --- Statistics ---------------------------------------------------------------------


def _change(demarche, event, to_status, agent):
    StatusChange.objects.create(
        demarche=demarche,
        from_status=Status.EN_COURS,
        to_status=to_status,
        event=event,
        label=event,
        actor=agent,
        actor_role=Role.AGENT_INSTRUCTEUR,
    )


def test_statistics_numbers(authority, agent):
    now = timezone.now()
    a = PermisDemarcheFactory(
        validated=True, authority=authority, submitted_at=now - timedelta(days=4), decided_at=now
    )
    b = PermisDemarcheFactory(
        rejected=True, authority=authority, submitted_at=now - timedelta(days=2), decided_at=now
    )
    c = PermisDemarcheFactory(awaiting=True, authority=authority, submitted_at=now)
    d = PermisDemarcheFactory(submitted=True, authority=authority)
    _change(a, "valider", Status.VALIDEE, agent)
    _change(b, "rejeter", Status.REJETEE, agent)
    _change(c, "demander_complement", Status.EN_ATTENTE_USAGER, agent)
    Assignment.objects.create(demarche=c, agent=agent, assigned_by=agent)
    data = stats.compute(authority)
    this_week = data.weeks[-1]
    total_received = sum(w.received for w in data.weeks)
    assert total_received == 4
    assert (this_week.validated, this_week.rejected, this_week.suspended) == (1, 1, 1)
    assert data.median_days == 3.0 and data.decisions == 2
    assert data.backlog == [(agent.username, 1)]
    assert data.unassigned == 2  # a (validated) and d
    assert d


def test_statistics_page_and_csv_for_the_chef(chef_client, agent_client, authority):
    PermisDemarcheFactory(submitted=True, authority=authority)
    url = reverse("instruction:statistics", args=["543"])
    page = chef_client.get(url).content.decode()
    assert "<svg" in page and "Activité par semaine" in page
    rows = list(
        csv.reader(
            io.StringIO(chef_client.get(url + "?format=csv").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[0] == ["Semaine", "Reçues", "Validées", "Rejetées", "Suspendues"]
    assert sum(int(r[1]) for r in rows[1:9]) == 1
    assert agent_client.get(url).status_code == 403


# --- Demo -----------------------------------------------------------------------------


def test_demo_is_idempotent_and_gives_totp_and_backup_code(db):
    first = demo.load()
    second = demo.load()
    assert [c.identifier for c in first] == [c.identifier for c in second]
    assert AgentMembership.objects.filter(authority__code="543").count() == 3
    assert demo.TOTP_SECRET in first[0].note and demo.BACKUP_CODE in first[0].note
    client = Client()
    assert client.post(
        reverse("instruction:login"), {"username": "agent.instructeur", "password": demo.PASSWORD}
    ).url == reverse("instruction:otp_verify")
    assert (
        client.post(reverse("instruction:otp_verify"), {"token": demo.BACKUP_CODE}).status_code
        == 302
    )
    assert client.get(reverse("instruction:worklist", args=["543"])).status_code == 200


def test_demo_has_an_agent_of_the_id_titles_cert(db):
    """Files recorded at a town hall's counter go to CERT-TES: the demo
    gives an agent there, printed by `make run`, who reaches its work list."""
    credentials = {c.identifier: c for c in demo.load()}
    agent = credentials["agent.cert-tes"]
    assert "CERT-TES" in agent.role and demo.TOTP_SECRET in agent.note
    membership = AgentMembership.objects.get(user__username="agent.cert-tes")
    assert membership.authority.code == "CERT-TES"
    assert membership.role == AgentRole.AGENT_INSTRUCTEUR
    client = Client()
    client.post(
        reverse("instruction:login"), {"username": "agent.cert-tes", "password": demo.PASSWORD}
    )
    client.post(reverse("instruction:otp_verify"), {"token": demo.BACKUP_CODE})
    assert client.get(reverse("instruction:worklist", args=["CERT-TES"])).status_code == 200
    assert client.get(reverse("instruction:worklist", args=["543"])).status_code == 404
