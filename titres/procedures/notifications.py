"""E-mail and SMS to the citizen, queued after commit (titres.core.notifications)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from titres.core.notifications import notify_email, notify_sms, site_url

from .enums import Role


def demarche_url(demarche) -> str:
    """The absolute link to the citizen's file page, for messages."""
    return site_url(reverse("procedures:detail", args=[demarche.number]))


def notify_status_change(demarche, change) -> None:
    owner = demarche.owner
    context = {
        "number": demarche.display_number,
        "title": demarche.title,
        "status": demarche.get_status_display(),
        "label": change.label,
        "comment": change.comment if change.to_status in {"REJETEE", "EN_ATTENTE_USAGER"} else "",
        "url": demarche_url(demarche),
        "awaits_citizen": demarche.awaits_citizen,
    }
    if owner.email:
        notify_email(template="procedures/emails/status_changed", to=owner.email, context=context)
    if owner.phone:
        notify_sms(
            phone=owner.phone,
            text=_("Titres : votre démarche %(number)s est désormais « %(status)s ».")
            % {"number": context["number"], "status": context["status"]},
        )


def notify_new_message(message) -> None:
    """A message from an agent reaches the citizen; a citizen's message is
    announced to the agent holding the file by the back office (receiver of
    the signal `message_posted` in titres/instruction/signals.py)."""
    if message.author_role == Role.USAGER:
        return
    demarche = message.demarche
    owner = demarche.owner
    context = {
        "number": demarche.display_number,
        "title": demarche.title,
        "url": demarche_url(demarche),
    }
    if owner.email:
        notify_email(template="procedures/emails/new_message", to=owner.email, context=context)
    if owner.phone:
        notify_sms(
            phone=owner.phone,
            text=_("Titres : nouveau message sur votre démarche %(number)s.")
            % {"number": context["number"]},
        )
