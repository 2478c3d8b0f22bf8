"""The right of access exports the citizen's démarches, their history,
messages and documents (metadata), never an agent's identity."""

import pytest

from titres.accounts.services.account import export_personal_data
from titres.procedures.enums import Role

from .factories import DemarcheFactory, DocumentFactory, MessageFactory, agent

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_citizens_demarches_with_history_messages_and_documents():
    demarche = DemarcheFactory(submitted=True)
    DocumentFactory(demarche=demarche, original_name="facture-edf.png")
    MessageFactory(demarche=demarche, body="Voici ma facture.")
    instructor = agent(username="agent.dupont")
    MessageFactory(
        demarche=demarche,
        author=instructor,
        author_role=Role.AGENT_INSTRUCTEUR,
        body="Merci, pièce reçue.",
    )
    DemarcheFactory()  # another citizen's draft
    data = export_personal_data(user=demarche.owner)

    [exported] = data["procedures"]
    assert exported["numero"] == demarche.number
    assert exported["statut"] == str(demarche.get_status_display())
    assert exported["reponses"] == demarche.answers
    assert [e["evenement"] for e in exported["historique"]] == ["Demande déposée"]
    assert [(m["auteur"], m["message"]) for m in exported["messages"]] == [
        ("vous", "Voici ma facture."),
        ("Agent instructeur", "Merci, pièce reçue."),
    ]
    assert [p["fichier"] for p in exported["pieces"]] == ["facture-edf.png"]
    assert "agent.dupont" not in str(data)


def test_another_citizens_demarches_are_not_exported():
    DemarcheFactory(submitted=True)
    mine = DemarcheFactory()
    data = export_personal_data(user=mine.owner)
    assert [d["numero"] for d in data["procedures"]] == [mine.number]
