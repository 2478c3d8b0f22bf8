"""A prefecture terminates a professional's habilitation while the account
has drafts, filed files and files under instruction (issue 18, seed 000
§1.11.4): the account and the drafts go, the filed files stay detached from
it and are still instructed, their news reach the client."""

import pytest
from django.urls import reverse

from tests.accounts.factories import HabilitationFactory, UserFactory
from tests.instruction.factories import AgentMembershipFactory
from tests.procedures.factories import DemarcheFactory, DocumentFactory, MessageFactory
from titres.accounts.models import User
from titres.accounts.services.habilitations import terminate_habilitation
from titres.core.models import AuditEvent
from titres.instruction import services as instruction
from titres.procedures.enums import Role, Status
from titres.procedures.models import Demarche, Document, Message, StatusChange
from titres.procedures.selectors import demarches_owned_by
from titres.procedures.workflow import TransitionRefused
from titres.vehicules.changement.procedure import CODE
from titres.vehicules.models import CessionDeclaration, ChangeOfHolder, Holder, RegistryEntry
from titres.vehicules.services.cession import declare_cession

from .factories import BUYER, VehicleFactory, declared
from .journey import pay_taxes, step_url
from .pro import CLIENT, file_until_payment, garage, start_for_client

pytestmark = pytest.mark.django_db

CLIENT_EMAIL = "pierre.mercier@example.org"


