"""Every write on accounts: one function each, atomic, with its audit event.

E-mails are queued with `notify_email`, which only sends after commit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_tasks import task

from titres.core import ratelimit
from titres.core.journal import client_ip, record_event
from titres.core.notifications import notify_email, site_url

from . import lockout, tokens
from .enums import HabilitationStatus, MairieRequestStatus, Profile
from .models import (
    Habilitation,
    MairieAccountRequest,
    TermsAcceptance,
    TermsVersion,
    User,
)
from .validators import national_phone

EMAILS = "accounts/emails/"
# Recovery e-mails (activation, identifier, password reset): per target
# address; the views add a limit per IP address.
RECOVERY_TARGET_LIMIT = "3/hour"
RECOVERY_IP_LIMIT = "20/hour"
TERMS_CACHE_KEY = "accounts:terms:current"


def recovery_mail_allowed(scope: str, email: str) -> bool:
    """At most RECOVERY_TARGET_LIMIT recovery e-mails of a kind to one
    address (whatever was typed to reach it: identifier or address)."""
    return ratelimit.hit(f"accounts:{scope}:email", email, RECOVERY_TARGET_LIMIT)


def recovery_ip_allowed(scope: str, request) -> bool:
    ip = client_ip(request)
    return ip is None or ratelimit.hit(f"accounts:{scope}:ip", ip, RECOVERY_IP_LIMIT)


class AccountError(Exception):
    """A refusal whose message is shown to the person as is."""


def _url(name: str, *args) -> str:
    return site_url(reverse(name, args=args))


def _when(value: datetime.datetime) -> dict:
    local = timezone.localtime(value)
    return {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


def _greeting_name(user: User) -> str:
    return user.get_full_name() or user.organisation_name or user.username


# --- Terms of use ------------------------------------------------------------


def current_terms() -> TermsVersion | None:
    """The latest published version (cached one minute, cleared on publish)."""
    cached = cache.get(TERMS_CACHE_KEY)
    if cached is not None:
        return TermsVersion(pk=cached[0], version=cached[1]) if cached else None
    version = (
        TermsVersion.objects.filter(published_at__lte=timezone.now()).order_by("-version").first()
    )
    cache.set(TERMS_CACHE_KEY, (version.pk, version.version) if version else (), 60)
    return version


def current_terms_full() -> TermsVersion | None:
    current = current_terms()
    return TermsVersion.objects.filter(pk=current.pk).first() if current else None


def has_accepted(user: User, version: TermsVersion) -> bool:
    return TermsAcceptance.objects.filter(user=user, version_id=version.pk).exists()


@transaction.atomic
def publish_terms_version(
    *,
    actor: User | None,
    text: str,
    title: str = "Conditions générales d’utilisation",
    summary_of_changes: str = "",
    published_at: datetime.datetime | None = None,
    version: int | None = None,
    request=None,
) -> TermsVersion:
    if version is None:
        last = TermsVersion.objects.order_by("-version").first()
        version = (last.version + 1) if last else 1
    terms = TermsVersion.objects.create(
        version=version,
        title=title,
        text=text,
        summary_of_changes=summary_of_changes,
        published_at=published_at or timezone.now(),
    )
    record_event(
        "terms.published",
        actor=actor,
        request=request,
        target=terms,
        data={"version": version, "published_at": terms.published_at.isoformat()},
    )
    transaction.on_commit(lambda: cache.delete(TERMS_CACHE_KEY))
    return terms


@transaction.atomic
def accept_terms(*, user: User, version: TermsVersion, request=None) -> TermsAcceptance:
    acceptance, created = TermsAcceptance.objects.get_or_create(user=user, version_id=version.pk)
    if created:
        record_event(
            "terms.accepted",
            actor=user,
            request=request,
            target=user,
            data={"version": version.version},
        )
    return acceptance


# --- Sign-up and activation --------------------------------------------------


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


def _send_activation(user: User) -> None:
    notify_email(
        template=EMAILS + "activation",
        to=user.email,
        context={
            "name": _greeting_name(user),
            "username": user.username,
            "link": _url("accounts:activate", tokens.make_activation_token(user)),
            "hours": settings.ACCOUNT_ACTIVATION_HOURS,
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
        "account.signup",
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
    _send_activation(user)
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
    record_event("account.activated", actor=user, request=request, target=user)
    return user


@transaction.atomic
def resend_activation(*, email: str, request=None) -> None:
    """Send a new link if an account awaits activation at this address;
    silent otherwise."""
    user = User.objects.filter(email__iexact=email.strip(), email_verified_at__isnull=True).first()
    if user is None or user.is_active or user.profile in (Profile.PRO_SIV, Profile.MAIRIE):
        return
    if not recovery_mail_allowed("activation", user.email):
        return
    record_event("account.activation_resent", actor=None, request=request, target=user)
    _send_activation(user)


# --- Login and logout --------------------------------------------------------


@dataclass
class LoginResult:
    user: User | None = None
    error: str = ""


def _lock_message(lock: lockout.Lock) -> str:
    minutes = max(1, (lock.seconds_left + 59) // 60)
    until = _when(timezone.now() + datetime.timedelta(seconds=lock.seconds_left))
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
    when = _when(user.suspended_until)
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
            "account.login_failed",
            actor=None,
            request=request,
            target=user,
            object_type="accounts.user" if user is None else "",
            data=known,
        )
        lock = lockout.register_failure(identifier, ip)
        if lock:
            record_event(
                "account.locked",
                actor=None,
                request=request,
                target=user,
                object_type="accounts.user" if user is None else "",
                data={**known, "scope": lock.scope, "seconds": lock.seconds_left},
            )
    return lock


def authenticate_login(*, identifier: str, password: str, request=None) -> LoginResult:
    """Check the lockout, the password and the account state. Does not open
    the session (the view calls django.contrib.auth.login)."""
    identifier = (identifier or "").strip()
    ip = client_ip(request)
    lock = lockout.current_lock(identifier, ip)
    if lock:
        return LoginResult(error=_lock_message(lock))
    user = User.objects.filter(username__iexact=identifier).order_by("pk").first()
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
    lockout.clear_account(identifier)
    with transaction.atomic():
        record_event("account.login", actor=user, request=request, target=user)
    return LoginResult(user=user)


def record_logout(*, user: User, request=None) -> None:
    with transaction.atomic():
        record_event("account.logout", actor=user, request=request, target=user)


# --- Recovery ----------------------------------------------------------------


@transaction.atomic
def send_identifier_reminder(*, email: str, request=None) -> None:
    """Mail the identifier(s) registered with this address; silent if none."""
    for user in User.objects.filter(email__iexact=email.strip()):
        if not recovery_mail_allowed("identifier", user.email):
            continue
        record_event("account.identifier_reminder", actor=None, request=request, target=user)
        notify_email(
            template=EMAILS + "identifier_reminder",
            to=user.email,
            context={
                "name": _greeting_name(user),
                "username": user.username,
                "login_link": _url("accounts:login"),
            },
        )


@transaction.atomic
def request_password_reset(*, identifier: str, request=None) -> None:
    """`identifier` is the account identifier or its e-mail address. Silent
    if nothing matches; an account awaiting activation gets a new activation
    link instead (a reset would not let it in)."""
    value = identifier.strip()
    if not value:
        return
    user = (
        User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value))
        .order_by("pk")
        .first()
    )
    if user is None:
        return
    if not user.is_active:
        if (
            user.email_verified_at is None
            and user.profile
            not in (
                Profile.PRO_SIV,
                Profile.MAIRIE,
            )
            and recovery_mail_allowed("activation", user.email)
        ):
            record_event("account.activation_resent", actor=None, request=request, target=user)
            _send_activation(user)
        return
    if not recovery_mail_allowed("password_reset", user.email):
        return
    record_event("account.password_reset_requested", actor=None, request=request, target=user)
    notify_email(
        template=EMAILS + "password_reset",
        to=user.email,
        context={
            "name": _greeting_name(user),
            "username": user.username,
            "link": _url(
                "accounts:password_reset_confirm",
                tokens.encode_uid(user),
                tokens.password_reset_token.make_token(user),
            ),
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
    )


def _notify_password_changed(user: User) -> None:
    notify_email(
        template=EMAILS + "password_changed",
        to=user.email,
        context={"name": _greeting_name(user), "username": user.username},
    )


@transaction.atomic
def reset_password(*, user: User, password: str, first_connection: bool = False, request=None):
    """Set a new password from a reset (or first-connection) link."""
    user.set_password(password)
    if first_connection and user.email_verified_at is None:
        user.email_verified_at = timezone.now()
    user.save(update_fields=["password", "email_verified_at"])
    lockout.clear_account(user.username)
    record_event(
        "account.password_set" if first_connection else "account.password_reset",
        actor=user,
        request=request,
        target=user,
    )
    _notify_password_changed(user)


@transaction.atomic
def change_password(*, user: User, password: str, request=None) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    record_event("account.password_changed", actor=user, request=request, target=user)
    _notify_password_changed(user)


# --- Account page ------------------------------------------------------------

CONTACT_FIELDS = ("first_name", "last_name", "sex", "phone", "organisation_name")


@transaction.atomic
def update_contact_details(*, user: User, changes: dict, request=None) -> list[str]:
    changed = []
    for field in CONTACT_FIELDS:
        if field in changes and getattr(user, field) != changes[field]:
            setattr(user, field, changes[field])
            changed.append(field)
    if "secret_question" in changes and changes.get("secret_answer"):
        user.secret_question = changes["secret_question"]
        user.set_secret_answer(changes["secret_answer"])
        changed += ["secret_question", "secret_answer_hash"]
    if changed:
        user.save(update_fields=changed)
        record_event(
            "account.updated",
            actor=user,
            request=request,
            target=user,
            data={"fields": [f for f in changed if f != "secret_answer_hash"]},
        )
    return changed


@transaction.atomic
def request_email_change(*, user: User, new_email: str, request=None) -> None:
    record_event(
        "account.email_change_requested",
        actor=user,
        request=request,
        target=user,
        data={"new_email": new_email},
    )
    notify_email(
        template=EMAILS + "email_change",
        to=new_email,
        context={
            "name": _greeting_name(user),
            "username": user.username,
            "link": _url("accounts:email_confirm", tokens.make_email_change_token(user, new_email)),
            "hours": settings.ACCOUNT_ACTIVATION_HOURS,
        },
    )


@transaction.atomic
def confirm_email_change(*, token: str, request=None) -> User:
    """Raise tokens.InvalidToken/ExpiredToken or AccountError."""
    payload = tokens.read_email_change_token(token)
    user = User.objects.select_for_update().filter(pk=payload.get("u")).first()
    if user is None or user.email != payload.get("old"):
        raise tokens.InvalidToken
    new_email = payload["new"]
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise AccountError(_("Cette adresse e-mail est déjà utilisée par un autre compte."))
    old_email = user.email
    user.email = new_email
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "email_verified_at"])
    record_event(
        "account.email_changed",
        actor=user,
        request=request,
        target=user,
        data={"old_email": old_email, "new_email": new_email},
    )
    # The former address learns of the change, in case it was not its owner.
    notify_email(
        template=EMAILS + "email_changed",
        to=old_email,
        context={"name": _greeting_name(user), "username": user.username, "new_email": new_email},
    )
    return user


def _app_hooks(function_name: str):
    """`titres.<app>.personal_data.<function_name>` of every app that has one."""
    for app in settings.INSTALLED_APPS:
        if not app.startswith("titres.") or app == "titres.accounts":
            continue
        try:
            module = import_module(f"{app}.personal_data")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.personal_data":
                raise
            continue
        function = getattr(module, function_name, None)
        if function:
            yield app.rsplit(".", 1)[1], function


def _iso(value):
    return value.isoformat() if value else None


@transaction.atomic
def export_personal_data(*, user: User, request=None) -> dict:
    """Everything the portal holds about the account (right of access)."""
    from titres.core.models import AuditEvent

    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "identifiant": user.username,
            "profil": user.profile,
            "prenom": user.first_name,
            "nom": user.last_name,
            "email": user.email,
            "sexe": user.sex,
            "telephone": national_phone(user.phone),
            "question_secrete": user.secret_question,
            "reponse_secrete": "(enregistrée sous forme chiffrée irréversible)"
            if user.secret_answer_hash
            else "",
            "raison_sociale": user.organisation_name,
            "numero_agrement": user.approval_number,
            "siret": user.siret,
            "nombre_dispositifs_recueil": user.dr_count,
            "cree_le": _iso(user.date_joined),
            "derniere_connexion": _iso(user.last_login),
            "email_verifie_le": _iso(user.email_verified_at),
            "suspendu_jusqu_au": _iso(user.suspended_until),
            "motif_suspension": user.suspension_reason,
        },
        "conditions_generales": [
            {"version": a.version.version, "acceptee_le": _iso(a.accepted_at)}
            for a in user.terms_acceptances.select_related("version")
        ],
        "habilitation": None,
        "journal": [
            {
                "date": _iso(e.created_at),
                "evenement": e.event,
                "adresse_ip": e.ip_address,
                "donnees": e.data,
            }
            for e in AuditEvent.objects.filter(
                Q(actor_id=user.pk) | Q(object_type="accounts.user", object_id=str(user.pk))
            ).order_by("sequence")
        ],
    }
    habilitation = Habilitation.objects.filter(user=user).first()
    if habilitation:
        data["habilitation"] = {
            "numero": habilitation.number,
            "departement": habilitation.department,
            "debut": _iso(habilitation.starts_on),
            "fin": _iso(habilitation.ends_on),
            "statut": habilitation.status,
        }
    for label, export in _app_hooks("export"):
        data[label] = export(user)
    record_event("account.data_exported", actor=user, request=request, target=user)
    return data


@transaction.atomic
def delete_account(*, user: User, actor: User | None, reason: str = "", request=None) -> None:
    """Delete the account and its data (the journal keeps its entries).
    Raise AccountError if some data cannot be deleted yet."""
    email, name, username = user.email, _greeting_name(user), user.username
    by_user = actor is not None and actor.pk == user.pk
    record_event(
        "account.deleted",
        actor=actor,
        request=request,
        target=user,
        data={"username": username, "by": "user" if by_user else "operator", "reason": reason},
    )
    for _label, erase in _app_hooks("erase"):
        erase(user)
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:
        raise AccountError(
            _(
                "Ce compte ne peut pas être supprimé tant que des démarches en cours y sont "
                "rattachées. Contactez le service client de l’ANTS."
            )
        )
    notify_email(
        template=EMAILS + "account_deleted",
        to=email,
        context={"name": name, "username": username, "by_user": by_user, "reason": reason},
    )


# --- Operators: suspension --------------------------------------------------


@task()
def restore_after_suspension_task(*, user_id: int) -> None:
    """Queued at suspension time to run when it ends."""
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        restore_if_expired(user)


@transaction.atomic
def suspend_account(
    *, user: User, actor: User, reason: str, days: int, request=None
) -> datetime.datetime:
    reason = reason.strip()
    if not reason:
        raise AccountError(_("Le motif de la suspension est obligatoire."))
    if days < 1:
        raise AccountError(_("La durée de la suspension doit être d’au moins un jour."))
    until = timezone.now() + datetime.timedelta(days=days)
    user.suspended_until = until
    user.suspension_reason = reason
    user.save(update_fields=["suspended_until", "suspension_reason"])
    record_event(
        "account.suspended",
        actor=actor,
        request=request,
        target=user,
        data={"reason": reason, "days": days, "until": until.isoformat()},
    )
    when = _when(until)
    notify_email(
        template=EMAILS + "account_suspended",
        to=user.email,
        context={
            "name": _greeting_name(user),
            "username": user.username,
            "reason": reason,
            "days": days,
            "until_date": when["date"],
            "until_time": when["time"],
        },
    )
    _schedule_restore(user.pk, until)
    return until


def _schedule_restore(user_id: int, until: datetime.datetime) -> None:
    # Backends that cannot defer (the immediate one used in tests) rely on
    # the login-time check and the periodic command instead.
    if restore_after_suspension_task.get_backend().supports_defer:
        transaction.on_commit(
            lambda: restore_after_suspension_task.using(run_after=until).enqueue(user_id=user_id)
        )


@transaction.atomic
def reactivate_account(*, user: User, actor: User | None, request=None) -> None:
    """End a temporary suspension before its term (operator decision)."""
    if not user.suspended_until:
        return
    _end_suspension(user, actor=actor, event="account.reactivated", request=request)


def _end_suspension(user: User, *, actor, event: str, request=None) -> None:
    reason = user.suspension_reason
    user.suspended_until = None
    user.suspension_reason = ""
    user.save(update_fields=["suspended_until", "suspension_reason"])
    record_event(event, actor=actor, request=request, target=user, data={"reason": reason})
    notify_email(
        template=EMAILS + "account_reactivated",
        to=user.email,
        context={"name": _greeting_name(user), "username": user.username},
    )


@transaction.atomic
def restore_if_expired(user: User) -> bool:
    """Clear a suspension whose end has passed (called at login and by the
    periodic command)."""
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None or not locked.suspended_until or locked.suspended_until > timezone.now():
        return False
    _end_suspension(locked, actor=None, event="account.restored")
    user.suspended_until = None
    user.suspension_reason = ""
    return True


def restore_expired_suspensions() -> int:
    count = 0
    for user in User.objects.filter(suspended_until__lte=timezone.now()):
        count += restore_if_expired(user)
    return count


# --- Operators: SIV habilitations -------------------------------------------


def _send_first_connection(user: User, template: str, extra: dict | None = None) -> None:
    notify_email(
        template=EMAILS + template,
        to=user.email,
        context={
            "name": _greeting_name(user),
            "username": user.username,
            "link": _url(
                "accounts:account_setup",
                tokens.encode_uid(user),
                tokens.account_setup_token.make_token(user),
            ),
            "hours": settings.ACCOUNT_ACTIVATION_HOURS,
            **(extra or {}),
        },
    )


@transaction.atomic
def create_habilitation(
    *,
    actor: User,
    number: str,
    department: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    organisation_name: str,
    first_name: str,
    last_name: str,
    email: str,
    username: str,
    siret: str = "",
    request=None,
) -> Habilitation:
    """Record a prefecture's habilitation and create the professional's
    account; the connection procedure is mailed to the professional."""
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("Cet identifiant est déjà utilisé. Veuillez en choisir un autre."))
    if User.objects.filter(email__iexact=email).exists():
        raise AccountError(_("Un compte existe déjà avec cette adresse e-mail."))
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        profile=Profile.PRO_SIV,
        organisation_name=organisation_name,
        siret=siret,
        is_active=True,
    )
    user.set_unusable_password()
    user.save()
    habilitation = Habilitation.objects.create(
        number=number,
        department=department,
        starts_on=starts_on,
        ends_on=ends_on,
        organisation_name=organisation_name,
        siret=siret,
        first_name=first_name,
        last_name=last_name,
        email=email,
        username=username,
        user=user,
    )
    record_event(
        "habilitation.created",
        actor=actor,
        request=request,
        target=habilitation,
        data={"number": number, "department": department, "user_id": user.pk},
    )
    _send_first_connection(
        user, "habilitation_account_created", {"number": number, "department": department}
    )
    return habilitation


@transaction.atomic
def update_habilitation(
    *, habilitation: Habilitation, actor: User, changed: list[str], request=None
) -> None:
    """Dates, department or company name corrected by an operator."""
    habilitation.save()
    record_event(
        "habilitation.updated",
        actor=actor,
        request=request,
        target=habilitation,
        data={"fields": changed},
    )


def _habilitation_mail(habilitation: Habilitation, template: str, to: str, name: str) -> None:
    notify_email(
        template=EMAILS + template,
        to=to,
        context={
            "name": name,
            "number": habilitation.number,
            "department": habilitation.department,
        },
    )


def _switch_habilitation(
    habilitation: Habilitation, *, status: str, active: bool, mail: str, event: str, actor, request
) -> None:
    """Suspension and reactivation mirror each other: the account follows
    the prefecture's habilitation (seed 000 §1.11.4), keeping its files."""
    habilitation.status = status
    habilitation.save(update_fields=["status", "updated_at"])
    user = habilitation.user
    if user is not None:
        user.is_active = active
        user.save(update_fields=["is_active"])
        _habilitation_mail(habilitation, mail, user.email, _greeting_name(user))
    record_event(
        event,
        actor=actor,
        request=request,
        target=habilitation,
        data={"number": habilitation.number, "user_id": user.pk if user else None},
    )


