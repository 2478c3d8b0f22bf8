"""Town halls: account requests and the accounts operators create from them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.accounts.audit import AccountsEvent
from titres.core.journal import record_event
from titres.core.notifications import notify_email

from ..enums import MairieRequestStatus, Profile
from ..identifiers import email_key, identifier_key
from ..models import MairieAccountRequest, User
from .common import EMAILS, AccountError, send_first_connection


@transaction.atomic
def update_mairie_request(
    *, mairie_request: MairieAccountRequest, actor: User, changed: list[str], request=None
) -> None:
    mairie_request.save()
    record_event(
        AccountsEvent.MAIRIE_REQUEST_UPDATED,
        actor=actor,
        request=request,
        target=mairie_request,
        data={"fields": changed},
    )


@transaction.atomic
def submit_mairie_request(*, request=None, **fields) -> MairieAccountRequest:
    mairie_request = MairieAccountRequest.objects.create(**fields)
    record_event(
        AccountsEvent.MAIRIE_REQUEST_RECEIVED,
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
    if User.objects.filter(username_key=identifier_key(username)).exists():
        raise AccountError(_("Cet identifiant est déjà utilisé. Veuillez en choisir un autre."))
    if User.objects.filter(email_key=email_key(mairie_request.email)).exists():
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
        AccountsEvent.MAIRIE_ACCOUNT_CREATED,
        actor=actor,
        request=request,
        target=user,
        data={
            "request_id": mairie_request.pk,
            "commune": mairie_request.commune,
            "dr_count": user.dr_count,
        },
    )
    send_first_connection(user, "mairie_account_created", {"commune": mairie_request.commune})
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
    record_event(
        AccountsEvent.MAIRIE_REQUEST_REFUSED, actor=actor, request=request, target=mairie_request
    )
