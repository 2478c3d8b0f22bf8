"""What the professionals' space keeps between requests: bulk downloads
of CPIs and accusés and batches of declarations, each processed by a
background task (imported by titres.vehicules.models so Django sees them)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .purchase_scan import scan_upload_to


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
    # Stock entries (déclarations d'achat) whose accusé goes in the archive.
    purchases = models.JSONField(_("déclarations d’achat"), default=list)
    # Déclarations de cession (the seller's) whose certificate goes in it.
    cessions = models.JSONField(_("déclarations de cession"), default=list)
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


class BatchSubmission(models.Model):
    """A CSV of declarations (achat, cession) uploaded by a professional,
    processed line by line by a task: each line is applied whole or not at
    all, and its `BatchLine` says which (new numbers, or the reason)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("fichier"), max_length=120)
    source = models.TextField(_("contenu du fichier"))
    state = models.CharField(
        _("état"), max_length=12, choices=JobState.choices, default=JobState.EN_ATTENTE
    )
    total = models.PositiveIntegerField(_("lignes"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dépôt par lot")
        verbose_name_plural = _("dépôts par lot")

    def __str__(self):
        return f"{self.filename} — {self.get_state_display()}"


class BatchLine(models.Model):
    """The outcome of one line of a batch, written in the transaction that
    applies it (a retried task resumes after the last one)."""

    batch = models.ForeignKey(BatchSubmission, on_delete=models.CASCADE, related_name="lines")
    number = models.PositiveIntegerField(_("ligne"))
    kind = models.CharField(_("type"), max_length=20, blank=True)
    plate = models.CharField(_("immatriculation"), max_length=20, blank=True)
    accepted = models.BooleanField(_("acceptée"))
    message = models.CharField(_("motif"), max_length=300, blank=True)
    registration_number = models.CharField(_("numéro d’enregistrement"), max_length=20, blank=True)
    code = models.CharField(_("code de cession"), max_length=20, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="vehicules_batchline_unique")
        ]
        verbose_name = _("ligne de lot")
        verbose_name_plural = _("lignes de lot")

    def __str__(self):
        return f"{self.batch_id} #{self.number}"

    @property
    def kind_label(self) -> str:
        """The line's type as people read it (an unknown type as typed)."""
        labels = {"cession": _("Déclaration de cession"), "achat": _("Déclaration d’achat")}
        return str(labels.get(self.kind.lower(), self.kind))


class PurchaseProof(models.TextChoices):
    """What the seller handed the professional as proof of the sale."""

    CERTIFICAT = "certificat_barre", _("Certificat d’immatriculation barré et signé par le vendeur")
    CODE = "code_cession", _("Code de cession remis par le vendeur")


class StockVehicle(models.Model):
    """A vehicle a habilitated professional bought for resale (déclaration
    d'achat, cerfa 13751): the registry knows the professional holds it;
    the certificate is not reissued and the holders do not change. The
    resale is the professional's déclaration de cession (`resale`); while
    it is open or used, the vehicle has left the stock. Written only by
    professionnels/stock.py."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The registry's record of the purchase outlives the professional's
    # account: a terminated habilitation detaches the entry (owner None,
    # `detached_filer` names the company; personal_data.detach). PROTECT:
    # nothing else may delete an account that still holds purchases.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_vehicles",
    )
    detached_filer = models.JSONField(
        _("professionnel dont l’habilitation est résiliée"), default=dict, blank=True
    )
    habilitation_number = models.CharField(_("numéro d’habilitation"), max_length=40)
    vehicle = models.ForeignKey(
        "vehicules.Vehicle", on_delete=models.PROTECT, related_name="stock_entries"
    )
    seller_name = models.CharField(_("vendeur"), max_length=200)
    purchased_at = models.DateTimeField(_("date et heure de l’achat"))
    mileage = models.PositiveIntegerField(_("kilométrage à l’achat"))
    proof = models.CharField(_("justificatif"), max_length=20, choices=PurchaseProof.choices)
    seller_cession = models.ForeignKey(
        "vehicules.CessionDeclaration",
        verbose_name=_("déclaration de cession du vendeur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("adresse de l’établissement"), max_length=120)
    postal_code = models.CharField(_("code postal"), max_length=5)
    commune = models.CharField(_("commune"), max_length=100)
    registration_number = models.CharField(_("numéro d’enregistrement"), max_length=10, unique=True)
    # The barred certificate's scan (purchase_scan.py): required on the
    # screen with the « certificat barré » proof; a batch line has none.
    certificate_scan = models.FileField(
        _("certificat barré (scan)"), upload_to=scan_upload_to, blank=True
    )
    certificate_scan_name = models.CharField(_("nom du fichier"), max_length=120, blank=True)
    certificate_scan_type = models.CharField(_("type du fichier"), max_length=40, blank=True)
    certificate_scan_pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    certificate_scan_sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    by_batch = models.BooleanField(_("déclarée par dépôt de fichier"), default=False)
    resale = models.ForeignKey(
        "vehicules.CessionDeclaration",
        verbose_name=_("déclaration de cession de la revente"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_resales",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-purchased_at", "-id"]
        verbose_name = _("véhicule en stock")
        verbose_name_plural = _("véhicules en stock (déclarations d’achat)")
        constraints = [
            # A vehicle is in one professional's stock at a time; a
            # terminated professional's entry no longer holds it.
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=models.Q(resale__isnull=True, owner__isnull=False),
                name="vehicules_one_open_stock_entry",
            ),
        ]
        indexes = [models.Index(fields=["owner", "-purchased_at"], name="vehicules_stock_owner")]

    def __str__(self):
        return f"{self.vehicle_id} — {self.habilitation_number}"

    @property
    def in_stock(self) -> bool:
        return self.resale_id is None and self.owner_id is not None
