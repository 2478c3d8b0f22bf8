"""Self sign-up and activation of the account by its e-mail link."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titres.accounts.audit import AccountsEvent
from titres.core.journal import record_event
from titres.core.notifications import notify_email

from .. import tokens
from ..enums import Profile
from ..identifiers import email_key
from ..models import TermsAcceptance, TermsVersion, User
from .common import EMAILS, AccountError, greeting_name, url

# Sign-up attempts (submitted forms) per IP address: a family or an office
# behind one address signs up a few accounts an hour, a script thousands.
SIGNUP_IP_LIMIT = "10/hour"
SIGNUP_LIMITED = gettext_lazy(
    "Trop de tentatives d’inscription depuis votre adresse réseau. Réessayez dans une heure."
)


@dataclass
class SignupData:
    profile: str
    username: str
    first_name: str
    last_name: str
    email: str
    sex: str
    phone: str
    secret_question: str
    secret_answer: str
    password: str
    organisation_name: str = ""
    approval_number: str = ""
    siret: str = ""


def send_activation(user: User) -> None:
    notify_email(
        template=EMAILS + "activation",
        to=user.email,
        context={
            "name": greeting_name(user),
            "username": user.username,
            "hours": settings.ACCOUNT_ACTIVATION_HOURS,
        },
        links={"link": ["accounts.activation", user.pk]},
    )


@transaction.atomic
def signup_with_existing_email(*, email: str, request=None) -> None:
    """Someone signed up with an address that has an account: the visitor
    sees the usual "check your e-mails" page, and the address's owner gets
    a mail saying so, with the login and recovery links (at most
    RECOVERY_TARGET_LIMIT an hour, like recovery mails)."""
    from .recovery import recovery_mail_allowed

    user = User.objects.filter(email_key=email_key(email)).first()
    if user is None or not recovery_mail_allowed("signup_existing", user.email):
        return
    record_event(AccountsEvent.SIGNUP_EXISTING_EMAIL, actor=None, request=request, target=user)
    notify_email(
        template=EMAILS + "signup_existing_email",
        to=user.email,
        context={
            "name": greeting_name(user),
            "login_link": url("accounts:login"),
            "reset_link": url("accounts:password_reset"),
        },
    )


@transaction.atomic
def sign_up(*, data: SignupData, terms: TermsVersion | None, request=None) -> User:
    """Create an inactive account of a self sign-up profile and send the
    activation link. Field validation is done by the form."""
    if data.profile in (Profile.PRO_SIV, Profile.MAIRIE):
        raise AccountError(_("Ce profil ne peut pas créer son compte lui-même."))
    user = User(
        username=data.username,
        email=data.email,
        first_name=data.first_name,
        last_name=data.last_name,
        profile=data.profile,
        sex=data.sex,
        phone=data.phone,
        secret_question=data.secret_question,
        organisation_name=data.organisation_name,
        approval_number=data.approval_number,
        siret=data.siret,
        is_active=False,
    )
    user.set_password(data.password)
    user.set_secret_answer(data.secret_answer)
    user.save()
    if terms is not None:
        TermsAcceptance.objects.create(user=user, version_id=terms.pk)
    record_event(
        AccountsEvent.SIGNUP,
        actor=None,
        actor_role=data.profile,
        request=request,
        target=user,
        data={
            "username": user.username,
            "profile": user.profile,
            "terms_version": terms.version if terms else None,
        },
    )
    send_activation(user)
    return user


class AlreadyActive(AccountError):
    pass


@transaction.atomic
def activate_account(*, token: str, request=None) -> User:
    """Raise tokens.ExpiredToken, tokens.InvalidToken or AlreadyActive."""
    payload = tokens.read_activation_token(token)
    user = User.objects.select_for_update().filter(pk=payload.get("u")).first()
    if user is None or user.email != payload.get("e"):
        raise tokens.InvalidToken
    if user.email_verified_at is not None:
        raise AlreadyActive(_("Votre compte est déjà activé : vous pouvez vous connecter."))
    user.is_active = True
    user.email_verified_at = timezone.now()
    user.save(update_fields=["is_active", "email_verified_at"])
    record_event(AccountsEvent.ACCOUNT_ACTIVATED, actor=user, request=request, target=user)
    return user
