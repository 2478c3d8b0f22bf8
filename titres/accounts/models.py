from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Profile, SecretQuestion, Sex


class User(AbstractUser):
    """A portal account. `username` is the identifier chosen at sign-up."""

    profile = models.CharField(
        _("profil principal"), max_length=32, choices=Profile.choices, default=Profile.PARTICULIER
    )
    email = models.EmailField(_("adresse e-mail"), unique=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    secret_question = models.CharField(
        _("question secrète"), max_length=40, choices=SecretQuestion.choices, blank=True
    )
    secret_answer_hash = models.CharField(max_length=256, blank=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Professional profiles.
    organisation_name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    approval_number = models.CharField(_("numéro d’agrément"), max_length=40, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    # Temporary suspension by an operator (seed 000 §1.11).
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")

    @property
    def audit_role(self) -> str:
        if self.is_staff:
            return "operateur"
        return self.profile
