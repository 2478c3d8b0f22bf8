"""First enrolment of an agent's second factor (security review, issue 10
item 10b): the password alone no longer lets anyone register an
authenticator. The agent must also hold one of

- an enrolment link e-mailed to the agent's address (`issue_link`; the
  token is made when the mail is sent, see `links.py`), or
- an activation code handed over by an operator (`issue_code`, shown once
  on the operator's screen).

Either is single-use, valid ENROLMENT_HOURS, bound to the account, and
stored as a keyed digest only. Issuing a new one revokes the pending ones.
Redeeming one (`redeem_link`, `redeem_code`) makes a fresh authenticator
secret (any secret shown before is deleted) and marks the session as
allowed to show its QR code; confirming the first code completes it
(`complete`). Every issue, redemption, refusal and completion is journaled."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from titres.core import ratelimit
from titres.core.journal import record_event
from titres.core.notifications import notify_email

from .audit import InstructionEvent
from .enums import EnrolmentKind
from .models import AgentMembership, OtpEnrolment

SESSION_KEY = "instruction_enrolment"
PENDING_LINK_KEY = "instruction_enrolment_link"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 12  # 60 bits
ATTEMPTS = "10/hour"  # links and codes tried, per account

UNKNOWN_LINK = gettext_lazy(
    "Ce lien d’enrôlement n’est pas valide. Ouvrez le lien complet du dernier courriel reçu, "
    "ou demandez un nouveau lien à votre opérateur."
)
OTHER_ACCOUNT_LINK = gettext_lazy(
    "Ce lien d’enrôlement a été envoyé pour un autre compte. Déconnectez-vous, puis "
    "connectez-vous avec le compte de l’agent qui l’a reçu."
)
USED_LINK = gettext_lazy(
    "Ce lien d’enrôlement a déjà été utilisé : chaque lien ne sert qu’une fois. Demandez un "
    "nouveau lien à votre opérateur."
)
EXPIRED_LINK = gettext_lazy(
    "Ce lien d’enrôlement a expiré le %(date)s. Demandez un nouveau lien à votre opérateur."
)
REPLACED_LINK = gettext_lazy(
    "Ce lien d’enrôlement a été remplacé par un lien ou un code plus récent. Utilisez le "
    "dernier reçu."
)
WRONG_CODE = gettext_lazy(
    "Code d’activation incorrect. Vérifiez-le ou demandez un nouveau code à votre opérateur."
)
USED_CODE = gettext_lazy(
    "Ce code d’activation a déjà été utilisé : chaque code ne sert qu’une fois. Demandez un "
    "nouveau code à votre opérateur."
)
EXPIRED_CODE = gettext_lazy(
    "Ce code d’activation a expiré le %(date)s. Demandez un nouveau code à votre opérateur."
)
REPLACED_CODE = gettext_lazy(
    "Ce code d’activation a été remplacé par un lien ou un code plus récent. Utilisez le "
    "dernier reçu."
)
ATTEMPTS_LIMITED = gettext_lazy(
    "Trop de liens ou de codes d’activation ont été essayés. Par sécurité, réessayez dans une "
    "heure."
)
ALREADY_ENROLLED = gettext_lazy(
    "Votre application d’authentification est déjà enregistrée : saisissez le code qu’elle affiche."
)
NOT_AN_AGENT = gettext_lazy("Ce compte n’est pas un compte d’agent.")
AGENT_ALREADY_ENROLLED = gettext_lazy(
    "Cet agent a déjà une application d’authentification enregistrée : supprimez d’abord son "
    "dispositif TOTP (perte du téléphone) pour lui permettre un nouvel enrôlement."
)
NO_EMAIL = gettext_lazy("Ce compte n’a pas d’adresse e-mail : remettez-lui un code d’activation.")


class EnrolmentRefused(Exception):
    def __init__(self, message, reason: str):
        super().__init__(str(message))
        self.message = str(message)
        self.reason = reason


def enrolment_hours() -> int:
    return int(getattr(settings, "INSTRUCTION_ENROLMENT_HOURS", 24))


def digest(secret: str) -> str:
    return salted_hmac("titres.instruction.enrolment", secret, algorithm="sha256").hexdigest()


def normalise_code(typed: str) -> str:
    return "".join(ch for ch in typed.upper() if ch.isalnum())[:32]


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def _check_can_enrol(user) -> None:
    if not AgentMembership.objects.filter(user=user).exists():
        raise EnrolmentRefused(NOT_AN_AGENT, "not_an_agent")
    if user_has_device(user, confirmed=True):
        raise EnrolmentRefused(AGENT_ALREADY_ENROLLED, "already_enrolled")


def _revoke_pending(user, now) -> None:
    OtpEnrolment.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )


@transaction.atomic
def issue_link(*, user, actor, request=None) -> OtpEnrolment:
    """Mail an enrolment link to the agent (the link is made when the mail
    is sent, and is valid ENROLMENT_HOURS from then)."""
    _check_can_enrol(user)
    if not user.email:
        raise EnrolmentRefused(NO_EMAIL, "no_email")
    now = timezone.now()
    _revoke_pending(user, now)
    enrolment = OtpEnrolment.objects.create(
        user=user,
        kind=EnrolmentKind.LINK,
        sent_to=user.email,
        issued_by=actor,
        expires_at=now + timedelta(hours=enrolment_hours()),
    )
    record_event(
        InstructionEvent.OTP_ENROLMENT_ISSUED,
        actor=actor,
        request=request,
        target=user,
        data={"kind": EnrolmentKind.LINK, "enrolment": enrolment.pk},
    )
    notify_email(
        template="instruction/emails/otp_enrolment",
        to=user.email,
        context={
            "name": user.get_full_name() or user.username,
            "username": user.username,
            "hours": enrolment_hours(),
        },
        links={"link": ["instruction.otp_enrolment", enrolment.pk]},
    )
    return enrolment


@transaction.atomic
def issue_code(*, user, actor, request=None) -> str:
    """A new activation code for the agent, to be handed over by the
    operator; returned once (only its digest is kept)."""
    _check_can_enrol(user)
    now = timezone.now()
    _revoke_pending(user, now)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    enrolment = OtpEnrolment.objects.create(
        user=user,
        kind=EnrolmentKind.CODE,
        digest=digest(code),
        issued_by=actor,
        expires_at=now + timedelta(hours=enrolment_hours()),
    )
    record_event(
        InstructionEvent.OTP_ENROLMENT_ISSUED,
        actor=actor,
        request=request,
        target=user,
        data={"kind": EnrolmentKind.CODE, "enrolment": enrolment.pk},
    )
    return display_code(code)


def make_link_token(enrolment_pk: int) -> str | None:
    """Called when the mail is sent: the token's life starts then."""
    with transaction.atomic():
        enrolment = (
            OtpEnrolment.objects.select_for_update(of=("self",))
            .filter(pk=enrolment_pk, kind=EnrolmentKind.LINK)
            .filter(used_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if enrolment is None:
            return None
        token = new_link_token()
        enrolment.digest = digest(token)
        enrolment.expires_at = timezone.now() + timedelta(hours=enrolment_hours())
        enrolment.save(update_fields=["digest", "expires_at"])
    return token


@dataclass
class _Messages:
    other_account: object
    used: object
    expired: object
    replaced: object


_LINK = _Messages(OTHER_ACCOUNT_LINK, USED_LINK, EXPIRED_LINK, REPLACED_LINK)
_CODE = _Messages(WRONG_CODE, USED_CODE, EXPIRED_CODE, REPLACED_CODE)


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y à H:i")


def _refusal(enrolment, user, now, messages: _Messages) -> EnrolmentRefused | None:
    if enrolment.user_id != user.pk:
        return EnrolmentRefused(messages.other_account, "other_account")
    if enrolment.used_at is not None:
        return EnrolmentRefused(messages.used, "used")
    if enrolment.revoked_at is not None:
        return EnrolmentRefused(messages.replaced, "replaced")
    if enrolment.expires_at <= now:
        return EnrolmentRefused(
            str(messages.expired) % {"date": _date(enrolment.expires_at)}, "expired"
        )
    if user_has_device(user, confirmed=True):
        return EnrolmentRefused(ALREADY_ENROLLED, "already_enrolled")
    return None


def _redeem(*, secret_digest, kind, user, request, messages, unknown) -> OtpEnrolment:
    if not ratelimit.hit("instruction:enrolment:user", str(user.pk), ATTEMPTS):
        # An attacker with the password must not flood the journal either.
        with transaction.atomic():
            record_event(
                InstructionEvent.OTP_ENROLMENT_REFUSED,
                actor=user,
                request=request,
                data={"kind": kind, "reason": "limited"},
            )
        raise EnrolmentRefused(ATTEMPTS_LIMITED, "limited")
    now = timezone.now()
    with transaction.atomic():
        enrolment = (
            OtpEnrolment.objects.select_for_update(of=("self",))
            .filter(digest=secret_digest, kind=kind)
            .first()
        )
        refusal = (
            EnrolmentRefused(unknown, "unknown")
            if enrolment is None
            else _refusal(enrolment, user, now, messages)
        )
        if refusal is None:
            enrolment.used_at = now
            enrolment.save(update_fields=["used_at"])
            # A secret shown before this proof (to whoever had the password) is void.
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            TOTPDevice.objects.create(
                user=user, name=_("Application d’authentification"), confirmed=False
            )
            record_event(
                InstructionEvent.OTP_ENROLMENT_REDEEMED,
                actor=user,
                request=request,
                target=enrolment,
                data={"kind": kind},
            )
    if refusal is not None:
        with transaction.atomic():
            record_event(
                InstructionEvent.OTP_ENROLMENT_REFUSED,
                actor=user,
                request=request,
                target=enrolment,
                data={"kind": kind, "reason": refusal.reason},
            )
        raise refusal
    request.session[SESSION_KEY] = enrolment.pk
    return enrolment


def redeem_link(*, token: str, user, request) -> OtpEnrolment:
    return _redeem(
        secret_digest=digest(token[:100]),
        kind=EnrolmentKind.LINK,
        user=user,
        request=request,
        messages=_LINK,
        unknown=UNKNOWN_LINK,
    )


def redeem_code(*, code: str, user, request) -> OtpEnrolment:
    return _redeem(
        secret_digest=digest(normalise_code(code)),
        kind=EnrolmentKind.CODE,
        user=user,
        request=request,
        messages=_CODE,
        unknown=WRONG_CODE,
    )


def proven_enrolment(request) -> OtpEnrolment | None:
    """The enrolment this session redeemed, if it is still to be completed."""
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return OtpEnrolment.objects.filter(
        pk=pk, user=request.user, used_at__isnull=False, completed_at__isnull=True
    ).first()


def complete(*, enrolment: OtpEnrolment, device, request) -> None:
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["completed_at"])
        record_event(
            InstructionEvent.OTP_ENROLLED,
            actor=request.user,
            request=request,
            target=device,
            data={"enrolment": enrolment.pk, "kind": enrolment.kind},
        )
    request.session.pop(SESSION_KEY, None)