@transaction.atomic
def suspend_habilitation(*, habilitation: Habilitation, actor: User, request=None) -> None:
    if habilitation.status != HabilitationStatus.ACTIVE:
        raise AccountError(_("Seule une habilitation active peut être suspendue."))
    _switch_habilitation(
        habilitation,
        status=HabilitationStatus.SUSPENDUE,
        active=False,
        mail="habilitation_suspended",
        event="habilitation.suspended",
        actor=actor,
        request=request,
    )


@transaction.atomic
def reactivate_habilitation(*, habilitation: Habilitation, actor: User, request=None) -> None:
    if habilitation.status != HabilitationStatus.SUSPENDUE:
        raise AccountError(_("Seule une habilitation suspendue peut être réactivée."))
    _switch_habilitation(
        habilitation,
        status=HabilitationStatus.ACTIVE,
        active=True,
        mail="habilitation_reactivated",
        event="habilitation.reactivated",
        actor=actor,
        request=request,
    )


@transaction.atomic
def terminate_habilitation(*, habilitation: Habilitation, actor: User, request=None) -> None:
    """The prefecture ended the habilitation: the account and its data are
    deleted (seed 000 §1.11.4); the habilitation record stays, without the
    professional's contact details."""
    if habilitation.status == HabilitationStatus.RESILIEE:
        raise AccountError(_("Cette habilitation est déjà résiliée."))
    user = habilitation.user
    email, name = habilitation.email, f"{habilitation.first_name} {habilitation.last_name}"
    record_event(
        "habilitation.terminated",
        actor=actor,
        request=request,
        target=habilitation,
        data={"number": habilitation.number, "user_id": user.pk if user else None},
    )
    habilitation.status = HabilitationStatus.RESILIEE
    habilitation.user = None
    habilitation.first_name = habilitation.last_name = ""
    habilitation.email = ""
    habilitation.save()
    if user is not None:
        delete_account(
            user=user,
            actor=actor,
            reason=_("Résiliation de l’habilitation SIV par la préfecture"),
            request=request,
        )
    _habilitation_mail(habilitation, "habilitation_terminated", email, name.strip())


