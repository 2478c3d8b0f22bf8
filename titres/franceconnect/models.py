from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .conf import EIDAS_RANK
from .enums import EidasLevel, IdentityOrigin, LinkMethod


class FranceConnectIdentity(models.Model):
    """The link between an account and a FranceConnect identity, with the
    pivot identity as FranceConnect certified it at the last sign-in.

    `sub` is pairwise: FranceConnect gives each service a different
    identifier for the same person, stable over time. OpenID Connect only
    promises it unique per issuer (Core 1.0 §2: "locally unique and never
    reassigned identifier within the Issuer"), so the link is keyed on
    (issuer, sub): FranceConnect's integration and production platforms, or
    a future identity provider, may reuse a value."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="franceconnect_identity",
        verbose_name=_("compte"),
    )
    sub = models.CharField(_("identifiant FranceConnect (sub)"), max_length=255)
    issuer = models.URLField(_("émetteur"), max_length=300)
    origin = models.CharField(
        _("origine de l’identité"), max_length=32, choices=IdentityOrigin.choices
    )
    eidas_level = models.CharField(
        _("niveau eIDAS"), max_length=10, choices=EidasLevel.choices, blank=True
    )
    # The pivot identity, verified by FranceConnect (never edited by hand).
    given_name = models.CharField(_("prénoms"), max_length=200)
    family_name = models.CharField(_("nom de naissance"), max_length=200)
    preferred_username = models.CharField(_("nom d’usage"), max_length=200, blank=True)
    birthdate = models.DateField(_("date de naissance"), null=True, blank=True)
    gender = models.CharField(_("sexe"), max_length=10, blank=True)
    birthplace = models.CharField(_("lieu de naissance (code COG)"), max_length=5, blank=True)
    birthcountry = models.CharField(_("pays de naissance (code COG)"), max_length=5, blank=True)
    email = models.EmailField(_("adresse électronique FranceConnect"), blank=True)
    link_method = models.CharField(_("mode de liaison"), max_length=16, choices=LinkMethod.choices)
    created_at = models.DateTimeField(_("liée le"), default=timezone.now)
    verified_at = models.DateTimeField(_("identité vérifiée le"), default=timezone.now)
    last_login_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("identité FranceConnect")
        verbose_name_plural = _("identités FranceConnect")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "sub"], name="franceconnect_identity_issuer_sub_unique"
            )
        ]

    def __str__(self):
        return f"{self.given_name} {self.family_name} ({self.get_origin_display()})"

    @property
    def eidas_rank(self) -> int:
        return EIDAS_RANK.get(self.eidas_level, 0)

    def satisfies(self, minimum: str = EidasLevel.EIDAS1) -> bool:
        return self.eidas_rank >= EIDAS_RANK[minimum]


class LinkRequest(models.Model):
    """A FranceConnect identity waiting to be linked to an existing account
    with the same e-mail address, until the person proves it owns that
    account (its password, or a link sent to the address)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sub = models.CharField(max_length=255)
    issuer = models.URLField(max_length=300)
    acr = models.CharField(max_length=10, blank=True)
    claims = models.JSONField(default=dict)
    # Only the SHA-256 of the e-mailed token is kept.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demande de liaison FranceConnect")
        verbose_name_plural = _("demandes de liaison FranceConnect")

    def __str__(self):
        return f"link request #{self.pk} → user {self.user_id}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None and self.expires_at > timezone.now()
