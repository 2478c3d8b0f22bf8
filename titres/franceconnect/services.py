"""Every write of the FranceConnect sign-in: account creation, link, unlink.
One audit event each (titres.core.journal)."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from titres.accounts.identifiers import email_key, identifier_key
from titres.core import ratelimit, refusals
from titres.core.journal import client_ip, record_event
from titres.core.notifications import notify_email, site_url
from titres.franceconnect.audit import FranceConnectEvent

from .client import Authentication, FranceConnectError, Reason
from .enums import IdentityOrigin, LinkMethod
from .models import FranceConnectIdentity, LinkRequest

User = get_user_model()

LINK_REQUEST_LIFETIME = datetime.timedelta(hours=1)
MAX_PASSWORD_ATTEMPTS = 5
# "Send me a link" e-mails: per account, and per IP address.
LINK_EMAIL_ACCOUNT_LIMIT = "3/hour"
LINK_EMAIL_IP_LIMIT = "20/hour"
GENDER_TO_SEX = {"female": "F", "male": "M"}


class LinkError(Exception):
    """A refusal shown to the person as is (French message)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class PivotIdentity:
    given_name: str
    family_name: str
    preferred_username: str
    birthdate: datetime.date | None
    gender: str
    birthplace: str
    birthcountry: str
    email: str

    @classmethod
    def from_claims(cls, claims: dict) -> "PivotIdentity":
        def text(name, limit=200):
            value = claims.get(name) or ""
            return str(value).strip()[:limit]

        try:
            birthdate = datetime.date.fromisoformat(text("birthdate", 10))
        except ValueError:
            # FranceConnect may send a partial date (e.g. 1950-00-00) for
            # people whose exact birth date is unknown.
            birthdate = None
        return cls(
            given_name=text("given_name"),
            family_name=text("family_name"),
            preferred_username=text("preferred_username"),
            birthdate=birthdate,
            gender=text("gender", 10),
            birthplace=text("birthplace", 5),
            birthcountry=text("birthcountry", 5),
            email=text("email", 254).lower(),
        )

    def as_fields(self) -> dict:
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "preferred_username": self.preferred_username,
            "birthdate": self.birthdate,
            "gender": self.gender,
            "birthplace": self.birthplace,
            "birthcountry": self.birthcountry,
            "email": self.email,
        }


def origin_for(issuer: str) -> str:
    host = (urlsplit(issuer).hostname or "").lower()
    if host == "franceconnect.gouv.fr" or host.endswith(".franceconnect.gouv.fr"):
        return IdentityOrigin.FRANCECONNECT
    if host.endswith("dev-franceconnect.fr"):
        return IdentityOrigin.FRANCECONNECT_INTEGRATION
    return IdentityOrigin.LOCAL_PROVIDER


@dataclass
class SignInOutcome:
    user: User | None = None
    created: bool = False
    link_request: LinkRequest | None = None


def check_can_sign_in(user) -> None:
    if getattr(user, "is_suspended", False):
        raise LinkError(
            _(
                "Votre compte est suspendu. Pour toute question, contactez le service "
                "client de l’ANTS."
            ),
            reason="account_suspended",
        )
    if not user.is_active:
        raise LinkError(_("Votre compte est désactivé."), reason="account_inactive")


def _refresh_identity(identity: FranceConnectIdentity, auth: Authentication) -> None:
    now = timezone.now()
    for key, value in PivotIdentity.from_claims(auth.userinfo).as_fields().items():
        setattr(identity, key, value)
    identity.origin = origin_for(auth.issuer)
    identity.eidas_level = auth.acr
    identity.verified_at = now
    identity.last_login_at = now
    identity.save()


def _unique_username() -> str:
    while True:
        username = f"fc-{secrets.token_hex(5)}"
        if not User.objects.filter(username_key=identifier_key(username)).exists():
            return username


def _create_identity(*, user, sub, issuer, acr, claims, method) -> FranceConnectIdentity:
    now = timezone.now()
    pivot = PivotIdentity.from_claims(claims)
    try:
        with transaction.atomic():
            return FranceConnectIdentity.objects.create(
                user=user,
                sub=sub,
                issuer=issuer,
                origin=origin_for(issuer),
                eidas_level=acr,
                link_method=method,
                verified_at=now,
                last_login_at=now,
                **pivot.as_fields(),
            )
    except IntegrityError:
        raise LinkError(
            _(
                "Cette identité FranceConnect est déjà liée à un compte, ou ce compte est déjà "
                "lié à une autre identité FranceConnect."
            ),
            reason="already_linked",
        )


