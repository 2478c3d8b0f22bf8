"""What the professionals' space keeps between requests: bulk downloads
of CPIs and accusés, built by a background task (imported by
titres.vehicules.models so Django sees them)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    EN_COURS = "en_cours", _("En préparation")
    PRETE = "prete", _("Prête")
    ECHEC = "echec", _("Échec")


def archive_upload_to(instance, filename):
    # Random name: the storage never shows whose files these are.
    return f"vehicules/telechargements/{uuid.uuid4().hex}.zip"


class BulkDownload(models.Model):
    """One ZIP of the CPIs and accusés of a professional's selected files."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    numbers = models.JSONField(_("démarches"), default=list)
    state = models.CharField(
        _("état"),
        max_length=12,
        choices=JobState.choices,
        default=JobState.EN_ATTENTE,
    )
    total = models.PositiveIntegerField(_("nombre de démarches"), default=0)
    done = models.PositiveIntegerField(_("démarches traitées"), default=0)
    archive = models.FileField(_("archive"), upload_to=archive_upload_to, blank=True)
    error = models.CharField(_("erreur"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("téléchargement groupé")
        verbose_name_plural = _("téléchargements groupés")

    def __str__(self):
        return f"{self.get_state_display()} — {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)

    @property
    def is_finished(self) -> bool:
        return self.state in (JobState.PRETE, JobState.ECHEC)
