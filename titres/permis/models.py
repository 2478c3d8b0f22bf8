from datetime import date, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from titres.core.normalisation import normalise_commune, normalise_first_names, normalise_name

from .enums import (
    CATEGORY_ORDER,
    Category,
    LicenceState,
    PhotographerKind,
    Sex,
    TitleStatus,
)
from .identifiers import format_ephoto_code, format_neph

TITLE_VALIDITY_YEARS = 15
EPHOTO_VALIDITY = timedelta(days=183)  # six months


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- National licence file (SNPC) --------------------------------------------


class LicenceRecord(models.Model):
    """One file of the national driving licence file (SNPC), keyed by NEPH.

    Holds the holder's civil status as registered; the `*_normalised`
    columns (upper case, no accents) serve matching and searching."""

    neph = models.CharField(
        _("NEPH (numéro de dossier)"),
        max_length=12,
        unique=True,
        validators=[
            RegexValidator(r"^[0-9]{12}$", _("Le NEPH comporte 12 chiffres.")),
        ],
    )
    # Civil status of the holder.
    birth_name = models.CharField(_("nom de naissance"), max_length=100)
    usage_name = models.CharField(_("nom d’usage"), max_length=100, blank=True)
    first_names = models.CharField(
        _("prénoms"),
        max_length=200,
        help_text=_("Dans l’ordre de l’état civil, séparés par des virgules."),
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date de naissance"))
    birth_commune = models.CharField(_("commune de naissance"), max_length=100, blank=True)
    birth_departement = models.CharField(
        _("département de naissance"),
        max_length=3,
        blank=True,
        help_text=_("Vide si la personne est née à l’étranger."),
    )
    birth_country = models.CharField(
        _("pays de naissance"),
        max_length=80,
        blank=True,
        help_text=_("Vide si la personne est née en France."),
    )
    birth_name_normalised = models.CharField(max_length=100, editable=False)
    usage_name_normalised = models.CharField(max_length=100, editable=False, blank=True)
    first_names_normalised = models.CharField(max_length=200, editable=False)
    # The licence.
    state = models.CharField(
        _("état du dossier"), max_length=10, choices=LicenceState.choices, default="valide"
    )
    state_since = models.DateField(_("état depuis le"), null=True, blank=True)
    suspension_end = models.DateField(_("fin de la suspension"), null=True, blank=True)
    points_balance = models.PositiveSmallIntegerField(_("solde de points"), default=12)
    # Permis probatoire: 6 points at the first licence, 12 after three
    # years (two after accompanied driving, AAC); see points_ceiling().
    probation_start = models.DateField(_("début de la période probatoire"), null=True, blank=True)
    probation_aac = models.BooleanField(_("apprentissage anticipé (AAC)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dossier SNPC")
        verbose_name_plural = _("dossiers SNPC (fichier national des permis)")
        ordering = ["birth_name_normalised", "first_names_normalised", "birth_date"]
        indexes = [
            models.Index(
                fields=["birth_name_normalised", "birth_date"], name="permis_rec_birthname"
            ),
            models.Index(
                fields=["usage_name_normalised", "birth_date"], name="permis_rec_usagename"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(points_balance__lte=12), name="permis_record_points_max_12"
            ),
        ]

    def __str__(self):
        return f"{format_neph(self.neph)} {self.birth_name} {self.first_names}"

    def save(self, *args, **kwargs):
        self.normalise()
        super().save(*args, **kwargs)

    def normalise(self):
        """Fill the search columns (also called by bulk generators)."""
        self.birth_name_normalised = normalise_name(self.birth_name)
        self.usage_name_normalised = normalise_name(self.usage_name)
        self.first_names_normalised = normalise_first_names(self.first_names)

    @property
    def first_names_list(self) -> list[str]:
        return [name.strip() for name in self.first_names.split(",") if name.strip()]

    @property
    def neph_display(self) -> str:
        return format_neph(self.neph)

    @property
    def born_abroad(self) -> bool:
        return bool(self.birth_country)

    @property
    def categories_in_order(self) -> list["LicenceCategory"]:
        return sorted(self.categories.all(), key=lambda c: CATEGORY_ORDER[c.category])

    @property
    def probation_years(self) -> int:
        return 2 if self.probation_aac else 3

    def probation_end(self) -> date | None:
        if self.probation_start is None:
            return None
        return add_years(self.probation_start, self.probation_years)

    def points_ceiling(self, on: date | None = None) -> int:
        """The licence's current maximum: 12, or during the probationary
        period 6 rising each full year without offence (+2 a year over
        three years, +3 a year over two years after AAC)."""
        on = on or timezone.localdate()
        end = self.probation_end()
        if end is None or on >= end:
            return 12
        years = 0
        while add_years(self.probation_start, years + 1) <= on:
            years += 1
        return min(12, 6 + years * (3 if self.probation_aac else 2))

    @property
    def current_title(self) -> "LicenceTitle | None":
        titles = [t for t in self.titles.all() if t.status == TitleStatus.VALIDE]
        return max(titles, key=lambda t: t.issued_on, default=None)


class LicenceCategory(models.Model):
    record = models.ForeignKey(LicenceRecord, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("catégorie"), max_length=3, choices=Category.choices)
    obtained_on = models.DateField(_("date d’obtention"))
    valid_until = models.DateField(
        _("fin de validité"),
        null=True,
        blank=True,
        help_text=_("Catégories du groupe lourd (C, D…) : visite médicale tous les 5 ans."),
    )

    class Meta:
        verbose_name = _("catégorie")
        verbose_name_plural = _("catégories")
        constraints = [
            models.UniqueConstraint(fields=["record", "category"], name="permis_category_once")
        ]

    def __str__(self):
        return f"{self.category} ({self.obtained_on:%d/%m/%Y})"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_until is None or self.valid_until >= day


class LicenceTitle(models.Model):
    """One physical card issued for a licence (valid 15 years)."""

    record = models.ForeignKey(LicenceRecord, on_delete=models.CASCADE, related_name="titles")
    number = models.CharField(_("numéro du titre"), max_length=12, unique=True)
    issued_on = models.DateField(_("date de délivrance"))
    valid_until = models.DateField(_("fin de validité administrative"))
    status = models.CharField(
        _("statut"), max_length=10, choices=TitleStatus.choices, default=TitleStatus.VALIDE
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("remplacé par"),
    )
    # Number of the request (démarche) that produced or replaced this card.
    demarche_number = models.CharField(_("numéro de la demande"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("titre délivré")
        verbose_name_plural = _("titres délivrés")
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return f"{self.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.issued_on and not self.valid_until:
            self.valid_until = add_years(self.issued_on, TITLE_VALIDITY_YEARS)
        super().save(*args, **kwargs)


class TheoryTest(models.Model):
    """The theory test (épreuve théorique générale, ETG, "le code"): once
    passed, valid five years for the practical tests taken within."""

    record = models.ForeignKey(LicenceRecord, on_delete=models.CASCADE, related_name="theory_tests")
    taken_on = models.DateField(_("date de l’épreuve"))
    passed = models.BooleanField(_("réussie"))
    centre = models.CharField(_("centre d’examen"), max_length=150)
    valid_until = models.DateField(_("valable jusqu’au"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("épreuve théorique (ETG)")
        verbose_name_plural = _("épreuves théoriques (ETG)")
        ordering = ["-taken_on", "-id"]

    def __str__(self):
        return f"ETG {self.taken_on:%d/%m/%Y} ({'réussie' if self.passed else 'échec'})"


class PracticalTest(models.Model):
    """A practical test of one category; a pass gives the certificate of
    examination (CEPC), a provisional right to drive for four months."""

    record = models.ForeignKey(
        LicenceRecord, on_delete=models.CASCADE, related_name="practical_tests"
    )
    category = models.CharField(_("catégorie"), max_length=3, choices=Category.choices)
    taken_on = models.DateField(_("date de l’épreuve"))
    passed = models.BooleanField(_("réussie"))
    centre = models.CharField(_("centre d’examen"), max_length=150)
    cepc_number = models.CharField(_("numéro du CEPC"), max_length=20, blank=True)
    cepc_valid_until = models.DateField(_("CEPC valable jusqu’au"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("épreuve pratique")
        verbose_name_plural = _("épreuves pratiques")
        ordering = ["-taken_on", "-id"]
        # Agents entering the examination centres' results (examiner.py).
        permissions = [
            ("record_exam_result", _("Peut saisir les résultats d’examen du permis de conduire"))
        ]

    def __str__(self):
        return f"{self.category} {self.taken_on:%d/%m/%Y} ({'réussie' if self.passed else 'échec'})"


class LicenceHolderLink(models.Model):
    """A citizen's account attached to their own SNPC file, after proving
    they know its NEPH and the holder's date of birth."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="licence_link"
    )
    record = models.OneToOneField(
        LicenceRecord, on_delete=models.CASCADE, related_name="holder_link"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rattachement d’un compte à un dossier SNPC")
        verbose_name_plural = _("rattachements de comptes aux dossiers SNPC")

    def __str__(self):
        return f"{self.user} → {self.record.neph}"


# --- Reference data: départements and communes --------------------------------


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=80)
    prefecture_insee_code = models.CharField(_("code INSEE du chef-lieu"), max_length=5)
    prefecture_name = models.CharField(_("préfecture"), max_length=80)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def prefecture_label(self) -> str:
        return gettext("Préfecture de %(name)s (%(code)s)") % {
            "name": self.prefecture_name,
            "code": self.code,
        }


class Commune(models.Model):
    """One (postal code, commune) pair of La Poste's official base: a commune
    may have several postal codes and a postal code several communes."""

    postal_code = models.CharField(_("code postal"), max_length=5, db_index=True)
    insee_code = models.CharField(_("code INSEE"), max_length=5)
    name = models.CharField(_("nom"), max_length=100)
    name_normalised = models.CharField(max_length=100, db_index=True, editable=False)
    departement_code = models.CharField(_("département"), max_length=3, db_index=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes (codes postaux)")
        ordering = ["postal_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["postal_code", "insee_code"], name="permis_commune_cp_insee"
            )
        ]

    def __str__(self):
        return f"{self.postal_code} {self.name}"

    def save(self, *args, **kwargs):
        self.name_normalised = normalise_commune(self.name)
        super().save(*args, **kwargs)


# --- Approved photographers and e-photo codes ---------------------------------


class Photographer(models.Model):
    """A photographer or photo booth approved to produce digital
    photo-signatures ("photo numérique") for the agency."""

    kind = models.CharField(_("type"), max_length=12, choices=PhotographerKind.choices)
    approval_number = models.CharField(_("numéro d’agrément"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    address = models.CharField(_("adresse"), max_length=200)
    postal_code = models.CharField(_("code postal"), max_length=5)
    commune = models.CharField(_("commune"), max_length=100)
    departement_code = models.CharField(_("département"), max_length=3, db_index=True)
    is_active = models.BooleanField(_("agrément en cours"), default=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="photographers",
        verbose_name=_("comptes du personnel"),
    )

    class Meta:
        verbose_name = _("photographe ou cabine agréé")
        verbose_name_plural = _("photographes et cabines agréés")
        ordering = ["departement_code", "commune", "name"]

    def __str__(self):
        return f"{self.name} ({self.approval_number})"


class EPhoto(models.Model):
    """A photo-signature registered by an approved photographer; the citizen
    gives its code in a request. Valid six months, used once."""

    photographer = models.ForeignKey(Photographer, on_delete=models.PROTECT, related_name="photos")
    code = models.CharField(_("code photo numérique"), max_length=22, unique=True)
    created_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("valable jusqu’au"))
    image = models.ImageField(_("photo"), upload_to="ephotos/", blank=True)
    signature = models.ImageField(_("signature"), upload_to="ephotos/", blank=True)
    used_at = models.DateTimeField(_("utilisée le"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utilisée par"),
    )
    used_reference = models.CharField(_("demande"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("photo numérique")
        verbose_name_plural = _("photos numériques (codes e-photo)")
        ordering = ["-created_at"]

    def __str__(self):
        return format_ephoto_code(self.code)

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = (self.created_at or timezone.now()) + EPHOTO_VALIDITY
        super().save(*args, **kwargs)

    @property
    def code_display(self) -> str:
        return format_ephoto_code(self.code)


# --- Requests of the "Permis de conduire" téléprocédure ------------------------


class LicenceRequest(models.Model):
    """What the submission of a licence request adds to its démarche: the
    SNPC file it was matched to and every difference found, so the agent
    sees mismatches instead of a silent match; the e-photo and stamp used.
    (`demarche.answers["_snpc"]` holds the same match for generic screens.)"""

    demarche = models.OneToOneField(
        "procedures.Demarche",
        on_delete=models.PROTECT,
        related_name="licence_request",
        verbose_name=_("démarche"),
    )
    motif = models.CharField(_("motif"), max_length=30)
    record = models.ForeignKey(
        LicenceRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("dossier SNPC rapproché"),
    )
    match_method = models.CharField(_("méthode de rapprochement"), max_length=20)
    match = models.JSONField(_("rapprochement SNPC"), default=dict)
    needs_review = models.BooleanField(
        _("incohérence à vérifier"),
        default=False,
        db_index=True,
        help_text=_("Dossier introuvable, ambigu, ou différent de la déclaration."),
    )
    ephoto = models.OneToOneField(
        EPhoto,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="licence_request",
        verbose_name=_("photo numérique"),
    )
    stamp_number = models.CharField(_("timbre fiscal"), max_length=16, blank=True)
    # Inscription (first licence): the categories sought and when the
    # prefecture's validation attributed the NEPH (`record` is then the
    # file created "en formation").
    categories = models.JSONField(_("catégories demandées"), default=list, blank=True)
    neph_attributed_at = models.DateTimeField(_("NEPH attribué le"), null=True, blank=True)
    created_at = models.DateTimeField(_("déposée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("demande de permis (rapprochement SNPC)")
        verbose_name_plural = _("demandes de permis (rapprochements SNPC)")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.demarche)


# Stages de récupération de points (their own module; registered here).
# The foreign licence surrendered at an exchange (its own module; registered here).
from .echange.models import ForeignLicence  # noqa: E402, F401
from .stages.models import PointsCredit, StageAttendee, StageSession  # noqa: E402, F401