@transaction.atomic
def sign_in(*, auth: Authentication, request=None) -> SignInOutcome:
    """Find, link or create the account of a verified FranceConnect identity."""
    identity = (
        FranceConnectIdentity.objects.select_related("user")
        .filter(issuer=auth.issuer, sub=auth.sub)
        .first()
    )
    if identity is not None and auth.link_user_id not in (None, identity.user_id):
        raise LinkError(
            _("Cette identité FranceConnect est déjà liée à un autre compte."),
            reason="already_linked",
        )
    if identity is not None:
        check_can_sign_in(identity.user)
        _refresh_identity(identity, auth)
        record_event(
            FranceConnectEvent.LOGIN,
            actor=identity.user,
            request=request,
            target=identity.user,
            data={"acr": auth.acr, "origin": identity.origin},
        )
        return SignInOutcome(user=identity.user)

    if auth.link_user_id is not None:
        # Started from "Lier mon compte" while signed in: the session proves
        # ownership of the account.
        user = User.objects.filter(pk=auth.link_user_id).first()
        if user is None or getattr(request, "user", None) is None or request.user.pk != user.pk:
            raise LinkError(
                _("Votre session a changé : recommencez la liaison."), "session_changed"
            )
        identity = _create_identity(
            user=user,
            sub=auth.sub,
            issuer=auth.issuer,
            acr=auth.acr,
            claims=auth.userinfo,
            method=LinkMethod.SESSION,
        )
        record_event(
            FranceConnectEvent.LINKED,
            actor=user,
            request=request,
            target=user,
            data={"method": LinkMethod.SESSION, "acr": auth.acr, "origin": identity.origin},
        )
        return SignInOutcome(user=user)

    pivot = PivotIdentity.from_claims(auth.userinfo)
    if not pivot.email:
        raise FranceConnectError(Reason.MISSING_EMAIL)
    existing = User.objects.filter(email_key=email_key(pivot.email)).order_by("pk").first()
    if existing is not None:
        if FranceConnectIdentity.objects.filter(user=existing).exists():
            raise LinkError(
                _(
                    "Un compte utilisant l’adresse électronique transmise par FranceConnect est "
                    "déjà lié à une autre identité FranceConnect. Connectez-vous avec votre "
                    "identifiant et votre mot de passe."
                ),
                reason="email_account_linked_elsewhere",
            )
        link_request = LinkRequest.objects.create(
            user=existing,
            sub=auth.sub,
            issuer=auth.issuer,
            acr=auth.acr,
            claims=auth.userinfo,
            expires_at=timezone.now() + LINK_REQUEST_LIFETIME,
        )
        record_event(
            FranceConnectEvent.LINK_REQUESTED,
            actor=None,
            request=request,
            target=existing,
            data={"link_request": link_request.pk, "acr": auth.acr},
        )
        return SignInOutcome(link_request=link_request)

    user = User(
        username=_unique_username(),
        email=pivot.email,
        first_name=pivot.given_name[:150],
        last_name=(pivot.preferred_username or pivot.family_name)[:150],
        sex=GENDER_TO_SEX.get(pivot.gender, ""),
        is_active=True,
        email_verified_at=timezone.now(),
    )
    user.set_unusable_password()
    user.save()
    identity = _create_identity(
        user=user,
        sub=auth.sub,
        issuer=auth.issuer,
        acr=auth.acr,
        claims=auth.userinfo,
        method=LinkMethod.CREATED,
    )
    record_event(
        FranceConnectEvent.ACCOUNT_CREATED,
        actor=user,
        request=request,
        target=user,
        data={"acr": auth.acr, "origin": identity.origin},
    )
    return SignInOutcome(user=user, created=True)


def _open_link_request(link_request: LinkRequest) -> LinkRequest:
    link_request.refresh_from_db()
    if not link_request.is_open:
        raise LinkError(
            _(
                "Cette demande de liaison a expiré ou a déjà été utilisée. Recommencez la "
                "connexion avec FranceConnect."
            ),
            reason="link_request_closed",
        )
    return link_request


def _complete_link(link_request: LinkRequest, *, method: str, request=None):
    user = link_request.user
    check_can_sign_in(user)
    identity = _create_identity(
        user=user,
        sub=link_request.sub,
        issuer=link_request.issuer,
        acr=link_request.acr,
        claims=link_request.claims,
        method=method,
    )
    link_request.completed_at = timezone.now()
    link_request.save(update_fields=["completed_at"])
    record_event(
        FranceConnectEvent.LINKED,
        actor=user,
        request=request,
        target=user,
        data={"method": method, "acr": link_request.acr, "origin": identity.origin},
    )
    return identity


def confirm_link_with_password(*, link_request: LinkRequest, password: str, request=None):
    """Link once the existing account's password is given. Failures count
    towards the accounts lockout (same check as the login page)."""
    from titres.accounts.services.login import INVALID_LOGIN, authenticate_login

    link_request = _open_link_request(link_request)
    result = authenticate_login(
        identifier=link_request.user.get_username(), password=password, request=request
    )
    if result.user is None or result.user.pk != link_request.user_id:
        with transaction.atomic():
            link_request.failed_attempts += 1
            fields = ["failed_attempts"]
            if link_request.failed_attempts >= MAX_PASSWORD_ATTEMPTS:
                link_request.expires_at = timezone.now()
                fields.append("expires_at")
            link_request.save(update_fields=fields)
            record_event(
                FranceConnectEvent.LINK_PASSWORD_FAILED,
                actor=None,
                request=request,
                target=link_request.user,
                data={"link_request": link_request.pk, "attempts": link_request.failed_attempts},
            )
        if link_request.failed_attempts >= MAX_PASSWORD_ATTEMPTS:
            raise LinkError(
                _(
                    "Trop d’essais : la demande de liaison est annulée. Recommencez la "
                    "connexion avec FranceConnect, ou choisissez de recevoir un lien par "
                    "courriel."
                ),
                reason="too_many_attempts",
            )
        if result.error and result.error != INVALID_LOGIN:
            # Locked or suspended account: the accounts app says why.
            raise LinkError(str(result.error), reason="login_refused")
        raise LinkError(_("Mot de passe incorrect."), reason="wrong_password")
    with transaction.atomic():
        return _complete_link(link_request, method=LinkMethod.PASSWORD, request=request)


