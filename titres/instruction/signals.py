"""Receivers of the engine's signals: the search index kept in step with
the démarches (the engine's models are not ours: a post_save receiver is the
hook), and the agent told when a citizen writes in a file they hold."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from titres.core.notifications import notify_email, site_url
from titres.procedures.enums import Role
from titres.procedures.models import Demarche
from titres.procedures.services import message_posted
from titres.procedures.workflow import status_changed

from .models import Assignment, DemarcheSearchEntry
from .search import index_demarche

# Saves that cannot change what the index holds.
_IRRELEVANT = {"updated_at", "taken_at", "decided_at", "last_step", "payment_reference"}


@receiver(post_save, sender=Demarche, dispatch_uid="instruction_index_demarche")
def reindex(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if update_fields is not None and set(update_fields) <= _IRRELEVANT:
        return
    index_demarche(instance)


@receiver(status_changed, dispatch_uid="instruction_last_event")
def remember_last_event(sender, demarche, change, event, **kwargs):
    DemarcheSearchEntry.objects.filter(demarche_id=demarche.pk).update(last_event=event)


@receiver(message_posted, dispatch_uid="instruction_citizen_answered")
def tell_the_agent_a_citizen_answered(sender, message, **kwargs):
    """The agent who holds the file learns by e-mail that the citizen wrote
    (an answer to a request for information, a question)."""
    if message.author_role != Role.USAGER:
        return
    assignment = Assignment.objects.filter(demarche_id=message.demarche_id).select_related("agent")
    assignment = assignment.first()
    if assignment is None or not assignment.agent.email:
        return
    demarche = message.demarche
    notify_email(
        template="instruction/emails/message_usager",
        to=assignment.agent.email,
        context={
            "number": demarche.display_number,
            "title": demarche.title,
            "url": site_url(reverse("instruction:detail", args=[demarche.number])),
        },
    )
