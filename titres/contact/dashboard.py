from .enums import TicketStatus
from .models import OPEN_STATUSES
from .selectors import tickets_of


def dashboard_section(request):
    """ "Mes demandes de contact" block of /tableau-de-bord/: the open ones
    and those answered, so that a person sees an answer arrive."""
    if not request.user.is_authenticated:
        return None
    tickets = list(
        tickets_of(request.user)
        .filter(status__in=(*OPEN_STATUSES, TicketStatus.REPONDU))
        .order_by("-created_at")[:5]
    )
    if not tickets:
        return None
    return {"template": "contact/_dashboard.html", "tickets": tickets}
