"""The geolocated directory (seed 000 §1.2 "Utilisation de la
géolocalisation"): one row per place, whatever its source, so that the
nearest-first search is one indexed query."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import EntryKind, EntrySource


class CommuneCentre(models.Model):
    """Where a commune lies (its town hall, else the centre of its outline),
    by INSEE code; loaded from data/commune_centres.csv.gz (see
    scripts/build_annuaire_geo.py for the source and its licence)."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    source = models.CharField(_("origine"), max_length=12)

    class Meta:
        verbose_name = _("centre de commune")
        verbose_name_plural = _("centres des communes")

    def __str__(self):
        return f"{self.insee_code} ({self.latitude:.4f}, {self.longitude:.4f})"


class DirectoryEntry(models.Model):
    kind = models.CharField(_("type"), max_length=16, choices=EntryKind.choices)
    source = models.CharField(_("source"), max_length=16, choices=EntrySource.choices)
    # Unique per source: the habilitation's or meeting point's primary key,
    # the approval number of an imported line.
    source_key = models.CharField(_("référence dans la source"), max_length=60)
    name = models.CharField(_("nom"), max_length=200)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True)
    departement_code = models.CharField(_("département"), max_length=3, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    opening_hours = models.CharField(_("horaires d’ouverture"), max_length=300, blank=True)
    appointment_url = models.CharField(
        _("lien de prise de rendez-vous"), max_length=300, blank=True
    )
    is_active = models.BooleanField(_("affiché"), default=True)
    habilitation = models.OneToOneField(
        "accounts.Habilitation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="directory_entry",
        editable=False,
    )
    meeting_point = models.OneToOneField(
        "identite.MeetingPoint",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="directory_entry",
        editable=False,
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lieu de l’annuaire")
        verbose_name_plural = _("annuaire géolocalisé")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key"], name="annuaire_entry_source")
        ]
        indexes = [
            models.Index(
                fields=["latitude", "longitude"],
                condition=models.Q(is_active=True),
                name="annuaire_entry_coords",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.postal_code} {self.commune})"

    @property
    def is_located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ImportReport(models.Model):
    """What one CSV import did, line by line (kept for the operator)."""

    created_at = models.DateTimeField(_("importé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("par"),
    )
    filename = models.CharField(_("fichier"), max_length=200)
    created_count = models.PositiveIntegerField(_("créés"), default=0)
    updated_count = models.PositiveIntegerField(_("mis à jour"), default=0)
    rejected_count = models.PositiveIntegerField(_("refusés"), default=0)
    deactivated_count = models.PositiveIntegerField(_("retirés"), default=0)
    # [{"line": 3, "status": "refusée", "message": "…"}, …]
    lines = models.JSONField(_("détail par ligne"), default=list)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import CSV de l’annuaire")
        verbose_name_plural = _("imports CSV de l’annuaire")

    def __str__(self):
        return f"{self.filename} ({self.created_at:%d/%m/%Y %H:%M})"
