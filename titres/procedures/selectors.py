"""Reads limited to what the user may see. A stranger's object and a missing
one give the same 404: always fetch through these querysets."""

from django.db.models import Q, QuerySet

from titres.core import numbering

from .access import agent_filter
from .enums import ONGOING_STATUSES
from .models import Demarche, Document, Message, StatusChange


def demarches_owned_by(user) -> QuerySet[Demarche]:
    """The citizen's own files ("Mes démarches")."""
    if not user.is_authenticated:
        return Demarche.objects.none()
    return Demarche.objects.filter(owner=user)


def demarches_visible_to(user) -> QuerySet[Demarche]:
    """Own files plus, for agents, the submitted files their policies grant."""
    if not user.is_authenticated:
        return Demarche.objects.none()
    condition = Q(owner=user)
    agent = agent_filter(user)
    if agent is not None:
        condition |= agent
    return Demarche.objects.filter(condition)


def ongoing_demarches_of(user) -> QuerySet[Demarche]:
    return demarches_owned_by(user).filter(status__in=ONGOING_STATUSES)


def search_demarches(queryset: QuerySet[Demarche], *, query: str = "", status: str = ""):
    if query:
        queryset = queryset.filter(number__icontains=numbering.normalize(query))
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def documents_owned_by(user) -> QuerySet[Document]:
    """Documents of the citizen's own files: what the citizen URLs serve.
    Agents read documents through the back office's viewer, which enforces
    the second factor and journals every page."""
    if not user.is_authenticated:
        return Document.objects.none()
    return Document.objects.filter(demarche__owner=user)


def messages_owned_by(user) -> QuerySet[Message]:
    if not user.is_authenticated:
        return Message.objects.none()
    return Message.objects.filter(demarche__owner=user)


def documents_visible_to(user) -> QuerySet[Document]:
    return Document.objects.filter(demarche__in=demarches_visible_to(user).values("pk"))


def messages_visible_to(user) -> QuerySet[Message]:
    return Message.objects.filter(demarche__in=demarches_visible_to(user).values("pk"))


def history_of(demarche) -> QuerySet[StatusChange]:
    return demarche.history.select_related("actor").order_by("created_at", "id")