@transaction.atomic
def update_terms_version(
    *, terms: TermsVersion, actor: User, changed: list[str], request=None
) -> None:
    """A version not yet published corrected by an operator."""
    terms.save()
    record_event(
        "terms.updated",
        actor=actor,
        request=request,
        target=terms,
        data={"version": terms.version, "fields": changed},
    )
    transaction.on_commit(lambda: cache.delete(TERMS_CACHE_KEY))


# --- Town halls --------------------------------------------------------------


@transaction.atomic
def update_mairie_request(
    *, mairie_request: MairieAccountRequest, actor: User, changed: list[str], request=None
) -> None:
    mairie_request.save()
    record_event(
        "mairie.request_updated",
        actor=actor,
        request=request,
        target=mairie_request,
        data={"fields": changed},
    )


@transaction.atomic
def submit_mairie_request(*, request=None, **fields) -> MairieAccountRequest:
    mairie_request = MairieAccountRequest.objects.create(**fields)
    record_event(
        "mairie.request_received",
        actor=None,
        request=request,
        target=mairie_request,
        data={"commune": mairie_request.commune, "insee_code": mairie_request.insee_code},
    )
    notify_email(
        template=EMAILS + "mairie_request_received",
        to=mairie_request.email,
        context={
            "name": f"{mairie_request.contact_first_name} {mairie_request.contact_last_name}",
            "commune": mairie_request.commune,
        },
    )
    return mairie_request