def identity_summary(link_request: LinkRequest) -> dict:
    """The FranceConnect identity a link request would attach to the account,
    shown to its holder before confirming (strings: e-mail context)."""
    pivot = PivotIdentity.from_claims(link_request.claims or {})
    return {
        "given_name": pivot.given_name,
        "family_name": pivot.family_name,
        "preferred_username": pivot.preferred_username,
        "birthdate": (
            formats.date_format(pivot.birthdate, "j F Y")
            if pivot.birthdate
            else _("non communiquée")
        ),
    }


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def send_link_email(*, link_request: LinkRequest, request=None) -> None:
    link_request = _open_link_request(link_request)
    ip = client_ip(request)
    if not ratelimit.hit(
        "franceconnect:link_email:account", str(link_request.user_id), LINK_EMAIL_ACCOUNT_LIMIT
    ) or (ip and not ratelimit.hit("franceconnect:link_email:ip", ip, LINK_EMAIL_IP_LIMIT)):
        raise LinkError(
            _(
                "Trop de liens de confirmation ont été demandés pour ce compte ou depuis votre "
                "adresse réseau. Utilisez le dernier lien reçu, ou réessayez dans une heure."
            ),
            reason="too_many_link_emails",
        )
    token = secrets.token_urlsafe(32)
    link_request.token_hash = _token_hash(token)
    link_request.save(update_fields=["token_hash"])
    user = link_request.user
    url = site_url(reverse("franceconnect:link_confirm", args=[token]))
    notify_email(
        template="franceconnect/emails/link",
        to=user.email,
        context={
            "name": user.get_full_name() or user.get_username(),
            "username": user.get_username(),
            "url": url,
            "minutes": int(LINK_REQUEST_LIFETIME.total_seconds() // 60),
            "identity": identity_summary(link_request),
        },
    )
    record_event(
        FranceConnectEvent.LINK_EMAIL_SENT,
        actor=None,
        request=request,
        target=user,
        data={"link_request": link_request.pk},
    )


def link_request_for_token(token: str) -> LinkRequest | None:
    if not token:
        return None
    return (
        LinkRequest.objects.select_related("user")
        .filter(token_hash=_token_hash(token), completed_at__isnull=True)
        .first()
    )


@transaction.atomic
def confirm_link_with_token(*, token: str, request=None) -> FranceConnectIdentity:
    link_request = link_request_for_token(token)
    if link_request is None:
        raise LinkError(
            _("Ce lien n’est pas valide ou a déjà été utilisé."), reason="unknown_token"
        )
    link_request = _open_link_request(link_request)
    return _complete_link(link_request, method=LinkMethod.EMAIL, request=request)


@transaction.atomic
def unlink(*, user, new_password: str | None = None, request=None) -> None:
    """Remove the link. An account created with FranceConnect has no
    password yet: one must be chosen, or the account could not be used."""
    identity = FranceConnectIdentity.objects.filter(user=user).first()
    if identity is None:
        raise LinkError(_("Votre compte n’est pas lié à FranceConnect."), reason="not_linked")
    if not user.has_usable_password():
        if not new_password:
            raise LinkError(
                _(
                    "Choisissez d’abord un mot de passe pour pouvoir vous connecter sans FranceConnect."
                ),
                reason="password_required",
            )
        user.set_password(new_password)
        user.save(update_fields=["password"])
    record_event(
        FranceConnectEvent.UNLINKED,
        actor=user,
        request=request,
        target=user,
        data={"origin": identity.origin, "password_set": bool(new_password)},
    )
    identity.delete()


def record_refusal(*, reason: str, detail: str = "", request=None) -> None:
    """Journal a refused sign-in. The callback answers anyone: anonymous
    refusals are aggregated per address, reason and hour (the first is
    journaled, the others counted), so that a script calling
    /franceconnect/callback/ in a loop cannot flood the journal."""
    data = {"reason": reason, "detail": detail[:500]}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        with transaction.atomic():
            record_event(
                FranceConnectEvent.LOGIN_REFUSED,
                actor=None,
                request=request,
                object_type="franceconnect.attempt",
                data=data,
            )
        return
    refusals.record_refusal(
        FranceConnectEvent.LOGIN_REFUSED,
        kind=reason,
        request=request,
        object_type="franceconnect.attempt",
        data=data,
    )
