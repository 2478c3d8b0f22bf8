"""Every write of the contact app: open a ticket or a complaint, record a
complaint received by registered letter, assign, answer in the thread,
follow up, close, reopen. One audit event each; e-mails after commit."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from titres.core import numbering
from titres.core.files import delete_on_rollback
from titres.core.journal import record_event
from titres.core.notifications import notify_email, site_url
from titres.procedures.antivirus import inspect_and_scan
from titres.procedures.validation import FileInfo, UploadRejected

from . import workdays
from .audit import ContactEvent
from .enums import AuthorKind, Category, Channel, TicketKind, TicketStatus
from .models import Ticket, TicketMessage
from .workflow import OPERATEUR, USAGER, TicketEvent, target

ANSWER_WORKING_DAYS = 15  # seed 000 §1.15
COMPLAINT_NOTICE_DAYS = 30  # seed 000 §1.16: notify within 30 days of the event
COMPLAINT_HANDLING_DAYS = 60  # seed 000 §1.16: handled within 60 days of receipt
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
EMAILS = "contact/emails/"


class ContactError(Exception):
    """A refusal, with its French message and the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- deadlines ---------------------------------------------------------------


def due_date(kind: str, received_on: date) -> date:
    """15 working days for a request (§1.15), 60 days for a complaint (§1.16)."""
    if kind == TicketKind.RECLAMATION:
        return received_on + timedelta(days=COMPLAINT_HANDLING_DAYS)
    return workdays.add_working_days(received_on, ANSWER_WORKING_DAYS)


def is_late_complaint(event_on: date, received_on: date) -> bool:
    """More than 30 days between the event and the complaint (flagged, not refused)."""
    return (received_on - event_on).days > COMPLAINT_NOTICE_DAYS


# --- the reading link of a ticket sent without an account ---------------------


def access_token(ticket: Ticket) -> str:
    """The unguessable token of the ticket's reading link. Derived from a
    random salt kept with the ticket and the SECRET_KEY: every e-mail can
    carry the link, and a copy of the database alone does not open it."""
    return salted_hmac(
        "titres.contact.ticket", f"{ticket.pk}:{ticket.access_token_hash}", algorithm="sha256"
    ).hexdigest()


def token_matches(ticket: Ticket, token: str) -> bool:
    return bool(ticket.access_token_hash) and constant_time_compare(access_token(ticket), token)


def reading_url(ticket: Ticket) -> str:
    if ticket.user_id:
        return site_url(reverse("contact:my_ticket", args=[ticket.number]))
    return site_url(reverse("contact:ticket_by_link", args=[ticket.number, access_token(ticket)]))


# --- opening -------------------------------------------------------------------


def _new_number() -> str:
    prefix = f"{timezone.localdate():%y}"
    while True:
        number = numbering.generate(prefix=prefix, length=8)
        if not Ticket.objects.filter(number=number).exists():
            return number


