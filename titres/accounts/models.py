from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import HabilitationStatus, MairieRequestStatus, Profile, SecretQuestion, Sex
from .identifiers import email_key, identifier_key


class User(AbstractUser):
    """A portal account. `username` is the identifier chosen at sign-up.

    `is_active` is False until the e-mail address is confirmed (self sign-up)
    and while a SIV habilitation is suspended. A temporary suspension by an
    operator keeps `is_active` and sets `suspended_until` instead, so that it
    ends by itself."""

    profile = models.CharField(
        _("profil principal"), max_length=32, choices=Profile.choices, default=Profile.PARTICULIER
    )
    email = models.EmailField(_("adresse e-mail"), unique=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    # E.164 (+33…), ready for SMS; shown in the national 10-digit form.
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    secret_question = models.CharField(
        _("question secrète"), max_length=40, choices=SecretQuestion.choices, blank=True
    )
    secret_answer_hash = models.CharField(max_length=256, blank=True)
    email_verified_at = models.DateTimeField(_("adresse e-mail vérifiée le"), null=True, blank=True)
    # Professional profiles.
    organisation_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    approval_number = models.CharField(_("numéro d’agrément"), max_length=40, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    dr_count = models.PositiveSmallIntegerField(
        _("nombre de dispositifs de recueil"), null=True, blank=True
    )
    # Temporary suspension by an operator (seed 000 §1.11).
    suspended_until = models.DateTimeField(_("suspendu jusqu’au"), null=True, blank=True)
    suspension_reason = models.TextField(_("motif de la suspension"), blank=True)
    # The one normalisation of identifiers.py, kept by save(): every lookup
    # of what a person typed compares these exactly, and they are unique, so
    # two accounts cannot differ only by case or compatibility characters.
    username_key = models.CharField(max_length=150, unique=True, editable=False)
    email_key = models.CharField(max_length=254, unique=True, editable=False)

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")

    def save(self, *args, **kwargs):
        self.username_key = identifier_key(self.username)
        self.email_key = email_key(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"username": "username_key", "email": "email_key"}
            kwargs["update_fields"] = {*update_fields} | {
                extra[name] for name in update_fields if name in extra
            }
        super().save(*args, **kwargs)

    @property
    def audit_role(self) -> str:
        if self.is_staff:
            return "operateur"
        return self.profile

    @property
    def is_suspended(self) -> bool:
        return bool(self.suspended_until and self.suspended_until > timezone.now())

    @property
    def display_name(self) -> str:
        return self.organisation_name or self.get_full_name() or self.username

    def set_secret_answer(self, answer: str) -> None:
        self.secret_answer_hash = make_password(normalise_secret_answer(answer))

    def check_secret_answer(self, answer: str) -> bool:
        if not self.secret_answer_hash:
            return False
        return check_password(normalise_secret_answer(answer), self.secret_answer_hash)


def normalise_secret_answer(answer: str) -> str:
    # Case and surrounding spaces should not make a right answer wrong.
    return " ".join(answer.split()).casefold()


class TermsVersion(models.Model):
    """One published version of the terms of use (CGU). The current version
    is the latest one already published; users accept it at sign-up and again
    at their next login after a newer version is published."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(
        _("titre"), max_length=200, default="Conditions générales d’utilisation"
    )
    text = models.TextField(_("texte"))
    summary_of_changes = models.TextField(_("résumé des modifications"), blank=True)
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("version des conditions générales")
        verbose_name_plural = _("versions des conditions générales")

    def __str__(self):
        return _("CGU version %(version)s") % {"version": self.version}


class TermsAcceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="terms_acceptances"
    )
    version = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("acceptée le"), default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="unique_terms_acceptance")
        ]
        verbose_name = _("acceptation des conditions générales")
        verbose_name_plural = _("acceptations des conditions générales")

    def __str__(self):
        return f"{self.user_id} v{self.version_id} {self.accepted_at:%Y-%m-%d}"


class Habilitation(models.Model):
    """A prefecture's authorisation of an automotive professional to use the
    vehicle registration system (SIV). The account follows it (seed 000
    §1.11.4): suspended → account deactivated, reactivated → account back
    with its files, terminated → account and data deleted."""

    number = models.CharField(_("numéro d’habilitation"), max_length=40, unique=True)
    department = models.CharField(_("département"), max_length=3)
    starts_on = models.DateField(_("date de début"))
    ends_on = models.DateField(_("date de fin"), null=True, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=HabilitationStatus.choices,
        default=HabilitationStatus.ACTIVE,
    )
    organisation_name = models.CharField(_("raison sociale"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    # Contact of the professional; the account is created from these.
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"))
    username = models.CharField(_("identifiant du compte"), max_length=150)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="habilitation",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("habilitation SIV")
        verbose_name_plural = _("habilitations SIV")

    def __str__(self):
        return f"{self.number} — {self.organisation_name}"


class MairieAccountRequest(models.Model):
    """A town hall's request for an account, sent with the public contact
    form (seed 000 §1.5); an operator creates the account from it."""

    commune = models.CharField(_("commune"), max_length=200)
    insee_code = models.CharField(_("code INSEE de la commune"), max_length=5)
    department = models.CharField(_("département"), max_length=3)
    dr_count = models.PositiveSmallIntegerField(_("nombre de dispositifs de recueil"))
    contact_first_name = models.CharField(_("prénom"), max_length=150)
    contact_last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"))
    phone = models.CharField(_("téléphone"), max_length=20)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=MairieRequestStatus.choices,
        default=MairieRequestStatus.EN_ATTENTE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande de compte mairie")
        verbose_name_plural = _("demandes de compte mairie")

    def __str__(self):
        return f"{self.commune} ({self.insee_code})"


class LoginThrottle(models.Model):
    """Consecutive failed logins of one account (or identifier) or one IP
    address, and until when it is locked (titres.accounts.lockout).

    Kept in the database, not the cache: the lock must hold on every app
    server, survive a Redis restart or outage, and be visible to operators.
    `key` is a SHA-256, so the table holds no identifier or address."""

    scope = models.CharField(max_length=10)  # "account" or "ip"
    key = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(db_index=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("compteur d’échecs de connexion")
        verbose_name_plural = _("compteurs d’échecs de connexion")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="accounts_login_throttle_unique")
        ]

    def __str__(self):
        return f"{self.scope} {self.key[:8]}… ×{self.failures}"