@transaction.atomic
def create_mairie_account(
    *,
    mairie_request: MairieAccountRequest,
    actor: User,
    username: str,
    dr_count: int | None = None,
    request=None,
) -> User:
    if mairie_request.status != MairieRequestStatus.EN_ATTENTE:
        raise AccountError(_("Cette demande a déjà été traitée."))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("Cet identifiant est déjà utilisé. Veuillez en choisir un autre."))
    if User.objects.filter(email__iexact=mairie_request.email).exists():
        raise AccountError(_("Un compte existe déjà avec cette adresse e-mail."))
    user = User(
        username=username,
        email=mairie_request.email,
        first_name=mairie_request.contact_first_name,
        last_name=mairie_request.contact_last_name,
        phone=mairie_request.phone,
        profile=Profile.MAIRIE,
        organisation_name=_("Mairie de %(commune)s") % {"commune": mairie_request.commune},
        dr_count=dr_count if dr_count is not None else mairie_request.dr_count,
        is_active=True,
    )
    user.set_unusable_password()
    user.save()
    mairie_request.status = MairieRequestStatus.COMPTE_CREE
    mairie_request.user = user
    mairie_request.handled_at = timezone.now()
    mairie_request.save(update_fields=["status", "user", "handled_at"])
    record_event(
        "mairie.account_created",
        actor=actor,
        request=request,
        target=user,
        data={
            "request_id": mairie_request.pk,
            "commune": mairie_request.commune,
            "dr_count": user.dr_count,
        },
    )
    _send_first_connection(user, "mairie_account_created", {"commune": mairie_request.commune})
    return user


