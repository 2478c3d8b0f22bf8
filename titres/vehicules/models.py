"""The vehicle registry (SIV): vehicles, holders, administrative situation,
the journal of every registry change, the national plate sequence, and the
sellers' declarations of sale (codes de cession).

The registry only changes through `titres.vehicules.services`; each change
adds a `RegistryEntry` (the vehicle's history, shown to agents) and an
audit-journal event."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from titres.core.normalisation import normalise_first_names, normalise_name

from . import plates
from .enums import (
    BLOCKING_SITUATIONS,
    Category,
    CertificateOperationKind,
    CessionState,
    DuplicateReason,
    Energy,
    HolderRole,
    LeaseKind,
    PersonKind,
    PlateSystem,
    RegistryEventKind,
    SituationKind,
)
from .identifiers import validate_formule, validate_vin

CESSION_CODE_VALIDITY = timedelta(days=15)
HALF_RATE_AGE_YEARS = 10


class Vehicle(models.Model):
    """A vehicle of the SIV. Field letters are those of the certificate."""

    plate = models.CharField(
        _("numéro d’immatriculation (A)"),
        max_length=12,
        unique=True,
        validators=[plates.validate_plate],
        help_text=_("Forme canonique : majuscules, sans tiret ni espace (AB123CD, 123AB01)."),
    )
    plate_system = models.CharField(
        _("système"), max_length=3, choices=PlateSystem.choices, default=PlateSystem.SIV
    )
    # Unique among the live registrations only (vehicules_vin_unique_live):
    # an annulled first registration keeps its record and history, and its
    # VIN may be registered again.
    vin = models.CharField(
        _("numéro d’identification VIN (E)"),
        max_length=17,
        db_index=True,
        validators=[validate_vin],
    )
    formule_number = models.CharField(
        _("numéro de formule"),
        max_length=11,
        blank=True,
        validators=[validate_formule],
        help_text=_("Certificats SIV seulement (format 2019AB12345)."),
    )
    ci_date = models.DateField(_("date du certificat d’immatriculation (I)"))
    first_registration_date = models.DateField(_("date de première immatriculation (B)"))
    category = models.CharField(_("genre national (J.1)"), max_length=5, choices=Category.choices)
    make = models.CharField(_("marque (D.1)"), max_length=40)
    vehicle_type = models.CharField(_("type, variante, version (D.2)"), max_length=40, blank=True)
    commercial_name = models.CharField(_("dénomination commerciale (D.3)"), max_length=60)
    energy = models.CharField(_("énergie (P.3)"), max_length=2, choices=Energy.choices)
    fiscal_power = models.PositiveSmallIntegerField(
        _("puissance administrative (P.6)"),
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    co2 = models.PositiveSmallIntegerField(_("CO2 en g/km (V.7)"), null=True, blank=True)
    gross_weight_kg = models.PositiveIntegerField(
        _("poids total autorisé en charge, kg (F.2)"), null=True, blank=True
    )
    seats = models.PositiveSmallIntegerField(_("places assises (S.1)"), null=True, blank=True)
    # Set when a first registration is annulled for good: its file rejected
    # or abandoned after filing, both final (services/reverts.
    # cancel_first_registration, with the active « immatriculation annulée »
    # inscription); emptied if an operator lifts that inscription.
    annulled_at = models.DateTimeField(_("immatriculation annulée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("véhicule")
        verbose_name_plural = _("véhicules (SIV)")
        ordering = ["plate"]
        constraints = [
            # A formule number belongs to SIV certificates only.
            models.CheckConstraint(
                condition=Q(plate_system="SIV") | Q(formule_number=""),
                name="vehicules_formule_siv_only",
            ),
            models.UniqueConstraint(
                fields=["formule_number"],
                condition=~Q(formule_number=""),
                name="vehicules_formule_unique",
            ),
            models.UniqueConstraint(
                fields=["vin"],
                condition=Q(annulled_at__isnull=True),
                name="vehicules_vin_unique_live",
            ),
        ]

    def __str__(self):
        return f"{self.plate_display} {self.make} {self.commercial_name}"

    @staticmethod
    def vin_registered(vin: str, *, exclude_pk=None) -> bool:
        """Whether a live (not annulled) registration has this VIN."""
        live = Vehicle.objects.filter(vin=vin, annulled_at__isnull=True)
        return live.exclude(pk=exclude_pk).exists() if exclude_pk else live.exists()

    @property
    def plate_display(self) -> str:
        return plates.display_form(self.plate_system, self.plate)

    @property
    def is_siv(self) -> bool:
        return self.plate_system == PlateSystem.SIV

    def age_years(self, on) -> int:
        born = self.first_registration_date
        years = on.year - born.year
        if (on.month, on.day) < (born.month, born.day):
            years -= 1
        return years

    def current_holders(self):
        return [h for h in self.holders.all() if h.until is None]

    @property
    def titulaire(self) -> "Holder | None":
        return next((h for h in self.current_holders() if h.role == HolderRole.TITULAIRE), None)

    @property
    def cotitulaires(self) -> list["Holder"]:
        return [h for h in self.current_holders() if h.role == HolderRole.COTITULAIRE]

    @property
    def locataire(self) -> "Holder | None":
        return next((h for h in self.current_holders() if h.role == HolderRole.LOCATAIRE), None)

    def active_situations(self) -> list["Situation"]:
        return [s for s in self.situations.all() if s.lifted_on is None]

    def blocking_situations(self) -> list["Situation"]:
        return [s for s in self.active_situations() if s.kind in BLOCKING_SITUATIONS]


class Holder(models.Model):
    """A holder of a vehicle's certificate: titulaire, cotitulaire or
    locataire (LLD/LOA). A change of holder closes the rows (`until`) and
    opens new ones: the history stays in the registry."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="holders")
    role = models.CharField(_("qualité"), max_length=12, choices=HolderRole.choices)
    person_kind = models.CharField(
        _("type de personne"), max_length=8, choices=PersonKind.choices, default="physique"
    )
    last_name = models.CharField(_("nom de naissance"), max_length=100, blank=True)
    usage_name = models.CharField(_("nom d’usage"), max_length=100, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=200, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    company_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    lease_kind = models.CharField(
        _("type de location"), max_length=3, choices=LeaseKind.choices, blank=True
    )
    since = models.DateField(_("depuis le"))
    until = models.DateField(_("jusqu’au"), null=True, blank=True)
    last_name_normalised = models.CharField(max_length=100, editable=False, blank=True)
    first_names_normalised = models.CharField(max_length=200, editable=False, blank=True)

    class Meta:
        verbose_name = _("titulaire")
        verbose_name_plural = _("titulaires")
        ordering = ["vehicle", "-since", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(role="titulaire", until__isnull=True),
                name="vehicules_one_current_titulaire",
            ),
            models.CheckConstraint(
                condition=~Q(role="locataire") | ~Q(lease_kind=""),
                name="vehicules_locataire_has_lease_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} : {self.display_name}"

    def save(self, *args, **kwargs):
        self.last_name_normalised = normalise_name(self.usage_name or self.last_name)
        self.first_names_normalised = normalise_first_names(self.first_names)
        super().save(*args, **kwargs)

    @property
    def is_company(self) -> bool:
        return self.person_kind == PersonKind.MORALE

    @property
    def display_name(self) -> str:
        if self.is_company:
            return self.company_name
        name = self.usage_name or self.last_name
        return f"{name.upper()} {self.first_names}".strip()


class Situation(models.Model):
    """One entry of the vehicle's administrative situation (gage,
    opposition, theft, damage, suspension, sale declared). Lifting an entry
    dates it; the row stays."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="situations")
    kind = models.CharField(_("inscription"), max_length=12, choices=SituationKind.choices)
    registered_on = models.DateField(_("inscrite le"))
    lifted_on = models.DateField(_("levée le"), null=True, blank=True)
    detail = models.CharField(
        _("précision"),
        max_length=200,
        blank=True,
        help_text=_("Créancier du gage, autorité de l’opposition, service de la plainte…"),
    )

    class Meta:
        verbose_name = _("inscription au fichier")
        verbose_name_plural = _("situation administrative")
        ordering = ["vehicle", "registered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle", "kind"],
                condition=Q(lifted_on__isnull=True),
                name="vehicules_one_active_situation_per_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.registered_on:%d/%m/%Y})"

    @property
    def active(self) -> bool:
        return self.lifted_on is None


class RegistryEntry(models.Model):
    """The vehicle's registry history (immatriculation, inscriptions,
    cession, changes of holder). Only appended to."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="history")
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    kind = models.CharField(_("opération"), max_length=24, choices=RegistryEventKind.choices)
    label = models.CharField(_("libellé"), max_length=300)
    data = models.JSONField(_("détail"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    demarche_number = models.CharField(_("démarche"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("opération au registre")
        verbose_name_plural = _("historique du registre")
        ordering = ["vehicle", "created_at", "id"]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y} {self.label}"


class PlateSequence(models.Model):
    """The national SIV counter: one row, locked while a number is drawn.
    `next_index` is the position (plates.plate_at) of the next candidate."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    next_index = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("série nationale SIV")
        verbose_name_plural = _("série nationale SIV")

    def __str__(self):
        return plates.display_form(PlateSystem.SIV, plates.plate_at(self.next_index))


class CessionDeclaration(models.Model):
    """A seller's declaration of sale (cerfa 15776 content) and the code de
    cession it gives the buyer. The code itself is never stored: only its
    keyed digest (shown once on screen and once in the e-mail)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="cessions")
    # None once a professional who declared it lost their account (terminated
    # habilitation): the declaration is the registry's and stays, named by
    # `seller_name`.
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vendeur (compte)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cessions_declarees",
    )
    seller_name = models.CharField(_("vendeur"), max_length=200)
    seller_last_name = models.CharField(_("nom du vendeur"), max_length=200, blank=True)
    seller_first_names = models.CharField(_("prénoms du vendeur"), max_length=200, blank=True)
    seller_address = models.CharField(_("adresse du vendeur"), max_length=300, blank=True)
    sold_at = models.DateTimeField(_("date et heure de la cession"))
    mileage = models.PositiveIntegerField(_("kilométrage inscrit au compteur"))
    buyer_kind = models.CharField(
        _("acquéreur"), max_length=8, choices=PersonKind.choices, default="physique"
    )
    buyer_last_name = models.CharField(_("nom de l’acquéreur"), max_length=100, blank=True)
    buyer_first_names = models.CharField(_("prénoms de l’acquéreur"), max_length=200, blank=True)
    buyer_birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    buyer_company_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    buyer_siret = models.CharField(_("SIRET de l’acquéreur"), max_length=14, blank=True)
    buyer_address = models.CharField(_("adresse de l’acquéreur"), max_length=120, blank=True)
    buyer_postal_code = models.CharField(_("code postal de l’acquéreur"), max_length=5, blank=True)
    buyer_commune = models.CharField(_("commune de l’acquéreur"), max_length=100, blank=True)
    buyer_email = models.EmailField(_("e-mail de l’acquéreur"), blank=True)
    buyer_last_name_normalised = models.CharField(max_length=100, editable=False, blank=True)
    code_digest = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(
        _("état"), max_length=10, choices=CessionState.choices, default=CessionState.ACTIVE
    )
    created_at = models.DateTimeField(_("enregistrée dans le SIV le"), default=timezone.now)
    expires_at = models.DateTimeField(_("code valable jusqu’au"))
    used_at = models.DateTimeField(_("code utilisé le"), null=True, blank=True)
    used_by_demarche = models.CharField(_("utilisé par la démarche"), max_length=20, blank=True)
    # "N° d’enregistrement" of the cession in the SIV (10 digits, 2D-Doc CB).
    registration_number = models.CharField(_("numéro d’enregistrement"), max_length=10, unique=True)

    class Meta:
        verbose_name = _("déclaration de cession")
        verbose_name_plural = _("déclarations de cession")
        ordering = ["-created_at"]
        constraints = [
            # One open declaration per vehicle at a time.
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(state="active"),
                name="vehicules_one_active_cession",
            ),
        ]

    def __str__(self):
        return f"{self.vehicle.plate_display} cédé le {self.sold_at:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.buyer_last_name_normalised = normalise_name(self.buyer_last_name)
        super().save(*args, **kwargs)

    @property
    def buyer_display(self) -> str:
        if self.buyer_kind == PersonKind.MORALE:
            return f"{self.buyer_company_name} (SIRET {self.buyer_siret})"
        return f"{self.buyer_last_name.upper()} {self.buyer_first_names}".strip()

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class ChangeOfHolder(models.Model):
    """The vehicle side of a change-of-holder démarche: which vehicle and
    declaration of sale, the taxes and their payment, the CPI, and what the
    registry became once validated."""

    demarche = models.OneToOneField(
        "procedures.Demarche", on_delete=models.PROTECT, related_name="changement_titulaire"
    )
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="changes")
    cession = models.ForeignKey(
        CessionDeclaration, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taxes = models.JSONField(_("taxes"), default=dict, blank=True)
    amount_cents = models.PositiveIntegerField(_("montant des taxes (centimes)"), default=0)
    payment_attempt = models.PositiveSmallIntegerField(default=0)
    payment_reference = models.CharField(_("référence du paiement"), max_length=20, blank=True)
    paid_at = models.DateTimeField(_("payé le"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("remboursé le"), null=True, blank=True)
    cpi_number = models.CharField(_("numéro du CPI"), max_length=20, blank=True)
    cpi_valid_until = models.DateField(_("CPI valable jusqu’au"), null=True, blank=True)
    old_plate = models.CharField(_("immatriculation avant"), max_length=12, blank=True)
    new_plate = models.CharField(_("immatriculation après"), max_length=12, blank=True)
    new_formule = models.CharField(_("nouveau numéro de formule"), max_length=11, blank=True)
    registered_at = models.DateTimeField(_("inscrit au SIV le"), null=True, blank=True)
    # A filed change rejected by the CERT or abandoned by its filer
    # (changement/decisions.withdraw_change): the CPI withdrawn, the taxes
    # refunded, and `code_released` whether the code de cession it spent
    # was given back to the buyer (services/cession.release_code).
    withdrawn_at = models.DateTimeField(_("demande retirée le"), null=True, blank=True)
    code_released = models.BooleanField(_("code de cession rétabli"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("changement de titulaire")
        verbose_name_plural = _("changements de titulaire")

    def __str__(self):
        return f"{self.vehicle.plate_display} — {self.demarche}"


class AddressChange(models.Model):
    """One change of the holders' address in the registry: the address
    before and after (the history), and how the certificate followed —
    a label (étiquette) numbered 1 to 3 on the SIV certificate it was
    sent for, or a new certificate."""

    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="address_changes")
    changed_on = models.DateField(_("date du changement"))
    formule_number = models.CharField(
        _("certificat concerné (numéro de formule)"), max_length=11, blank=True
    )
    label_number = models.PositiveSmallIntegerField(
        _("numéro de l’étiquette"), null=True, blank=True
    )
    new_certificate = models.BooleanField(_("nouveau certificat"), default=False)
    old_address = models.CharField(_("ancienne adresse"), max_length=200, blank=True)
    old_postal_code = models.CharField(_("ancien code postal"), max_length=5, blank=True)
    old_commune = models.CharField(_("ancienne commune"), max_length=100, blank=True)
    address = models.CharField(_("nouvelle adresse"), max_length=200)
    postal_code = models.CharField(_("nouveau code postal"), max_length=5)
    commune = models.CharField(_("nouvelle commune"), max_length=100)
    demarche_number = models.CharField(_("démarche"), max_length=20, blank=True)
    # Each holder's address before the change ({holder id: [address,
    # postal code, commune]}): a rejected change gives every holder back
    # their own, a cotitulaire's may differ from the titulaire's.
    old_holder_addresses = models.JSONField(default=dict, blank=True, editable=False)
    # A rejected change undone: the old address is back, its label is not
    # counted against the certificate's three.
    reverted_on = models.DateField(_("annulé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("changement d’adresse")
        verbose_name_plural = _("changements d’adresse")
        ordering = ["vehicle", "changed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(label_number__isnull=True, new_certificate=True)
                | Q(label_number__gte=1, label_number__lte=3, new_certificate=False),
                name="vehicules_address_label_or_certificate",
            ),
        ]

    def __str__(self):
        return f"{self.vehicle.plate_display} — {self.postal_code} {self.commune}"


class CancelledCertificate(models.Model):
    """A registration certificate that no longer stands for the vehicle:
    declared lost, stolen or damaged, replaced by a duplicate."""

    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="cancelled_certificates"
    )
    formule_number = models.CharField(_("numéro de formule"), max_length=11, blank=True)
    plate = models.CharField(_("immatriculation du certificat"), max_length=12)
    ci_date = models.DateField(_("date du certificat (I)"))
    reason = models.CharField(_("motif"), max_length=14, choices=DuplicateReason.choices)
    police_report_number = models.CharField(
        _("numéro du récépissé de plainte"), max_length=30, blank=True
    )
    cancelled_on = models.DateField(_("annulé le"))
    demarche_number = models.CharField(_("démarche"), max_length=20, blank=True)
    # The duplicate was rejected: this certificate stands for the vehicle again.
    restored_on = models.DateField(_("rétabli le"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificat annulé")
        verbose_name_plural = _("certificats annulés")
        ordering = ["vehicle", "cancelled_on", "id"]

    def __str__(self):
        return f"{self.formule_number or self.plate} ({self.get_reason_display()})"


class CertificateOperation(models.Model):
    """The vehicle side of an address change or a duplicate démarche:
    which vehicle, the taxes and their payment (duplicate), the CPI, and
    what the registry became at submission."""

    demarche = models.OneToOneField(
        "procedures.Demarche", on_delete=models.PROTECT, related_name="operation_certificat"
    )
    kind = models.CharField(_("opération"), max_length=10, choices=CertificateOperationKind.choices)
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="certificate_operations"
    )
    taxes = models.JSONField(_("taxes"), default=dict, blank=True)
    amount_cents = models.PositiveIntegerField(_("montant des taxes (centimes)"), default=0)
    payment_attempt = models.PositiveSmallIntegerField(default=0)
    payment_reference = models.CharField(_("référence du paiement"), max_length=20, blank=True)
    paid_at = models.DateTimeField(_("payé le"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("remboursé le"), null=True, blank=True)
    cpi_number = models.CharField(_("numéro du CPI"), max_length=20, blank=True)
    cpi_valid_until = models.DateField(_("CPI valable jusqu’au"), null=True, blank=True)
    label_number = models.PositiveSmallIntegerField(
        _("numéro de l’étiquette"), null=True, blank=True
    )
    new_certificate = models.BooleanField(_("nouveau certificat"), default=False)
    old_plate = models.CharField(_("immatriculation avant"), max_length=12, blank=True)
    new_plate = models.CharField(_("immatriculation après"), max_length=12, blank=True)
    new_formule = models.CharField(_("nouveau numéro de formule"), max_length=11, blank=True)
    # The certificate as it was before submission (the card the filer typed):
    # the SIV panel compares with it, a rejection restores it.
    old_formule = models.CharField(_("numéro de formule avant"), max_length=11, blank=True)
    old_ci_date = models.DateField(_("date du CI avant"), null=True, blank=True)
    registered_at = models.DateTimeField(_("inscrit au SIV le"), null=True, blank=True)
    # Rejected: the registry put back as it was (when nothing changed it
    # since), the CPI withdrawn.
    reverted_at = models.DateTimeField(_("annulée au SIV le"), null=True, blank=True)
    registry_restored = models.BooleanField(_("registre rétabli"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opération sur le certificat")
        verbose_name_plural = _("opérations sur le certificat (adresse, duplicata)")

    def __str__(self):
        return f"{self.get_kind_display()} {self.vehicle.plate_display} — {self.demarche}"


# The professionals' space's models live with it; imported here so that
# Django registers them with the app.
from .neuf.models import NewRegistration  # noqa: E402, F401
from .professionnels.models import (  # noqa: E402, F401
    BatchLine,
    BatchSubmission,
    BulkDownload,
    StockVehicle,
)
