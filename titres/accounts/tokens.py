"""Links sent by e-mail.

- activation: signed, carries the account and the address it was sent to,
  valid ACCOUNT_ACTIVATION_HOURS; useless once the account is active.
- password reset: Django's generator (single use: it hashes the password and
  last login; valid PASSWORD_RESET_TIMEOUT seconds).
- first connection of an account created by an operator (SIV professional,
  town hall): the same mechanism with its own salt, valid
  ACCOUNT_ACTIVATION_HOURS, because the person may read the mail days later.
- e-mail change: signed, carries the old and the new address; single use
  because the old address no longer matches once applied.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

ACTIVATION_SALT = "titres.accounts.activation"
EMAIL_CHANGE_SALT = "titres.accounts.email-change"


def activation_max_age() -> int:
    return settings.ACCOUNT_ACTIVATION_HOURS * 3600


class InvalidToken(Exception):
    pass


class ExpiredToken(InvalidToken):
    pass


def make_activation_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=ACTIVATION_SALT, compress=True)


def read_activation_token(token: str) -> dict:
    try:
        return signing.loads(token, salt=ACTIVATION_SALT, max_age=activation_max_age())
    except signing.SignatureExpired:
        raise ExpiredToken
    except signing.BadSignature:
        raise InvalidToken


def make_email_change_token(user, new_email: str) -> str:
    return signing.dumps(
        {"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT, compress=True
    )


def read_email_change_token(token: str) -> dict:
    try:
        return signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=activation_max_age())
    except signing.SignatureExpired:
        raise ExpiredToken
    except signing.BadSignature:
        raise InvalidToken


class AccountSetupTokenGenerator(PasswordResetTokenGenerator):
    """Like the password reset generator, with its own salt and lifetime."""

    key_salt = "titres.accounts.tokens.AccountSetupTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - ts) <= activation_max_age()


password_reset_token = PasswordResetTokenGenerator()
account_setup_token = AccountSetupTokenGenerator()


def encode_uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def decode_uid(uidb64: str):
    try:
        return int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
