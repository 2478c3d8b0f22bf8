"""Each action is a transition of the engine with its history row."""

from datetime import date

import pytest
from django.urls import reverse

from titres.core.models import AuditEvent
from titres.instruction import services
from titres.instruction.enums import ProductionStatus, Tab
from titres.instruction.models import Assignment, ProductionOrder
from titres.permis.enums import TitleStatus
from titres.procedures import services as procedure_services
from titres.procedures.enums import MessageKind, Status

from .factories import PermisDemarcheFactory, answers

pytestmark = pytest.mark.django_db


def _post(client, demarche, name, data=None):
    return client.post(
        reverse("instruction:action", args=[demarche.number, name]), data or {}, follow=True
    )


def test_take_assigns_and_marks_under_instruction(agent_client, agent, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    response = _post(agent_client, demarche, "prendre")
    assert "La demande vous est assignée." in response.content.decode()
    demarche.refresh_from_db()
    assert demarche.taken_at is not None
    assert demarche.assignment.agent == agent
    assert demarche.history.last().event == "prendre_en_charge"


def test_validate(agent_client, agent, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    response = _post(agent_client, demarche, "valider")
    assert "La demande est validée." in response.content.decode()
    demarche.refresh_from_db()
    assert demarche.status == Status.VALIDEE
    change = demarche.history.last()
    assert (change.event, change.actor, change.actor_role) == (
        "valider",
        agent,
        "agent_instructeur",
    )
    assert Assignment.objects.get(demarche=demarche).agent == agent


def test_suspend_asks_the_citizen_and_the_answer_brings_it_back(
    agent_client, authority, mailoutbox, django_capture_on_commit_callbacks
):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            agent_client,
            demarche,
            "suspendre",
            {"body": "Merci de joindre un justificatif de domicile."},
        )
    assert "La demande a été suspendue." in response.content.decode()
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_ATTENTE_USAGER
    assert demarche.messages.get().kind == MessageKind.DEMANDE_COMPLEMENT
    assert any(demarche.owner.email in m.to for m in mailoutbox)
    waiting = agent_client.get(reverse("instruction:worklist", args=["543"]) + "?onglet=en_attente")
    assert demarche.display_number in waiting.content.decode()

    procedure_services.answer_complement(
        demarche=demarche, actor=demarche.owner, body="Voici ma facture."
    )
    page = agent_client.get(
        reverse("instruction:worklist", args=["543"]) + f"?onglet={Tab.A_TRAITER}"
    )
    content = page.content.decode()
    assert demarche.display_number in content
    assert "Complément reçu" in content


def test_suspend_requires_a_text(agent_client, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    response = _post(agent_client, demarche, "suspendre", {"body": ""})
    assert "Le message ne peut pas être vide." in response.content.decode()
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS


def test_reject_with_reason_and_text(agent_client, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    response = _post(
        agent_client,
        demarche,
        "rejeter",
        {"reason": "pieces_non_conformes", "text": "Facture illisible."},
    )
    assert "La demande est rejetée." in response.content.decode()
    demarche.refresh_from_db()
    assert demarche.status == Status.REJETEE
    assert (
        demarche.history.last().comment == "Pièces justificatives non conformes. Facture illisible."
    )


def test_reject_other_reason_requires_text(agent_client, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    response = _post(agent_client, demarche, "rejeter", {"reason": "autre", "text": ""})
    assert "Précisez le motif du rejet." in response.content.decode()
    response = _post(agent_client, demarche, "rejeter", {"reason": "nimporte", "text": ""})
    assert "Choisissez un motif de rejet dans la liste." in response.content.decode()
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS


def test_validate_refused_in_wrong_state(agent_client, authority):
    demarche = PermisDemarcheFactory(validated=True, authority=authority)
    response = _post(agent_client, demarche, "valider")
    assert (
        "Action impossible : la démarche est au statut « En cours (validée) »."
        in response.content.decode()
    )


def test_transmit_produces_ships_delivers_and_updates_snpc(
    agent_client, authority, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.permis.factories import LicenceRecordFactory, LicenceTitleFactory

    record = LicenceRecordFactory(
        birth_name="CORNEILLE", first_names="Pierre", birth_date=date(1956, 1, 1)
    )
    old = LicenceTitleFactory(record=record)
    demarche = PermisDemarcheFactory(
        validated=True, authority=authority, answers=answers(neph=record.neph, motif="vol")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(agent_client, demarche, "transmettre")
    assert "La demande est transmise pour fabrication." in response.content.decode()
    demarche.refresh_from_db()
    order = ProductionOrder.objects.get(demarche=demarche)
    assert order.status == ProductionStatus.LIVRE
    assert order.title_number and order.tracking_number
    assert demarche.status == Status.TERMINEE
    events = list(demarche.history.values_list("event", "actor_role"))
    assert events[-2:] == [("transmettre_production", "agent_instructeur"), ("terminer", "systeme")]
    old.refresh_from_db()
    assert old.status == TitleStatus.VOLE
    assert record.titles.get(number=order.title_number).status == TitleStatus.VALIDE
    subjects = [m.subject for m in mailoutbox]
    for word in ["en cours de fabrication", "a été fabriqué", "a été expédié", "vous a été remis"]:
        assert any(word in s for s in subjects), (word, subjects)


def test_production_failure_sends_the_file_back_and_it_can_be_transmitted_again(
    agent_client, authority, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from titres.instruction import production

    demarche = PermisDemarcheFactory(validated=True, authority=authority)

    def broken(demarche):
        raise RuntimeError("plus de cartes vierges")

    monkeypatch.setattr(production, "_new_title_number", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _post(agent_client, demarche, "transmettre")
    demarche.refresh_from_db()
    order = ProductionOrder.objects.get(demarche=demarche)
    assert order.status == ProductionStatus.ERREUR
    assert order.error == "Le titre n’a pas pu être fabriqué (erreur technique)."
    assert not order.title_number
    assert demarche.status == Status.VALIDEE
    change = demarche.history.order_by("-created_at", "-id").first()
    assert (change.event, change.actor_role, change.actor) == ("echec_production", "systeme", None)
    assert change.comment == order.error
    assert AuditEvent.objects.filter(event="instruction.production_failed").exists()
    assert any("En cours (validée)" in m.body for m in mailoutbox)

    # Reported by the factory itself, an unknown or finished order is ignored.
    assert production.mark_failed(order_id=order.pk, reason="encore").error == order.error

    # Transmitted again: the same order goes through this time.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        _post(agent_client, demarche, "transmettre")
    demarche.refresh_from_db()
    order.refresh_from_db()
    assert ProductionOrder.objects.filter(demarche=demarche).count() == 1
    assert order.status == ProductionStatus.LIVRE and order.error == "" and order.title_number
    assert demarche.status == Status.TERMINEE


def test_bulk_validate_refuses_wrong_states_and_names_them(chef_client, authority):
    ok = PermisDemarcheFactory(submitted=True, authority=authority)
    wrong = PermisDemarcheFactory(validated=True, authority=authority)
    response = chef_client.post(
        reverse("instruction:bulk", args=["543"]),
        {"action": "valider", "dossiers": [ok.number, wrong.number]},
        follow=True,
    )
    content = response.content.decode()
    assert f"1 demande(s) traitée(s) : {ok.display_number}." in content
    assert (
        f"Demande {wrong.display_number} refusée : Action impossible : la démarche est au statut « En cours (validée) »."
        in content
    )
    ok.refresh_from_db()
    assert ok.status == Status.VALIDEE


def test_bulk_transmit(chef_client, authority, django_capture_on_commit_callbacks):
    files = [PermisDemarcheFactory(validated=True, authority=authority) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        chef_client.post(
            reverse("instruction:bulk", args=["543"]),
            {"action": "transmettre", "dossiers": [f.number for f in files]},
        )
    for f in files:
        f.refresh_from_db()
        assert f.status == Status.TERMINEE


def test_bulk_is_for_the_chef_only(agent_client, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    response = agent_client.post(
        reverse("instruction:bulk", args=["543"]),
        {"action": "valider", "dossiers": [demarche.number]},
    )
    assert response.status_code == 403


def test_chef_assigns_to_an_agent(chef_client, agent, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    response = _post(chef_client, demarche, "assigner", {"agent": agent.pk})
    assert "La demande est assignée." in response.content.decode()
    assert Assignment.objects.get(demarche=demarche).agent == agent
    assert AuditEvent.objects.filter(event="instruction.dossier_assigned").exists()


def test_agent_cannot_assign(agent_client, agent, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    response = _post(agent_client, demarche, "assigner", {"agent": agent.pk})
    assert "Seul le chef de service assigne les demandes." in response.content.decode()


def test_bulk_service_names_the_non_chef(agent, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    result = services.bulk(action="valider", demarches=[demarche], agent=agent)
    assert result.refused == [
        (demarche.display_number, "Les actions groupées sont réservées au chef de service.")
    ]


def test_reader_cannot_act_through_services(reader, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    with pytest.raises(Exception, match="lecture seule"):
        services.validate(demarche=demarche, agent=reader)


def test_unknown_action_is_404(agent_client, authority):
    demarche = PermisDemarcheFactory(submitted=True, authority=authority)
    assert (
        agent_client.post(
            reverse("instruction:action", args=[demarche.number, "detruire"])
        ).status_code
        == 404
    )
