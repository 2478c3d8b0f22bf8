"""Login (lockout, password, account state) and logout."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.accounts.audit import AccountsEvent
from titres.core import refusals
from titres.core.journal import client_ip, record_event

from .. import lockout
from ..enums import HabilitationStatus
from ..identifiers import identifier_key
from ..models import Habilitation, User
from .common import local_date_time
from .suspension import restore_if_expired


@dataclass
class LoginResult:
    user: User | None = None
    error: str = ""


def _lock_message(lock: lockout.Lock) -> str:
    minutes = max(1, (lock.seconds_left + 59) // 60)
    until = local_date_time(timezone.now() + datetime.timedelta(seconds=lock.seconds_left))
    if lock.scope == "ip":
        return _(
            "Trop de tentatives de connexion infructueuses depuis votre adresse réseau. "
            "Par sécurité, les connexions sont bloquées pendant %(minutes)s min "
            "(jusqu’à %(time)s). Réessayez ensuite."
        ) % {"minutes": minutes, "time": until["time"]}
    return _(
        "Trop de tentatives de connexion infructueuses sur cet identifiant. "
        "Par sécurité, la connexion est bloquée pendant %(minutes)s min (jusqu’à %(time)s). "
        "Réessayez ensuite, ou utilisez « Mot de passe oublié »."
    ) % {"minutes": minutes, "time": until["time"]}


INVALID_LOGIN = "invalid"


def suspension_message(user: User) -> str:
    when = local_date_time(user.suspended_until)
    return _(
        "Votre compte est suspendu jusqu’au %(date)s à %(time)s. Motif : %(reason)s "
        "Pour toute question, contactez le service client de l’ANTS."
    ) % {"date": when["date"], "time": when["time"], "reason": user.suspension_reason}


def lock_message(lock: lockout.Lock) -> str:
    return _lock_message(lock)


def record_login_failure(*, identifier: str, user: User | None, request=None):
    """Journal one failed login and count it towards the lockout; return the
    lock it triggers, if any. Used by the portal login and by the
    authentication backend (operators' admin), never both for one attempt.

    The typed identifier is journaled only when it names an account: people
    type their password in the identifier field, and the journal keeps
    everything forever."""
    identifier = (identifier or "").strip()
    ip = client_ip(request)
    known = {"identifier": user.username} if user is not None else {}
    with transaction.atomic():
        record_event(
            AccountsEvent.LOGIN_FAILED,
            actor=None,
            request=request,
            target=user,
            object_type="accounts.user" if user is None else "",
            data=known,
        )
        lock = lockout.register_failure(lockout.account_key(user=user, identifier=identifier), ip)
        if lock:
            record_event(
                AccountsEvent.ACCOUNT_LOCKED,
                actor=None,
                request=request,
                target=user,
                object_type="accounts.user" if user is None else "",
                data={**known, "scope": lock.scope, "seconds": lock.seconds_left},
            )
    return lock


def record_locked_attempt(*, lock: lockout.Lock, user: User | None, request=None) -> None:
    """An attempt refused because the account or the address is locked,
    whatever the password (the right one included). Aggregated like every
    anonymous refusal (titres.core.refusals): the first per address, scope
    and hour is journaled, the next ones counted, so a locked-out script
    cannot flood the journal."""
    refusals.record_refusal(
        AccountsEvent.LOGIN_REFUSED_LOCKED,
        kind=lock.scope,
        request=request,
        object_type="accounts.user",
        object_id=str(user.pk) if user is not None else "",
        data={"scope": lock.scope, "seconds": lock.seconds_left},
    )


def authenticate_login(*, identifier: str, password: str, request=None) -> LoginResult:
    """Check the lockout, the password and the account state. Does not open
    the session (the view calls django.contrib.auth.login)."""
    identifier = (identifier or "").strip()
    ip = client_ip(request)
    user = User.objects.filter(username_key=identifier_key(identifier)).order_by("pk").first()
    account = lockout.account_key(user=user, identifier=identifier)
    lock = lockout.current_lock(account, ip)
    if lock:
        record_locked_attempt(lock=lock, user=user, request=request)
        return LoginResult(error=_lock_message(lock))
    if user is None:
        make_password(password)  # same time whether the account exists or not
        password_ok = False
    else:
        password_ok = user.check_password(password)
    if not password_ok:
        lock = record_login_failure(identifier=identifier, user=user, request=request)
        if lock:
            return LoginResult(error=_lock_message(lock))
        return LoginResult(error=INVALID_LOGIN)
    # The password is right: the person may learn the state of the account.
    restore_if_expired(user)
    if user.is_suspended:
        return LoginResult(error=suspension_message(user))
    if not user.is_active:
        habilitation = Habilitation.objects.filter(user=user).first()
        if habilitation and habilitation.status == HabilitationStatus.SUSPENDUE:
            return LoginResult(
                error=_(
                    "Votre compte est désactivé car votre habilitation SIV a été suspendue par "
                    "la préfecture. Il sera réactivé avec vos démarches si la préfecture lève "
                    "la suspension."
                )
            )
        if user.email_verified_at is None:
            return LoginResult(
                error=_(
                    "Votre compte n’est pas encore activé. Cliquez sur le lien reçu par courriel "
                    "ou demandez un nouveau lien d’activation."
                )
            )
        return LoginResult(error=_("Votre compte est désactivé."))
    lockout.clear_account(account)
    with transaction.atomic():
        record_event(AccountsEvent.LOGIN, actor=user, request=request, target=user)
    return LoginResult(user=user)


def record_logout(*, user: User, request=None) -> None:
    with transaction.atomic():
        record_event(AccountsEvent.LOGOUT, actor=user, request=request, target=user)
