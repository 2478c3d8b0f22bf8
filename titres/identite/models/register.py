"""The appointment register: pré-demande numbers with their coordination
API status, the appointments booked on them and the booking software
vendors allowed to read and write the register."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import ApplicationStatus, AppointmentSource, AppointmentStatus, Motif, TitleKind
from .meeting_points import CollectionDevice, MeetingPoint


class PreDemande(models.Model):
    """One pré-demande number: one person, one title. The filed answers live
    on the démarche; this row is what the register and the counter need."""

    number = models.CharField(_("numéro de pré-demande"), max_length=10, unique=True)
    title = models.CharField(_("titre"), max_length=12, choices=TitleKind.choices)
    motif = models.CharField(_("motif"), max_length=20, choices=Motif.choices)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.VALIDATED,
        db_index=True,
    )
    demarche = models.ForeignKey(
        "procedures.Demarche",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predemandes",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predemandes",
        verbose_name=_("télédéclarant"),
    )
    last_name = models.CharField(_("nom de naissance"), max_length=150)
    first_names = models.CharField(_("prénoms"), max_length=250)
    birth_date = models.DateField(_("date de naissance"))
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"), db_index=True)
    consumed_at = models.DateTimeField(_("recueillie le"), null=True, blank=True)
    consumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consumed_device = models.ForeignKey(
        CollectionDevice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pré-demande")
        verbose_name_plural = _("pré-demandes")
        # The partner API finds a citizen's pré-demandes by birth date, the
        # latest first, then compares the names (not normalised in the table).
        indexes = [models.Index(fields=["birth_date", "-created_at"])]

    def __str__(self):
        return self.number


class Vendor(models.Model):
    """A booking software vendor (éditeur) calling the coordination API.
    Only a SHA-256 of its token is stored; the token is shown once."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("début du jeton"), max_length=8, editable=False)
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernier appel"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("éditeur de logiciel de rendez-vous")
        verbose_name_plural = _("éditeurs de logiciels de rendez-vous")

    def __str__(self):
        return self.name


class Appointment(models.Model):
    """One place at a meeting point at a date. Booked on the portal it holds a
    device and a slot; declared by a vendor it may name a meeting point of
    the vendor's own agenda (`external_meeting_point`). Several places booked
    together share a `reference` and a management token."""

    reference = models.CharField(_("référence"), max_length=12, db_index=True)
    management_token = models.CharField(max_length=64, db_index=True, editable=False)
    meeting_point = models.ForeignKey(
        MeetingPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    device = models.ForeignKey(
        CollectionDevice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    external_meeting_point = models.CharField(_("lieu (éditeur)"), max_length=200, blank=True)
    external_meeting_point_id = models.CharField(max_length=100, blank=True)
    starts_at = models.DateTimeField(_("date du rendez-vous"), db_index=True)
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.ACTIVE,
        db_index=True,
    )
    source = models.CharField(
        _("origine"), max_length=8, choices=AppointmentSource.choices, default="portal"
    )
    vendor = models.ForeignKey(
        Vendor, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    management_url = models.URLField(_("lien de gestion"), max_length=500, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("adresse e-mail"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        indexes = [
            models.Index(fields=["device", "starts_at", "status"], name="identite_appt_slot"),
        ]

    def __str__(self):
        return f"{self.reference} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def place_label(self) -> str:
        if self.meeting_point_id:
            return str(self.meeting_point)
        return self.external_meeting_point


class AppointmentApplication(models.Model):
    """A pré-demande number attached to an appointment. `is_active` is True
    while the appointment is booked; the partial unique index makes a
    second active appointment for one number impossible, whatever the
    town hall, the vendor or the race."""

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="applications"
    )
    predemande = models.ForeignKey(
        PreDemande, on_delete=models.PROTECT, related_name="appointment_links"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("numéro du rendez-vous")
        verbose_name_plural = _("numéros du rendez-vous")
        constraints = [
            models.UniqueConstraint(
                fields=["predemande"],
                condition=Q(is_active=True),
                name="identite_one_active_appointment_per_number",
            )
        ]

    def __str__(self):
        return f"{self.appointment_id}:{self.predemande_id}"
