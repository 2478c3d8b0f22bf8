"""The operators' queue in /gestion/."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.procedures import samples
from titres.contact import services
from titres.contact.enums import TicketStatus
from titres.contact.models import Ticket
from titres.core.models import AuditEvent

from .factories import TicketFactory

pytestmark = pytest.mark.django_db

LIST = "/gestion/contact/ticket/"


def test_queue_highlights_overdue_tickets_and_filters_them(operator_client):
    late = TicketFactory(due_on=timezone.localdate() - timedelta(days=1), subject="En retard")
    TicketFactory(subject="À temps")
    page = operator_client.get(LIST).content.decode()
    assert "contact-overdue" in page and late.display_number in page
    filtered = operator_client.get(LIST + "?echeance=depassee").content.decode()
    assert "En retard" in filtered and "À temps" not in filtered


def test_queue_writes_dates_and_operators_as_people_read_them(operator_client, operator):
    from django.utils.formats import date_format

    operator.first_name, operator.last_name = "Odile", "Martin"
    operator.save()
    due = timezone.localdate() - timedelta(days=1)
    late = TicketFactory(due_on=due, assigned_to=operator)
    page = operator_client.get(LIST).content.decode()
    assert (
        f'<strong class="contact-overdue">{date_format(due, "DATE_FORMAT")} — en retard</strong>'
        in page
    )
    assert "<h1>Demandes de contact et réclamations</h1>" in page
    # The column and the filter name the operator, not only the login.
    assert page.count("Odile Martin (operatrice)") == 2
    ticket_page = operator_client.get(f"{LIST}{late.pk}/change/").content.decode()
    assert ">Odile Martin (operatrice)</option>" in ticket_page
    assert late.display_number in ticket_page


def test_operator_answers_from_the_ticket_page(
    operator_client, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory()
    page = operator_client.get(f"{LIST}{ticket.pk}/change/").content.decode()
    assert "Envoyer la réponse" in page and "Bonjour, ..." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            reverse("admin:contact_ticket_answer", args=[ticket.pk]), {"body": "C’est réglé."}
        )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.REPONDU
    assert "C’est réglé." in mailoutbox[0].body


def test_operator_takes_assigns_closes_and_reopens(operator_client, operator):
    ticket = TicketFactory()
    event_url = lambda event: reverse("admin:contact_ticket_event", args=[ticket.pk, event])  # noqa: E731
    operator_client.post(event_url("prendre_en_charge"))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.EN_COURS and ticket.assigned_to == operator
    other = UserFactory(operator=True)
    operator_client.post(
        reverse("admin:contact_ticket_assign", args=[ticket.pk]), {"assignee": other.pk}
    )
    ticket.refresh_from_db()
    assert ticket.assigned_to == other
    operator_client.post(event_url("clore"))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOS
    operator_client.post(event_url("rouvrir"))
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.EN_COURS
    assert AuditEvent.objects.filter(event="contact.ticket_transition").count() == 3


def test_a_refused_action_says_why(operator_client):
    ticket = TicketFactory(status=TicketStatus.CLOS)
    response = operator_client.post(
        reverse("admin:contact_ticket_event", args=[ticket.pk, "clore"]), follow=True
    )
    assert "Action impossible : la demande est au statut « Clos »." in response.content.decode()


def test_an_unknown_action_is_404(operator_client):
    ticket = TicketFactory()
    url = reverse("admin:contact_ticket_event", args=[ticket.pk, "supprimer"])
    assert operator_client.post(url).status_code == 404


def test_a_staff_member_without_permission_cannot_act(client):
    from tests.accounts.conftest import verified_login

    staff = UserFactory(is_staff=True, permissions=["contact.view_ticket"])
    verified_login(client, staff)
    ticket = TicketFactory()
    assert client.get(f"{LIST}{ticket.pk}/change/").status_code == 200
    url = reverse("admin:contact_ticket_event", args=[ticket.pk, "clore"])
    assert client.post(url).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.NOUVEAU


def test_citizens_never_reach_the_queue(client, citizen):
    assert client.get(LIST).status_code == 302  # the admin's login page


def test_letter_complaint_is_recorded_from_the_add_page(operator_client):
    received = timezone.localdate() - timedelta(days=2)
    response = operator_client.post(
        f"{LIST}add/",
        {
            "received_on": received.isoformat(),
            "event_on": (received - timedelta(days=40)).isoformat(),
            "name": "Jean Dupont",
            "postal_address": "1 rue de la Paix, 75002 Paris",
            "subject": "Réclamation",
            "message": "Contenu de la lettre",
        },
    )
    ticket = Ticket.objects.get()
    assert response.url == reverse("admin:contact_ticket_change", args=[ticket.pk])
    assert ticket.is_late and ticket.due_on == received + timedelta(days=60)


def test_statistics_page(operator_client):
    TicketFactory(answered_at=timezone.now(), status=TicketStatus.REPONDU)
    page = operator_client.get(reverse("admin:contact_ticket_statistics")).content.decode()
    assert "Répondues dans le délai" in page and "100 %" in page


def test_attachment_download_for_operators(operator_client):
    ticket = services.open_ticket(
        category="compte",
        subject="Capture",
        message="Voir la capture",
        email="a@exemple.fr",
        attachment=SimpleUploadedFile("ecran.png", samples.png()),
    )
    response = operator_client.get(reverse("admin:contact_ticket_attachment", args=[ticket.pk]))
    assert response.status_code == 200
    assert 'filename="ecran.png"' in response["Content-Disposition"]
