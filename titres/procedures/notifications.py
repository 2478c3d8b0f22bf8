"""E-mail and SMS to the citizen, queued after commit (titres.core.notifications)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from titres.core.notifications import notify_email, notify_sms, site_url

from .enums import Role


def demarche_url(demarche) -> str:
    """The absolute link to the citizen's file page, for messages."""
    return site_url(reverse("procedures:detail", args=[demarche.number]))


def filer_contact(demarche) -> tuple[str, str]:
    """(e-mail, phone) a file's news go to: its owner's; for a file whose
    filer's account was deleted (terminated habilitation,
    `personal_data.detach`) the e-mail of the person it was filed for, when
    one was given — never the deleted account — and no phone."""
    owner = demarche.owner
    if owner is not None:
        return owner.email, owner.phone
    return (demarche.acting_for or {}).get("email", ""), ""


def notify_status_change(demarche, change) -> None:
    email, phone = filer_contact(demarche)
    detached = demarche.owner_id is None
    context = {
        "number": demarche.display_number,
        "title": demarche.title,
        "status": demarche.get_status_display(),
        "label": change.label,
        "comment": change.comment if change.to_status in {"REJETEE", "EN_ATTENTE_USAGER"} else "",
        # The client of a detached file has no account to follow it with.
        "url": "" if detached else demarche_url(demarche),
        "awaits_citizen": demarche.awaits_citizen,
        "detached": detached,
    }
    if email:
        notify_email(template="procedures/emails/status_changed", to=email, context=context)
    if phone:
        notify_sms(
            phone=phone,
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
    if owner is None:
        # The filer's account is deleted (terminated habilitation): nobody
        # can read the message online, so none is announced.
        return
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
