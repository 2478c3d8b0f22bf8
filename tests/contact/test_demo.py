import pytest

from titres.contact import demo
from titres.contact.enums import TicketStatus
from titres.contact.models import Ticket

pytestmark = pytest.mark.django_db


def test_demo_tickets_are_created_once(settings):
    from titres.accounts import demo as accounts_demo

    settings.DEBUG = True
    accounts_demo.load()
    demo.load()
    demo.load()
    assert Ticket.objects.count() == 3
    answered = Ticket.objects.get(subject=demo.SUBJECTS["citizen"])
    assert answered.status == TicketStatus.REPONDU and answered.user.username == "demo-particulier"
    assert Ticket.objects.get(subject=demo.SUBJECTS["letter"]).is_late
