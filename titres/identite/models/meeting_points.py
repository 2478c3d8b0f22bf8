"""A town hall's meeting points, its collection devices (DR) and what each
device publishes: weekly openings, exceptional openings and closures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
    (5, _("samedi")),
    (6, _("dimanche")),
]


class MeetingPoint(models.Model):
    """Where citizens come: a town hall (or an annex) run by one town-hall
    account. Coordinates are WGS-84 degrees; they locate the point for the
    distance search (the communes table carries none, see docs/identite.md)."""

    mairie = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_points",
        verbose_name=_("compte mairie"),
    )
    name = models.CharField(_("nom"), max_length=200)
    address = models.CharField(_("adresse"), max_length=250)
    postal_code = models.CharField(_("code postal"), max_length=5, db_index=True)
    city_name = models.CharField(_("commune"), max_length=100)
    insee_code = models.CharField(_("code INSEE"), max_length=5, db_index=True)
    departement_code = models.CharField(_("département"), max_length=3, db_index=True)
    latitude = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    is_published = models.BooleanField(_("publié"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu de rendez-vous")
        verbose_name_plural = _("lieux de rendez-vous")
        indexes = [models.Index(fields=["latitude", "longitude"], name="identite_mp_coords")]

    def __str__(self):
        return f"{self.name} ({self.postal_code} {self.city_name})"


class CollectionDevice(models.Model):
    """One dispositif de recueil (DR): the station where a file is taken.
    Each has its own agenda."""

    meeting_point = models.ForeignKey(
        MeetingPoint, on_delete=models.CASCADE, related_name="devices"
    )
    label = models.CharField(_("libellé"), max_length=60)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        ordering = ["meeting_point", "label"]
        verbose_name = _("dispositif de recueil")
        verbose_name_plural = _("dispositifs de recueil")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_point", "label"], name="identite_device_label_unique"
            )
        ]

    def __str__(self):
        return f"{self.meeting_point.name} — {self.label}"


class SlotShape(models.Model):
    """Hours cut into slots of `slot_minutes`, each for `people_per_slot`."""

    start_time = models.TimeField(_("heure de début"))
    end_time = models.TimeField(_("heure de fin"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("durée d’un créneau (minutes)"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )
    people_per_slot = models.PositiveSmallIntegerField(
        _("personnes par créneau"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError(_("L’heure de fin doit être après l’heure de début."))


class OpeningRule(SlotShape):
    """A weekly opening of a device, e.g. every Tuesday 9:00–12:00 in
    20-minute slots, from `valid_from` until `valid_until` (open-ended)."""

    device = models.ForeignKey(
        CollectionDevice, on_delete=models.CASCADE, related_name="opening_rules"
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=WEEKDAYS)
    valid_from = models.DateField(_("à partir du"))
    valid_until = models.DateField(_("jusqu’au"), null=True, blank=True)

    class Meta:
        ordering = ["device", "weekday", "start_time"]
        verbose_name = _("ouverture hebdomadaire")
        verbose_name_plural = _("ouvertures hebdomadaires")

    def __str__(self):
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class ExceptionalOpening(SlotShape):
    """An opening outside the weekly ones (a Saturday morning, say)."""

    device = models.ForeignKey(
        CollectionDevice, on_delete=models.CASCADE, related_name="exceptional_openings"
    )
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["device", "date", "start_time"]
        verbose_name = _("ouverture exceptionnelle")
        verbose_name_plural = _("ouvertures exceptionnelles")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class ClosurePeriod(models.Model):
    """Days without appointments, for the whole meeting point or one device
    (public holidays, works, a device under repair). Wins over openings,
    exceptional ones included."""

    meeting_point = models.ForeignKey(
        MeetingPoint, on_delete=models.CASCADE, related_name="closures"
    )
    device = models.ForeignKey(
        CollectionDevice,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text=_("Vide : tout le lieu est fermé."),
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")

    def __str__(self):
        return f"{self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y}"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(_("La date de fin doit être postérieure à la date de début."))
