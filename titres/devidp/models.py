import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    """Values of the FranceConnect `gender` claim."""

    FEMALE = "female", _("Femme")
    MALE = "male", _("Homme")


class DemoCitizen(models.Model):
    """A person the local identity provider can sign in, with the pivot
    identity FranceConnect would return.

    django-oauth-toolkit ties codes and tokens to an AUTH_USER_MODEL row, so
    each citizen owns an inactive shadow account with an unusable password
    and an address under `.invalid`: it can never sign in to the portal and
    never collides with the citizen's own e-mail address."""

    slug = models.SlugField(unique=True)
    given_name = models.CharField(_("prénoms"), max_length=200)
    family_name = models.CharField(_("nom de naissance"), max_length=200)
    preferred_username = models.CharField(_("nom d’usage"), max_length=200, blank=True)
    birthdate = models.DateField(_("date de naissance"))
    gender = models.CharField(_("sexe"), max_length=6, choices=Gender.choices)
    # INSEE code of the commune (COG); empty for people born abroad.
    birthplace = models.CharField(_("lieu de naissance (code COG)"), max_length=5, blank=True)
    birthplace_label = models.CharField(_("lieu de naissance"), max_length=100, blank=True)
    # COG code of the country: 99100 for France.
    birthcountry = models.CharField(_("pays de naissance (code COG)"), max_length=5)
    birthcountry_label = models.CharField(_("pays de naissance"), max_length=100)
    email = models.EmailField(_("adresse électronique"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devidp_citizen"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("citoyen de démonstration")
        verbose_name_plural = _("citoyens de démonstration")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        family = self.family_name
        if self.preferred_username:
            family = f"{self.preferred_username} ({self.family_name})"
        return f"{self.given_name} {family}"

    def pairwise_sub(self, client_id: str) -> str:
        """A different, stable identifier per service, as FranceConnect does."""
        digest = hashlib.sha256(f"devidp:{self.slug}:{client_id}".encode()).hexdigest()
        return f"{digest}v1"

    def pivot_claims(self) -> dict:
        claims = {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "birthdate": self.birthdate.isoformat(),
            "gender": self.gender,
            "birthplace": self.birthplace,
            "birthcountry": self.birthcountry,
            "email": self.email,
        }
        if self.preferred_username:
            claims["preferred_username"] = self.preferred_username
        return claims