def _checked_attachment(attachment: UploadedFile | None) -> FileInfo | None:
    """The engine's checks of a supporting document, antivirus included, run
    before the ticket's transaction opens (a scan may take seconds)."""
    if attachment is None:
        return None
    if attachment.size > MAX_ATTACHMENT_BYTES:
        raise ContactError(
            _("La pièce jointe dépasse la taille maximale autorisée (%(max)s Mo).")
            % {"max": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
            field="attachment",
        )
    try:
        return inspect_and_scan(attachment, size=attachment.size, label=_("Pièce jointe"))
    except UploadRejected as error:
        raise ContactError(error.message, field="attachment") from None


def _store_attachment(ticket: Ticket, attachment: UploadedFile, info: FileInfo) -> None:
    attachment.seek(0)
    ticket.attachment.save(f"piece{info.extension}", attachment, save=False)
    delete_on_rollback(ticket.attachment.storage, ticket.attachment.name)
    ticket.attachment_name = (attachment.name or "")[-120:]
    ticket.attachment_type = info.content_type


def _create(ticket: Ticket | None = None, **fields) -> Ticket:
    ticket = ticket or Ticket(**fields)
    for _attempt in range(5):
        ticket.number = _new_number()
        try:
            with transaction.atomic():
                ticket.save(force_insert=True)
                return ticket
        except IntegrityError:  # the same number drawn twice at once
            continue
    raise RuntimeError("no free ticket number")


def _acknowledge(ticket: Ticket) -> None:
    to = ticket.reply_to
    if not to:
        return
    notify_email(
        template=EMAILS
        + ("complaint_received" if ticket.kind == TicketKind.RECLAMATION else "ticket_received"),
        to=to,
        context={
            "number": ticket.display_number,
            "subject": ticket.subject,
            "received_on": date_format(ticket.received_on, "DATE_FORMAT"),
            "due_on": date_format(ticket.due_on, "DATE_FORMAT"),
            "working_days": ANSWER_WORKING_DAYS,
            "handling_days": COMPLAINT_HANDLING_DAYS,
            "notice_days": COMPLAINT_NOTICE_DAYS,
            "is_late": ticket.is_late,
            "url": reading_url(ticket),
        },
    )


def open_ticket(
    *,
    category: str,
    subject: str,
    message: str,
    user=None,
    name: str = "",
    email: str = "",
    demarche_number: str = "",
    attachment: UploadedFile | None = None,
    request=None,
) -> Ticket:
    """A request for information sent with the contact form (§1.15)."""
    if category not in Category.values or category == Category.MAIRIE:
        # Town halls use their own form (accounts), which opens its ticket.
        raise ContactError(_("Choisissez une catégorie dans la liste."))
    return _open(
        kind=TicketKind.DEMANDE,
        category=category,
        subject=subject,
        message=message,
        user=user,
        name=name,
        email=email,
        demarche_number=demarche_number,
        attachment=attachment,
        request=request,
        event=ContactEvent.TICKET_OPENED,
    )


def open_complaint(
    *,
    subject: str,
    message: str,
    event_on: date,
    user=None,
    name: str = "",
    email: str = "",
    demarche_number: str = "",
    attachment: UploadedFile | None = None,
    request=None,
) -> Ticket:
    """A complaint sent online (§1.16): flagged late after 30 days, never refused."""
    return _open(
        kind=TicketKind.RECLAMATION,
        category=Category.DEMARCHE if demarche_number else Category.AUTRE,
        subject=subject,
        message=message,
        user=user,
        name=name,
        email=email,
        demarche_number=demarche_number,
        attachment=attachment,
        request=request,
        event=ContactEvent.COMPLAINT_OPENED,
        event_on=event_on,
    )


def _open(
    *,
    kind,
    category,
    subject,
    message,
    user,
    name,
    email,
    demarche_number,
    attachment,
    request,
    event,
    event_on=None,
) -> Ticket:
    if user is not None and not user.is_authenticated:
        user = None
    if user is None and not email:
        raise ContactError(
            _("Indiquez votre adresse e-mail pour recevoir la réponse."), field="email"
        )
    received_on = timezone.localdate()
    if event_on is not None and event_on > received_on:
        raise ContactError(
            _("La date de l’événement ne peut pas être dans le futur."), field="event_on"
        )
    # Checked and scanned before the transaction: a clamd round trip never holds it.
    checked = _checked_attachment(attachment)
    ticket = Ticket(
        kind=kind,
        category=category,
        channel=Channel.FORMULAIRE,
        subject=subject.strip(),
        demarche_number=numbering.normalize(demarche_number) if demarche_number else "",
        user=user,
        name=name.strip() if user is None else user.get_full_name(),
        email=email if user is None else "",
        access_token_hash="" if user is not None else secrets.token_hex(16),
        received_on=received_on,
        due_on=due_date(kind, received_on),
        event_on=event_on,
        is_late=event_on is not None and is_late_complaint(event_on, received_on),
    )
    with transaction.atomic():
        if checked is not None:
            _store_attachment(ticket, attachment, checked)
        _create(ticket)
        TicketMessage.objects.create(
            ticket=ticket, author_kind=AuthorKind.USAGER, author=user, body=message.strip()
        )
        record_event(
            event,
            actor=user,
            request=request,
            target=ticket,
            data={
                "number": ticket.number,
                "category": ticket.category,
                "due_on": ticket.due_on,
                "late": ticket.is_late,
                "attachment": bool(ticket.attachment),
            },
        )
        _acknowledge(ticket)
    return ticket


@transaction.atomic
def record_letter_complaint(
    *,
    actor,
    received_on: date,
    event_on: date | None,
    subject: str,
    message: str,
    name: str,
    postal_address: str,
    email: str = "",
    demarche_number: str = "",
    request=None,
) -> Ticket:
    """An operator records a complaint received by registered letter: the
    60 days run from the day the letter was received (§1.16)."""
    today = timezone.localdate()
    if received_on > today:
        raise ContactError(_("La date de réception ne peut pas être dans le futur."))
    if event_on is not None and event_on > received_on:
        raise ContactError(
            _("La date de l’événement ne peut pas être postérieure à la réception du courrier.")
        )
    ticket = _create(
        kind=TicketKind.RECLAMATION,
        category=Category.DEMARCHE if demarche_number else Category.AUTRE,
        channel=Channel.LETTRE_RECOMMANDEE,
        subject=subject.strip(),
        demarche_number=numbering.normalize(demarche_number) if demarche_number else "",
        name=name.strip(),
        email=email,
        postal_address=postal_address.strip(),
        access_token_hash=secrets.token_hex(16),
        received_on=received_on,
        due_on=due_date(TicketKind.RECLAMATION, received_on),
        event_on=event_on,
        is_late=event_on is not None and is_late_complaint(event_on, received_on),
        assigned_to=actor,
        status=TicketStatus.EN_COURS,
    )
    TicketMessage.objects.create(
        ticket=ticket, author_kind=AuthorKind.USAGER, author=None, body=message.strip()
    )
    record_event(
        ContactEvent.COMPLAINT_LETTER_RECORDED,
        actor=actor,
        request=request,
        target=ticket,
        data={"number": ticket.number, "received_on": received_on, "late": ticket.is_late},
    )
    _acknowledge(ticket)
    return ticket


@transaction.atomic
def open_mairie_ticket(*, mairie_request) -> Ticket:
    """The town-hall account request (accounts' own form and operator flow)
    is also a ticket of the queue, so its deadline is tracked like the others."""
    received_on = timezone.localdate(mairie_request.created_at)
    ticket = _create(
        kind=TicketKind.DEMANDE,
        category=Category.MAIRIE,
        subject=_("Demande de compte pour la mairie de %(commune)s")
        % {"commune": mairie_request.commune},
        name=f"{mairie_request.contact_first_name} {mairie_request.contact_last_name}",
        email=mairie_request.email,
        access_token_hash=secrets.token_hex(16),
        received_on=received_on,
        due_on=due_date(TicketKind.DEMANDE, received_on),
        mairie_request=mairie_request,
    )
    TicketMessage.objects.create(
        ticket=ticket,
        author_kind=AuthorKind.USAGER,
        body=mairie_request.message
        or _("Demande de compte : %(commune)s (%(insee)s), %(dr)s dispositif(s) de recueil.")
        % {
            "commune": mairie_request.commune,
            "insee": mairie_request.insee_code,
            "dr": mairie_request.dr_count,
        },
    )
    record_event(
        ContactEvent.MAIRIE_TICKET_OPENED,
        target=ticket,
        data={"number": ticket.number, "mairie_request": mairie_request.pk},
    )
    # No second acknowledgement: accounts already wrote to the town hall.
    return ticket


# --- the operators' work --------------------------------------------------------


def _transition(*, ticket: Ticket, event: str, who: str, actor, request, data=None) -> str:
    source = ticket.status
    to = target(source, event, who)
    if to is None:
        raise ContactError(
            _("Action impossible : la demande est au statut « %(status)s ».")
            % {"status": ticket.get_status_display()}
        )
    ticket.status = to
    now = timezone.now()
    if to == TicketStatus.CLOS:
        ticket.closed_at = now
    elif source == TicketStatus.CLOS:
        ticket.closed_at = None
    ticket.save()
    record_event(
        ContactEvent.TICKET_TRANSITION,
        actor=actor,
        request=request,
        target=ticket,
        data={"number": ticket.number, "from": source, "to": to, "event": event, **(data or {})},
    )
    return to


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


@transaction.atomic
def take(*, ticket: Ticket, actor, request=None) -> Ticket:
    """Take the ticket: assigned to the operator, status "en cours"."""
    ticket = _locked(ticket)
    if ticket.assigned_to_id != actor.pk:
        _assign(ticket, actor, actor, request)
    _transition(
        ticket=ticket,
        event=TicketEvent.PRENDRE_EN_CHARGE,
        who=OPERATEUR,
        actor=actor,
        request=request,
    )
    return ticket


def _assign(ticket: Ticket, assignee, actor, request) -> None:
    previous = ticket.assigned_to.get_username() if ticket.assigned_to_id else ""
    ticket.assigned_to = assignee
    ticket.save(update_fields=["assigned_to"])
    record_event(
        ContactEvent.TICKET_ASSIGNED,
        actor=actor,
        request=request,
        target=ticket,
        data={
            "number": ticket.number,
            "from": previous,
            "to": assignee.get_username() if assignee else "",
        },
    )


@transaction.atomic
def assign(*, ticket: Ticket, assignee, actor, request=None) -> Ticket:
    ticket = _locked(ticket)
    if assignee is not None and not (assignee.is_staff and assignee.is_active):
        raise ContactError(_("Une demande ne peut être attribuée qu’à un opérateur."))
    if ticket.status == TicketStatus.CLOS:
        raise ContactError(_("Une demande close ne peut pas être attribuée."))
    if ticket.assigned_to_id == (assignee.pk if assignee else None):
        return ticket
    _assign(ticket, assignee, actor, request)
    return ticket


@transaction.atomic
def answer(*, ticket: Ticket, actor, body: str, request=None) -> TicketMessage:
    """The operator's answer: kept in the thread, e-mailed to the sender
    (with the link to read the thread on the portal), status "répondu"."""
    ticket = _locked(ticket)
    body = body.strip()
    if not body:
        raise ContactError(_("Écrivez la réponse avant de l’envoyer."))
    if not ticket.reply_to and ticket.channel != Channel.LETTRE_RECOMMANDEE:
        raise ContactError(_("Cette demande n’a pas d’adresse e-mail de réponse."))
    _transition(
        ticket=ticket, event=TicketEvent.REPONDRE, who=OPERATEUR, actor=actor, request=request
    )
    now = timezone.now()
    if ticket.answered_at is None:
        ticket.answered_at = now
    if ticket.assigned_to_id is None:
        ticket.assigned_to = actor
    ticket.save(update_fields=["answered_at", "assigned_to"])
    message = TicketMessage.objects.create(
        ticket=ticket,
        author_kind=AuthorKind.OPERATEUR,
        author=actor,
        body=body,
        emailed_to=ticket.reply_to,
        created_at=now,
    )
    record_event(
        ContactEvent.TICKET_ANSWERED,
        actor=actor,
        request=request,
        target=ticket,
        data={
            "number": ticket.number,
            "message": message.pk,
            "in_time": ticket.answered_in_time,
            "emailed": bool(ticket.reply_to),
        },
    )
    if ticket.reply_to:
        notify_email(
            template=EMAILS + "ticket_answered",
            to=ticket.reply_to,
            context={
                "number": ticket.display_number,
                "subject": ticket.subject,
                "body": body,
                "url": reading_url(ticket),
            },
        )
    return message


@transaction.atomic
def user_reply(*, ticket: Ticket, body: str, actor=None, request=None) -> TicketMessage:
    """The sender writes again in the thread (signed in, or through the link)."""
    ticket = _locked(ticket)
    body = body.strip()
    if not body:
        raise ContactError(_("Écrivez votre message avant de l’envoyer."))
    if ticket.status == TicketStatus.CLOS:
        raise ContactError(
            _("Cette demande est close : envoyez une nouvelle demande avec le formulaire.")
        )
    _transition(ticket=ticket, event=TicketEvent.RELANCER, who=USAGER, actor=actor, request=request)
    message = TicketMessage.objects.create(
        ticket=ticket,
        author_kind=AuthorKind.USAGER,
        author=actor if actor is not None and actor.is_authenticated else None,
        body=body,
    )
    record_event(
        ContactEvent.TICKET_USER_REPLIED,
        actor=actor,
        request=request,
        target=ticket,
        data={"number": ticket.number, "message": message.pk},
    )
    return message


@transaction.atomic
def close(*, ticket: Ticket, actor, request=None) -> Ticket:
    ticket = _locked(ticket)
    _transition(ticket=ticket, event=TicketEvent.CLORE, who=OPERATEUR, actor=actor, request=request)
    return ticket


@transaction.atomic
def reopen(*, ticket: Ticket, actor, request=None) -> Ticket:
    ticket = _locked(ticket)
    _transition(
        ticket=ticket, event=TicketEvent.ROUVRIR, who=OPERATEUR, actor=actor, request=request
    )
    return ticket


@transaction.atomic
def close_mairie_ticket(*, mairie_request) -> None:
    """The operator handled the town-hall request in its own flow (account
    created or request refused, each with its e-mail): the ticket is closed."""
    ticket = Ticket.objects.select_for_update().filter(mairie_request=mairie_request).first()
    if ticket is None or ticket.status == TicketStatus.CLOS:
        return
    _transition(
        ticket=ticket,
        event=TicketEvent.CLORE,
        who=OPERATEUR,
        actor=None,
        request=None,
        data={"mairie_request_status": mairie_request.status},
    )
