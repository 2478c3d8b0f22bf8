import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CnilPasswordValidator:
    """CNIL 2022 recommendation (délibération 2022-100), first example:
    at least 12 characters mixing upper case, lower case, digits and
    special characters. Common passwords are refused by Django's
    CommonPasswordValidator, listed after this one."""

    min_length = 12

    def validate(self, password, user=None):
        kinds = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() and not c.isspace() or c in string.punctuation for c in password),
        ]
        if len(password) < self.min_length or not all(kinds):
            raise ValidationError(self.message(), code="password_too_weak")

    def message(self):
        return _(
            "Votre mot de passe doit contenir au moins 12 caractères, dont au moins une "
            "majuscule, une minuscule, un chiffre et un caractère spécial."
        )

    def get_help_text(self):
        return self.message()
