"""SIV habilitations recorded by operators: the professional's account
follows the prefecture's decision."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.accounts.audit import AccountsEvent
from titres.core.journal import record_event
from titres.core.notifications import notify_email

from ..enums import HabilitationStatus, Profile
from ..identifiers import email_key, identifier_key
from ..models import Habilitation, User
from .account import app_hooks, delete_account
from .common import EMAILS, AccountError, greeting_name, send_first_connection


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
    if User.objects.filter(username_key=identifier_key(username)).exists():
        raise AccountError(_("Cet identifiant est déjà utilisé. Veuillez en choisir un autre."))
    if User.objects.filter(email_key=email_key(email)).exists():
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
        AccountsEvent.HABILITATION_CREATED,
        actor=actor,
        request=request,
        target=habilitation,
        data={"number": number, "department": department, "user_id": user.pk},
    )
    send_first_connection(
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
        AccountsEvent.HABILITATION_UPDATED,
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
        _habilitation_mail(habilitation, mail, user.email, greeting_name(user))
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
        event=AccountsEvent.HABILITATION_SUSPENDED,
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
        event=AccountsEvent.HABILITATION_REACTIVATED,
        actor=actor,
        request=request,
    )


def filer_of(habilitation: Habilitation) -> dict:
    """Who filed, as a terminated professional's files keep it once the
    account is gone: the company and its habilitation, no natural person."""
    return {
        "raison_sociale": habilitation.organisation_name,
        "siret": habilitation.siret,
        "habilitation": habilitation.number,
        "motif": "habilitation_resiliee",
        "le": timezone.localdate().isoformat(),
    }


def _release_files(user: User, filer: dict) -> dict:
    """Every app lets go of the account before it is deleted: records of
    its drafts first (`release_drafts`), then each app's `detach` (the
    drafts deleted, the filed files and registry records kept without the
    account). Counts per app, for the journal."""
    for _label, release in app_hooks("release_drafts"):
        release(user)
    counts = {}
    for label, detach in app_hooks("detach"):
        counts[label] = detach(user, filer)
    return counts


@transaction.atomic
def terminate_habilitation(*, habilitation: Habilitation, actor: User, request=None) -> None:
    """The prefecture ended the habilitation: the account and its data are
    deleted (seed 000 §1.11.4); the habilitation record stays, without the
    professional's contact details. The files the professional filed (for
    clients, under mandate) are not the professional's data: they stay,
    detached from the account and still instructed (docs/vehicules.md,
    « Habilitation résiliée »); its drafts are deleted."""
    if habilitation.status == HabilitationStatus.RESILIEE:
        raise AccountError(_("Cette habilitation est déjà résiliée."))
    user = habilitation.user
    email, name = habilitation.email, f"{habilitation.first_name} {habilitation.last_name}"
    counts = _release_files(user, filer_of(habilitation)) if user is not None else {}
    record_event(
        AccountsEvent.HABILITATION_TERMINATED,
        actor=actor,
        request=request,
        target=habilitation,
        data={"number": habilitation.number, "user_id": user.pk if user else None, **counts},
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
