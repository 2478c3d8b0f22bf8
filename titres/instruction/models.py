from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from titres.procedures.models import Authority, Demarche

from .enums import AgentRole, EnrolmentKind, ProductionStatus


class AgentMembership(models.Model):
    """An agent's role on the files of one authority. A user may belong to
    several authorities (with one role each)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="agent_memberships",
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("autorité"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rôle"), max_length=30, choices=AgentRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rattachement d’un agent")
        verbose_name_plural = _("rattachements des agents")
        ordering = ["authority__code", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "authority"], name="instruction_member_once")
        ]

    def __str__(self):
        return f"{self.user} — {self.authority.code} ({self.get_role_display()})"


class Assignment(models.Model):
    """Who instructs a file: set by the chef de service, or taken by an agent."""

    demarche = models.OneToOneField(
        Demarche, on_delete=models.CASCADE, related_name="assignment", verbose_name=_("démarche")
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="instruction_assignments",
        verbose_name=_("agent"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assignée par"),
    )
    assigned_at = models.DateTimeField(_("assignée le"), auto_now=True)

    class Meta:
        verbose_name = _("assignation")
        verbose_name_plural = _("assignations")
        indexes = [models.Index(fields=["agent", "assigned_at"])]

    def __str__(self):
        return f"{self.demarche_id} → {self.agent_id}"


# The file's main number (NEPH, plate, VIN...): letters and digits only.
REFERENCE_LENGTH = 20


class DemarcheSearchEntry(models.Model):
    """Denormalised, indexed copy of what agents search on (seed 002
    "Outil de recherche avancée"). Names are normalised (upper case, no
    accents) so "Cornéille" finds CORNEILLE. Filled by
    `search.index_demarche` whenever a démarche is saved, from the values
    the file's procedure gives (`ProcedureDefinition.search_values`)."""

    demarche = models.OneToOneField(
        Demarche, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    # Display values (as declared).
    last_name_display = models.CharField(max_length=100, blank=True)
    first_names_display = models.CharField(max_length=200, blank=True)
    # Normalised values for matching.
    last_name = models.CharField(max_length=100, blank=True)
    usage_name = models.CharField(max_length=100, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    first_names = models.CharField(max_length=200, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    reference = models.CharField(max_length=REFERENCE_LENGTH, blank=True)
    motif = models.CharField(max_length=60, blank=True)
    postal_code = models.CharField(max_length=5, blank=True)
    departement = models.CharField(max_length=3, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Last transition, to flag e.g. a complement received.
    last_event = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("entrée de recherche")
        verbose_name_plural = _("index de recherche des démarches")
        indexes = [
            models.Index(fields=["last_name", "birth_date"], name="instr_search_name_birth"),
            models.Index(fields=["usage_name", "birth_date"], name="instr_search_usage_birth"),
            models.Index(fields=["reference"], name="instr_search_reference"),
            models.Index(fields=["postal_code"], name="instr_search_cp"),
        ]

    def __str__(self):
        return f"{self.last_name} {self.first_name} {self.birth_date}"


class ProductionOrder(models.Model):
    """A title ordered from the title factory for a validated file."""

    demarche = models.OneToOneField(
        Demarche, on_delete=models.PROTECT, related_name="production_order"
    )
    factory = models.CharField(_("fabricant"), max_length=30)
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=ProductionStatus.choices,
        default=ProductionStatus.COMMANDE,
    )
    external_reference = models.CharField(_("référence du fabricant"), max_length=64, blank=True)
    title_number = models.CharField(_("numéro du titre"), max_length=20, blank=True)
    tracking_number = models.CharField(_("numéro de suivi"), max_length=30, blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    ordered_at = models.DateTimeField(_("commandé le"), auto_now_add=True)
    produced_at = models.DateTimeField(_("fabriqué le"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("expédié le"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("ordre de fabrication")
        verbose_name_plural = _("ordres de fabrication")
        ordering = ["-ordered_at"]

    def __str__(self):
        return f"{self.demarche_id} {self.status}"


class OtpEnrolment(models.Model):
    """What lets an agent register a first authenticator besides the
    password (see enrolment.py): a mailed link or an operator's activation
    code. Only a keyed digest of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="otp_enrolments",
    )
    kind = models.CharField(_("moyen"), max_length=10, choices=EnrolmentKind.choices)
    # Empty until the mail is sent (the link's token is made then).
    digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    sent_to = models.EmailField(_("envoyé à"), blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("émis par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("émis le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)
    completed_at = models.DateTimeField(_("application enregistrée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrôlement du second facteur")
        verbose_name_plural = _("enrôlements du second facteur")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def state_label(self) -> str:
        from django.utils import timezone

        if self.completed_at:
            return _("application enregistrée")
        if self.used_at:
            return _("utilisé, application pas encore enregistrée")
        if self.revoked_at:
            return _("remplacé")
        if self.expires_at <= timezone.now():
            return _("expiré")
        return _("en attente")
