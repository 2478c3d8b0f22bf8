"""The account page: contact details, e-mail and password changes, the
personal data export and the deletion of the account."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.accounts.audit import AccountsEvent
from titres.core.journal import record_event
from titres.core.json_values import iso
from titres.core.notifications import notify_email

from .. import tokens
from ..identifiers import email_key
from ..models import Habilitation, MairieAccountRequest, User
from ..validators import national_phone
from .common import EMAILS, AccountError, greeting_name
from .recovery import notify_password_changed


@transaction.atomic
def change_password(*, user: User, password: str, request=None) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    record_event(AccountsEvent.PASSWORD_CHANGED, actor=user, request=request, target=user)
    notify_password_changed(user)


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
            AccountsEvent.ACCOUNT_UPDATED,
            actor=user,
            request=request,
            target=user,
            data={"fields": [f for f in changed if f != "secret_answer_hash"]},
        )
    return changed


@transaction.atomic
def request_email_change(*, user: User, new_email: str, request=None) -> None:
    record_event(
        AccountsEvent.EMAIL_CHANGE_REQUESTED,
        actor=user,
        request=request,
        target=user,
        data={"new_email": new_email},
    )
    notify_email(
        template=EMAILS + "email_change",
        to=new_email,
        context={
            "name": greeting_name(user),
            "username": user.username,
            "hours": settings.ACCOUNT_ACTIVATION_HOURS,
        },
        links={"link": ["accounts.email_change", user.pk, new_email]},
    )


@transaction.atomic
def confirm_email_change(*, token: str, request=None) -> User:
    """Raise tokens.InvalidToken/ExpiredToken or AccountError."""
    payload = tokens.read_email_change_token(token)
    user = User.objects.select_for_update().filter(pk=payload.get("u")).first()
    if user is None or user.email != payload.get("old"):
        raise tokens.InvalidToken
    new_email = payload["new"]
    if User.objects.filter(email_key=email_key(new_email)).exclude(pk=user.pk).exists():
        raise AccountError(_("Cette adresse e-mail est déjà utilisée par un autre compte."))
    old_email = user.email
    user.email = new_email
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "email_verified_at"])
    record_event(
        AccountsEvent.EMAIL_CHANGED,
        actor=user,
        request=request,
        target=user,
        data={"old_email": old_email, "new_email": new_email},
    )
    # The former address learns of the change, in case it was not its owner.
    notify_email(
        template=EMAILS + "email_changed",
        to=old_email,
        context={"name": greeting_name(user), "username": user.username, "new_email": new_email},
    )
    return user


def app_hooks(function_name: str):
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
            "cree_le": iso(user.date_joined),
            "derniere_connexion": iso(user.last_login),
            "email_verifie_le": iso(user.email_verified_at),
            "suspendu_jusqu_au": iso(user.suspended_until),
            "motif_suspension": user.suspension_reason,
        },
        "conditions_generales": [
            {"version": a.version.version, "acceptee_le": iso(a.accepted_at)}
            for a in user.terms_acceptances.select_related("version")
        ],
        "habilitation": None,
        "journal": [
            {
                "date": iso(e.created_at),
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
            "debut": iso(habilitation.starts_on),
            "fin": iso(habilitation.ends_on),
            "statut": habilitation.status,
        }
    mairie_requests = MairieAccountRequest.objects.filter(user=user).order_by("created_at")
    data["demandes_compte_mairie"] = [
        {
            "commune": r.commune,
            "code_insee": r.insee_code,
            "contact": f"{r.contact_first_name} {r.contact_last_name}".strip(),
            "courriel": r.email,
            "telephone": r.phone,
            "statut": r.get_status_display(),
            "deposee_le": iso(r.created_at),
        }
        for r in mairie_requests
    ]
    for label, export in app_hooks("export"):
        data[label] = export(user)
    record_event(AccountsEvent.DATA_EXPORTED, actor=user, request=request, target=user)
    return data


@transaction.atomic
def delete_account(*, user: User, actor: User | None, reason: str = "", request=None) -> None:
    """Delete the account and its data (the journal keeps its entries).
    Raise AccountError if some data cannot be deleted yet."""
    email, name, username = user.email, greeting_name(user), user.username
    by_user = actor is not None and actor.pk == user.pk
    record_event(
        AccountsEvent.ACCOUNT_DELETED,
        actor=actor,
        request=request,
        target=user,
        data={"username": username, "by": "user" if by_user else "operator", "reason": reason},
    )
    for _label, erase in app_hooks("erase"):
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