@transaction.atomic
def refuse_mairie_request(
    *, mairie_request: MairieAccountRequest, actor: User, request=None
) -> None:
    if mairie_request.status != MairieRequestStatus.EN_ATTENTE:
        raise AccountError(_("Cette demande a déjà été traitée."))
    mairie_request.status = MairieRequestStatus.REFUSEE
    mairie_request.handled_at = timezone.now()
    mairie_request.save(update_fields=["status", "handled_at"])
    record_event("mairie.request_refused", actor=actor, request=request, target=mairie_request)


# --- Operators: changes made in the admin ------------------------------------

ADMIN_FLAG_FIELDS = ("is_active", "is_staff", "is_superuser")


def _names(values) -> list[str]:
    return sorted(str(v) for v in values)


@transaction.atomic
def record_admin_change(
    *,
    user: User,
    actor: User,
    fields: list[str],
    created: bool = False,
    groups_before: set | None = None,
    groups_after: set | None = None,
    permissions_before: set | None = None,
    permissions_after: set | None = None,
    request=None,
) -> None:
    """Journal what an operator changed on an account in the admin: field
    names (never values, except the privilege flags), groups and
    permissions granted or withdrawn. Nothing changed: nothing journaled."""
    groups_before, groups_after = groups_before or set(), groups_after or set()
    permissions_before = permissions_before or set()
    permissions_after = permissions_after or set()
    fields = [f for f in fields if f not in ("groups", "user_permissions", "password")]
    data = {"fields": fields, "created": created}
    for name in ADMIN_FLAG_FIELDS:
        if name in fields:
            data[name] = getattr(user, name)
    changes = {
        "groups_added": groups_after - groups_before,
        "groups_removed": groups_before - groups_after,
        "permissions_added": permissions_after - permissions_before,
        "permissions_removed": permissions_before - permissions_after,
    }
    for key, values in changes.items():
        if values:
            data[key] = _names(values)
    if not created and not fields and not any(changes.values()):
        return
    record_event("account.admin_changed", actor=actor, request=request, target=user, data=data)


@transaction.atomic
def record_admin_password_change(*, user: User, actor: User, usable: bool, request=None) -> None:
    """An operator set (or disabled) the password in the admin; the holder
    is told by e-mail, as after any password change."""
    record_event(
        "account.admin_changed",
        actor=actor,
        request=request,
        target=user,
        data={"fields": ["password"], "password_usable": usable},
    )
    lockout.clear_account(user.username)
    _notify_password_changed(user)


@transaction.atomic
def record_admin_group_change(
    *,
    group,
    actor: User,
    created: bool,
    fields: list[str],
    permissions_before: set,
    permissions_after: set,
    request=None,
) -> None:
    fields = [f for f in fields if f != "permissions"]
    data = {"created": created, "name": group.name, "fields": fields}
    added, removed = permissions_after - permissions_before, permissions_before - permissions_after
    if added:
        data["permissions_added"] = _names(added)
    if removed:
        data["permissions_removed"] = _names(removed)
    if not created and not fields and not added and not removed:
        return
    record_event(
        "account.admin_group_changed", actor=actor, request=request, target=group, data=data
    )
