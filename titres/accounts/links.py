"""Links of the accounts' e-mails, made when the message is sent (see
`titres.core.notifications.link_maker`): a token's life starts when the
person can receive it, even after a long queue outage."""

from titres.core.notifications import link_maker

from . import tokens
from .models import User
from .services.common import url


def _user(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


@link_maker("accounts.password_reset")
def password_reset_link(user_pk: int) -> str | None:
    user = _user(user_pk)
    if user is None or not user.is_active:
        return None
    return url(
        "accounts:password_reset_confirm",
        tokens.encode_uid(user),
        tokens.password_reset_token.make_token(user),
    )


@link_maker("accounts.account_setup")
def account_setup_link(user_pk: int) -> str | None:
    user = _user(user_pk)
    if user is None:
        return None
    return url(
        "accounts:account_setup",
        tokens.encode_uid(user),
        tokens.account_setup_token.make_token(user),
    )


@link_maker("accounts.activation")
def activation_link(user_pk: int) -> str | None:
    user = _user(user_pk)
    if user is None:
        return None
    return url("accounts:activate", tokens.make_activation_token(user))


@link_maker("accounts.email_change")
def email_change_link(user_pk: int, new_email: str) -> str | None:
    user = _user(user_pk)
    if user is None:
        return None
    return url("accounts:email_confirm", tokens.make_email_change_token(user, new_email))
