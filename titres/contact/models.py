"""Tickets of the contact form and complaints (seed 000 §1.15, §1.16).

One model for both: a complaint (réclamation) is a ticket of kind
RECLAMATION with the date of the event it is about, a 60-day deadline
instead of 15 working days, and possibly a registered letter as its channel.
The operators' queue, the thread and the transitions are the same."""

import uuid
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from titres.core.numbering import format_number

from .enums import AuthorKind, Category, Channel, TicketKind, TicketStatus

OPEN_STATUSES = (TicketStatus.NOUVEAU, TicketStatus.EN_COURS)


def attachment_upload_to(instance, filename):
    # Random name: nothing about the person or the file leaks into storage.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"contact/{uuid.uuid4().hex}{suffix}"


class TicketQuerySet(models.QuerySet):
    def overdue(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(status__in=OPEN_STATUSES, due_on__lt=today)


class Ticket(models.Model):
    number = models.CharField(_("numéro"), max_length=16, unique=True)
    kind = models.CharField(
        _("type"), max_length=12, choices=TicketKind.choices, default=TicketKind.DEMANDE
    )
    category = models.CharField(_("catégorie"), max_length=12, choices=Category.choices)
    channel = models.CharField(
        _("canal"), max_length=20, choices=Channel.choices, default=Channel.FORMULAIRE
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.NOUVEAU
    )
    subject = models.CharField(_("objet"), max_length=150)
    demarche_number = models.CharField(_("numéro de démarche"), max_length=20, blank=True)
    # The sender: an account, or an e-mail address (anonymous form, letter).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_tickets",
    )
    name = models.CharField(_("nom"), max_length=150, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    postal_address = models.TextField(_("adresse postale"), blank=True)
    # Only the SHA-256 of the reading link's token is kept: the link is in
    # the acknowledgement e-mail, a copy of the database does not open it.
    access_token_hash = models.CharField(max_length=64, blank=True)
    received_on = models.DateField(_("reçu le"))
    due_on = models.DateField(_("réponse due le"))
    # Complaints: the event they are about, and whether they came more than
    # 30 days after it (§1.16: flagged, not refused).
    event_on = models.DateField(_("date de l’événement"), null=True, blank=True)
    is_late = models.BooleanField(_("réclamation tardive"), default=False)
    attachment = models.FileField(
        _("pièce jointe"), upload_to=attachment_upload_to, max_length=200, blank=True
    )
    attachment_name = models.CharField(_("nom de la pièce jointe"), max_length=120, blank=True)
    attachment_type = models.CharField(max_length=60, blank=True)
    mairie_request = models.OneToOneField(
        "accounts.MairieAccountRequest",
        verbose_name=_("demande de compte mairie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_ticket",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attribué à"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_contact_tickets",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    answered_at = models.DateTimeField(_("première réponse le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("demande de contact")
        verbose_name_plural = _("demandes de contact et réclamations")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.display_number

    @property
    def display_number(self) -> str:
        return format_number(self.number)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return timezone.localdate(self.answered_at) <= self.due_on

    @property
    def reply_to(self) -> str:
        return self.user.email if self.user_id and self.user.email else self.email


class TicketMessage(models.Model):
    """One message of a ticket's thread: the request itself, the answers of
    the operators (sent by e-mail) and the sender's follow-ups."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=10, choices=AuthorKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("message"))
    emailed_to = models.EmailField(_("envoyé à"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.ticket} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def from_operator(self) -> bool:
        return self.author_kind == AuthorKind.OPERATEUR
