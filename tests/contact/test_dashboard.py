import pytest
from django.urls import reverse

from titres.contact.enums import TicketStatus

from .factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_dashboard_lists_open_and_answered_tickets_only(client, citizen):
    open_ticket = TicketFactory(user=citizen, email="", subject="Question ouverte")
    TicketFactory(user=citizen, email="", subject="Question close", status=TicketStatus.CLOS)
    TicketFactory(subject="Question d’un autre")
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Mes demandes de contact" in page
    assert open_ticket.display_number in page and "Question ouverte" in page
    assert "Question close" not in page and "Question d’un autre" not in page


def test_no_block_without_tickets(client, citizen):
    assert "Mes demandes de contact" not in client.get(reverse("core:dashboard")).content.decode()
