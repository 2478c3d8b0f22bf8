"""The back office's receiver of `message_posted`: the agent holding a file
is told by e-mail that the citizen wrote in it."""

import pytest
from django.urls import reverse

from titres.instruction.models import Assignment
from titres.procedures.enums import Role
from titres.procedures.services import post_message

from .factories import DemarcheFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_file(authority, make_agent):
    agent = make_agent(email="agent.martin@prefecture.example")
    demarche = DemarcheFactory(submitted=True, authority=authority)
    Assignment.objects.create(demarche=demarche, agent=agent, assigned_by=agent)
    return demarche, agent


def test_the_agent_holding_the_file_is_told_when_the_citizen_writes(
    held_file, mailoutbox, django_capture_on_commit_callbacks
):
    demarche, agent = held_file
    with django_capture_on_commit_callbacks(execute=True):
        post_message(demarche=demarche, author=demarche.owner, role=Role.USAGER, body="Voici.")
    [mail] = [m for m in mailoutbox if agent.email in m.to]
    assert (
        mail.subject
        == f"Titres : nouveau message de l’usager sur le dossier {demarche.display_number}"
    )
    assert reverse("instruction:detail", args=[demarche.number]) in mail.body
    assert "Voici." not in mail.body  # the message itself stays in the back office


def test_nobody_is_told_of_an_agents_own_message_or_an_unassigned_file(
    held_file, authority, make_agent, mailoutbox, django_capture_on_commit_callbacks
):
    demarche, agent = held_file
    unassigned = DemarcheFactory(submitted=True, authority=authority)
    agent.is_verified = lambda: True  # as OTPMiddleware marks a verified session
    with django_capture_on_commit_callbacks(execute=True):
        post_message(demarche=demarche, author=agent, role=Role.AGENT_INSTRUCTEUR, body="Bonjour.")
        post_message(demarche=unassigned, author=unassigned.owner, role=Role.USAGER, body="?")
    assert not [m for m in mailoutbox if agent.email in m.to]