@pytest.fixture
def terminated(client, django_capture_on_commit_callbacks, mailoutbox):
    """Garage du Centre with: a change of holder filed for a client (en
    cours), a draft, a file awaiting the garage, a declaration of sale for
    a client; then the prefecture terminates the habilitation."""
    habilitation = garage(
        client, organisation_name="Garage du Centre", siret="73282932000074", number="SIV-08-0042"
    )
    user = habilitation.user
    vehicle = VehicleFactory(plate="FG123HJ", formule_number="2019FG04521")
    sold = declared(vehicle)
    filed = start_for_client(client)
    file_until_payment(client, filed, plate="FG-123-HJ", code=sold.code_display)
    pay_taxes(client, filed, django_capture_on_commit_callbacks)
    filed.refresh_from_db()
    assert filed.status == Status.EN_COURS and filed.owner == user
    draft = start_for_client(client)
    draft_vehicle = VehicleFactory()
    response = client.post(
        step_url(draft, "pour-commencer"),
        {
            **CLIENT,
            "immatriculation": draft_vehicle.plate,
            "a_code_cession": "non",
            "numero_formule": draft_vehicle.formule_number,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert ChangeOfHolder.objects.filter(demarche=draft).exists()
    awaiting = DemarcheFactory(
        owner=user,
        procedure_code=CODE,
        awaiting=True,
        acting_for={"nom": "Durand", "qualite": "professionnel_mandataire", "email": ""},
    )
    message = MessageFactory(demarche=awaiting)
    document = DocumentFactory(demarche=awaiting)
    sold_vehicle = VehicleFactory()
    cession = declare_cession(
        vehicle=sold_vehicle,
        seller=user,
        seller_names=("MOREAU", "Jeanne"),
        sold_at=sold.declaration.sold_at,
        mileage=1000,
        buyer=BUYER,
        actor=user,
    ).declaration
    user_pk, garage_email = user.pk, user.email
    operator = UserFactory(is_staff=True, is_superuser=True)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        terminate_habilitation(habilitation=habilitation, actor=operator)
    return {
        "habilitation": habilitation,
        "user_pk": user_pk,
        "garage_email": garage_email,
        "filed": filed,
        "draft": draft,
        "awaiting": awaiting,
        "message": message,
        "document": document,
        "cession": cession,
        "vehicle": vehicle,
    }


def test_termination_deletes_the_account_and_drafts_and_detaches_the_filed_files(
    terminated, mailoutbox
):
    assert not User.objects.filter(pk=terminated["user_pk"]).exists()
    assert not Demarche.objects.filter(pk=terminated["draft"].pk).exists()
    assert not ChangeOfHolder.objects.filter(demarche_id=terminated["draft"].pk).exists()
    filed = Demarche.objects.get(pk=terminated["filed"].pk)
    assert filed.owner is None and filed.status == Status.EN_COURS
    assert filed.detached_filer["raison_sociale"] == "Garage du Centre"
    assert filed.detached_filer["siret"] == "73282932000074"
    assert filed.detached_filer["habilitation"] == "SIV-08-0042"
    # No natural person is kept with the file.
    assert "Benali" not in str(filed.detached_filer) and "Karim" not in str(filed.detached_filer)
    assert filed.acting_for["email"] == CLIENT_EMAIL  # the client's record is theirs
    assert ChangeOfHolder.objects.get(demarche=filed).cpi_number
    # History, messages and documents keep their role, not the account.
    assert not StatusChange.objects.filter(actor_id=terminated["user_pk"]).exists()
    submitted = StatusChange.objects.get(demarche=filed, event="soumettre")
    assert submitted.actor is None and submitted.actor_role == Role.USAGER
    assert Message.objects.get(pk=terminated["message"].pk).author is None
    assert Document.objects.get(pk=terminated["document"].pk).uploaded_by is None
    # A file that waited for the garage goes back to the instructing service.
    awaiting = Demarche.objects.get(pk=terminated["awaiting"].pk)
    assert awaiting.status == Status.EN_COURS and awaiting.owner is None
    back = awaiting.history.order_by("-created_at", "-pk").first()
    assert back.event == "teledeclarant_detache" and back.actor is None
    # The registry keeps the declaration of sale made for the client.
    cession = CessionDeclaration.objects.get(pk=terminated["cession"].pk)
    assert cession.seller is None and "MOREAU" in cession.seller_name
    assert not RegistryEntry.objects.filter(actor_id=terminated["user_pk"]).exists()
    event = AuditEvent.objects.get(event="accounts.habilitation_terminated")
    assert event.data["procedures"] == {
        "brouillons_supprimes": 1,
        "demarches_detachees": 2,
        "rendues_au_service_instructeur": 1,
    }
    assert event.data["vehicules"]["declarations_de_cession_detachees"] == 1
    assert AuditEvent.objects.filter(event="accounts.account_deleted").exists()
    # Nothing is sent to the deleted account but its termination notices.
    to_garage = [m.subject for m in mailoutbox if terminated["garage_email"] in m.to]
    assert set(to_garage) <= {
        "Votre habilitation SIV est résiliée",
        "Votre compte Titres a été supprimé",
    }


def test_the_cert_still_instructs_a_detached_file_and_the_client_gets_the_decision(
    terminated, django_capture_on_commit_callbacks, mailoutbox
):
    from .test_instruction import _agent_client

    filed = Demarche.objects.get(pk=terminated["filed"].pk)
    agent = AgentMembershipFactory(authority=filed.authority).user
    agent.is_verified = lambda: True
    page = _agent_client(agent).get(reverse("instruction:detail", args=[filed.number]))
    text = " ".join(page.content.decode().split())
    assert (
        "Télédéclarant : professionnel dont l’habilitation est résiliée (Garage du Centre, "
        "SIRET 73282932000074, habilitation SIV n° SIV-08-0042)" in text
    )
    # Nobody could answer a request for more documents.
    with pytest.raises(TransitionRefused, match="n’a plus de compte"):
        instruction.suspend(demarche=filed, agent=agent, body="Le mandat est illisible.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        instruction.validate(demarche=filed, agent=agent)
    filed.refresh_from_db()
    assert filed.status == Status.VALIDEE
    holder = Holder.objects.get(vehicle=terminated["vehicle"], until__isnull=True, role="titulaire")
    assert holder.last_name.upper() == "MERCIER"
    decision = [m for m in mailoutbox if m.to == [CLIENT_EMAIL]]
    assert len(decision) == 1 and "Demande validée" in decision[0].body
    assert filed.display_number in decision[0].body
    # The client has no account: no link to a page they cannot open.
    assert "/demarches/" not in decision[0].body
    assert not [m for m in mailoutbox if terminated["garage_email"] in m.to]


def test_nobody_reaches_a_detached_file_through_the_deleted_account(client, terminated):
    filed = terminated["filed"]
    # An account made afterwards with the garage's identifier owns nothing.
    newcomer = HabilitationFactory(user__username=terminated["habilitation"].username).user
    assert not demarches_owned_by(newcomer).exists()
    client.force_login(newcomer)
    assert client.get(reverse("procedures:detail", args=[filed.number])).status_code == 404
    assert client.get(reverse("vehicules:cpi", args=[filed.number])).status_code == 404
    assert (
        filed.display_number not in client.get(reverse("vehicules:pro_demarches")).content.decode()
    )
    client.logout()
    response = client.get(reverse("procedures:detail", args=[filed.number]))
    assert response.status_code in (302, 404)
    assert client.get(reverse("vehicules:cpi", args=[filed.number])).status_code in (302, 404)


def test_a_detached_file_is_purged_by_its_retention_rules(terminated):
    import datetime

    from django.utils import timezone

    from titres.procedures import retention

    awaiting = Demarche.objects.get(pk=terminated["awaiting"].pk)
    Document.objects.filter(demarche=awaiting).delete()
    StatusChange.objects.create(
        demarche=awaiting,
        from_status=Status.EN_COURS,
        to_status=Status.REJETEE,
        event="rejeter",
        label="Demande rejetée",
        actor_role=Role.SYSTEME,
    )
    Demarche.objects.filter(pk=awaiting.pk).update(status=Status.REJETEE)
    later = timezone.now() + datetime.timedelta(days=365 * 6)
    assert retention.anonymise_closed_files(later) == 1
    awaiting.refresh_from_db()
    assert awaiting.owner is None
    assert awaiting.acting_for == {} and awaiting.detached_filer == {} and awaiting.answers == {}


def test_a_citizens_account_with_a_file_in_progress_is_still_not_deleted():
    """Only a terminated habilitation detaches files: a citizen's deletion
    is refused as before, nothing detached."""
    from titres.accounts.services.account import delete_account
    from titres.accounts.services.common import AccountError

    demarche = DemarcheFactory(procedure_code=CODE, submitted=True)
    citizen = demarche.owner
    with pytest.raises(AccountError) as refused:
        delete_account(user=citizen, actor=citizen)
    assert str(refused.value) == (
        "Ce compte ne peut pas être supprimé tant que des démarches en cours y sont "
        "rattachées. Contactez le service client de l’ANTS."
    )
    demarche.refresh_from_db()
    assert demarche.owner == citizen and demarche.detached_filer == {}
    assert User.objects.filter(pk=citizen.pk).exists()


def test_a_professional_can_file_no_procedure_that_needs_its_owner():
    """Only a terminated habilitation detaches files, and a habilitation
    always makes a new `pro_siv` account, so a detached file is one a
    professional could start: the vehicle procedures (owner-safe). The
    identity pré-demande is a private individual's
    (tests/identite/test_who_files.py; one filed before still detaches
    safely: tests/identite/test_counter.py) and the licence procedures read
    `demarche.owner` (school, e-mail): both are refused to professionals;
    this fails if one opens to them."""
    from titres.procedures.registry import all_procedures

    professional = HabilitationFactory().user
    startable = {d.code for d in all_procedures() if d.can_start(professional)}
    assert startable == {
        "vehicule-changement-titulaire",
        "vehicule-changement-adresse",
        "vehicule-duplicata",
        "vehicule-immatriculation-neuf",
    }
