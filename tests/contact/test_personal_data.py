from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.procedures import samples
from titres.contact import personal_data, retention, services
from titres.contact.enums import TicketStatus
from titres.contact.models import Ticket

from .factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_export_lists_the_tickets_and_their_thread():
    user = UserFactory()
    ticket = TicketFactory(user=user, email="", subject="Mon compte")
    data = personal_data.export(user)["demandes_de_contact"]
    assert data[0]["numero"] == ticket.display_number
    assert data[0]["objet"] == "Mon compte"
    assert data[0]["messages"][0]["texte"] == "Bonjour, ..."
    assert personal_data.export(UserFactory()) == {"demandes_de_contact": []}


def test_erase_deletes_requests_and_keeps_complaints_with_their_email(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(email="efface@exemple.fr")
    request = services.open_ticket(
        category="compte",
        subject="Question",
        message="Texte",
        user=user,
        attachment=SimpleUploadedFile("a.png", samples.png()),
    )
    storage, name = request.attachment.storage, request.attachment.name
    complaint = TicketFactory(user=user, email="", complaint=True)
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase(user)
    assert not Ticket.objects.filter(pk=request.pk).exists()
    assert not storage.exists(name)
    complaint.refresh_from_db()
    assert complaint.email == "efface@exemple.fr"


def test_purge_after_two_years_for_requests_and_five_for_complaints():
    now = timezone.now()
    old_closed = TicketFactory(status=TicketStatus.CLOS, closed_at=now - timedelta(days=800))
    recent_closed = TicketFactory(status=TicketStatus.CLOS, closed_at=now - timedelta(days=300))
    old_complaint = TicketFactory(
        complaint=True, status=TicketStatus.CLOS, closed_at=now - timedelta(days=800)
    )
    assert retention.purge_requests(now) == 1
    assert retention.purge_complaints(now) == 0
    remaining = set(Ticket.objects.values_list("pk", flat=True))
    assert old_closed.pk not in remaining
    assert {recent_closed.pk, old_complaint.pk} <= remaining
    assert retention.purge_complaints(now + timedelta(days=365 * 4)) == 1
