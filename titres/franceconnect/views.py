import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from titres.accounts.backends import SESSION_BACKEND
from titres.core.http import safe_next_url
from titres.core.journal import record_event
from titres.franceconnect.audit import FranceConnectEvent

from . import client, services
from .client import FranceConnectError, Reason
from .conf import get_conf
from .forms import PasswordProofForm, UnlinkWithPasswordForm
from .models import LinkRequest
from .selectors import franceconnect_identity_for

# Read by the accounts logout view: when present, logging out goes through
# franceconnect:logout so that the FranceConnect session ends too.
ID_TOKEN_SESSION_KEY = "franceconnect_id_token"  # noqa: S105 - a key name
PENDING_SESSION_KEY = "franceconnect_pending_link"
LOGOUT_STATE_SESSION_KEY = "franceconnect_logout_state"
BACKEND = SESSION_BACKEND


def _refused(request, *, reason: str, message: str, detail: str = "", status: int = 400):
    services.record_refusal(reason=reason, detail=detail, request=request)
    if reason == Reason.PROVIDER_UNREACHABLE:
        status = 502
    return render(
        request,
        "franceconnect/error.html",
        {"message": message, "reason": reason},
        status=status,
    )


def _enabled():
    if not get_conf().enabled:
        raise Http404


def _log_in(request, user, *, id_token: str, next_url: str):
    auth_login(request, user, backend=BACKEND)
    request.session[ID_TOKEN_SESSION_KEY] = id_token
    return HttpResponseRedirect(
        safe_next_url(request, next_url) or resolve_url(settings.LOGIN_REDIRECT_URL)
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    """GET: a page with the button. POST (the button): go to FranceConnect."""
    _enabled()
    next_url = safe_next_url(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "GET":
        return render(request, "franceconnect/login.html", {"next": next_url})
    try:
        url = client.begin(request, next_url=next_url)
    except FranceConnectError as error:
        return _refused(request, reason=error.reason, message=error.message, detail=error.detail)
    return HttpResponseRedirect(url)


@require_POST
def start_link(request):
    """A signed-in account asks to be linked to FranceConnect."""
    _enabled()
    try:
        url = client.begin(
            request, next_url=resolve_url("franceconnect:manage"), link_user_id=request.user.pk
        )
    except FranceConnectError as error:
        return _refused(request, reason=error.reason, message=error.message, detail=error.detail)
    return HttpResponseRedirect(url)


@login_not_required
@never_cache
def callback(request):
    _enabled()
    try:
        authentication = client.complete(request)
        outcome = services.sign_in(auth=authentication, request=request)
    except FranceConnectError as error:
        return _refused(request, reason=error.reason, message=error.message, detail=error.detail)
    except services.LinkError as error:
        return _refused(request, reason=error.reason, message=error.message)
    if outcome.link_request is not None:
        request.session[PENDING_SESSION_KEY] = {
            "id": outcome.link_request.pk,
            "id_token": authentication.id_token,
            "next": authentication.next_url,
        }
        return redirect("franceconnect:link_existing")
    if authentication.link_user_id is not None:
        messages.success(request, _("Votre compte est maintenant lié à FranceConnect."))
    elif outcome.created:
        messages.success(
            request,
            _("Bienvenue : votre compte a été créé avec votre identité FranceConnect."),
        )
    return _log_in(
        request,
        outcome.user,
        id_token=authentication.id_token,
        next_url=authentication.next_url,
    )


def _pending_link_request(request) -> tuple[dict, LinkRequest | None]:
    pending = request.session.get(PENDING_SESSION_KEY) or {}
    link_request = (
        LinkRequest.objects.select_related("user").filter(pk=pending.get("id")).first()
        if pending
        else None
    )
    if link_request is not None and not link_request.is_open:
        link_request = None
    return pending, link_request


def _masked(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return f"{local[:2]}{'•' * max(1, len(local) - 2)}@{domain}"


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def link_existing(request):
    """An account already uses the e-mail address FranceConnect returned:
    prove it is yours before the two are linked."""
    pending, link_request = _pending_link_request(request)
    if link_request is None:
        request.session.pop(PENDING_SESSION_KEY, None)
        return _refused(
            request,
            reason="link_request_closed",
            message=_(
                "Cette demande de liaison a expiré ou a déjà été utilisée. Recommencez la "
                "connexion avec FranceConnect."
            ),
        )
    user = link_request.user
    form = PasswordProofForm()
    email_sent = False
    email_error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "email":
                services.send_link_email(link_request=link_request, request=request)
                email_sent = True
            else:
                form = PasswordProofForm(request.POST)
                if form.is_valid():
                    services.confirm_link_with_password(
                        link_request=link_request,
                        password=form.cleaned_data["password"],
                        request=request,
                    )
                    request.session.pop(PENDING_SESSION_KEY, None)
                    messages.success(request, _("Votre compte est maintenant lié à FranceConnect."))
                    return _log_in(
                        request,
                        user,
                        id_token=pending["id_token"],
                        next_url=pending.get("next", ""),
                    )
        except services.LinkError as error:
            if error.reason == "too_many_link_emails":
                email_error = error.message
            else:
                form.add_error(None, error.message)
            if error.reason in ("too_many_attempts", "link_request_closed"):
                request.session.pop(PENDING_SESSION_KEY, None)
                return _refused(request, reason=error.reason, message=error.message)
    return render(
        request,
        "franceconnect/link_existing.html",
        {
            "form": form,
            "masked_email": _masked(user.email),
            "can_use_password": user.has_usable_password(),
            "email_sent": email_sent,
            "email_error": email_error,
            "identity": services.identity_summary(link_request),
        },
        status=429 if email_error else 400 if form.errors else 200,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def link_confirm(request, token: str):
    """The link sent by e-mail. GET only shows a button: mail scanners that
    open links must not link anything."""
    link_request = services.link_request_for_token(token)
    if link_request is None or not link_request.is_open:
        return _refused(
            request,
            reason="unknown_token",
            message=_("Ce lien n’est pas valide, a expiré ou a déjà été utilisé."),
        )
    if request.method == "GET":
        return render(
            request,
            "franceconnect/link_confirm.html",
            {"account": link_request.user, "identity": services.identity_summary(link_request)},
        )
    try:
        services.confirm_link_with_token(token=token, request=request)
    except services.LinkError as error:
        return _refused(request, reason=error.reason, message=error.message)
    pending = request.session.get(PENDING_SESSION_KEY) or {}
    if pending.get("id") == link_request.pk:
        # Same browser as the FranceConnect sign-in: finish it.
        request.session.pop(PENDING_SESSION_KEY, None)
        messages.success(request, _("Votre compte est maintenant lié à FranceConnect."))
        return _log_in(
            request,
            link_request.user,
            id_token=pending["id_token"],
            next_url=pending.get("next", ""),
        )
    messages.success(
        request,
        _(
            "Votre compte est maintenant lié à FranceConnect. Connectez-vous avec le bouton "
            "« S’identifier avec FranceConnect »."
        ),
    )
    return redirect(settings.LOGIN_URL)


@never_cache
def manage(request):
    identity = franceconnect_identity_for(request.user)
    needs_password = identity is not None and not request.user.has_usable_password()
    return render(
        request,
        "franceconnect/manage.html",
        {
            "identity": identity,
            "needs_password": needs_password,
            "form": UnlinkWithPasswordForm(request.user) if needs_password else None,
            "conf_enabled": get_conf().enabled,
        },
    )


@require_POST
def unlink(request):
    identity = franceconnect_identity_for(request.user)
    if identity is None:
        return redirect("franceconnect:manage")
    new_password = None
    if not request.user.has_usable_password():
        form = UnlinkWithPasswordForm(request.user, request.POST)
        if not form.is_valid():
            return render(
                request,
                "franceconnect/manage.html",
                {"identity": identity, "needs_password": True, "form": form, "conf_enabled": True},
                status=400,
            )
        new_password = form.cleaned_data["new_password1"]
    try:
        services.unlink(user=request.user, new_password=new_password, request=request)
    except services.LinkError as error:
        messages.error(request, error.message)
        return redirect("franceconnect:manage")
    if new_password:
        # Changing the password would otherwise end this session.
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(request, request.user)
    messages.success(request, _("Votre compte n’est plus lié à FranceConnect."))
    return redirect("franceconnect:manage")


@login_not_required
@never_cache
@require_POST
def logout(request):
    """End the portal session, then the FranceConnect one (the provider
    comes back to `logged_out` with our state). POST only (with the CSRF
    token): a link or an image must not log anyone out. The accounts logout
    view hands over with a 307, which keeps the POST and its token."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY, "")
    user = request.user if request.user.is_authenticated else None
    auth_logout(request)
    if user is not None:
        with transaction.atomic():
            record_event(
                FranceConnectEvent.LOGOUT,
                actor=user,
                request=request,
                target=user,
                data={"provider": bool(id_token)},
            )
    if not id_token:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    state = secrets.token_urlsafe(32)
    try:
        url = client.end_session_url(id_token=id_token, state=state)
    except FranceConnectError:
        url = ""
    if not url:
        messages.warning(
            request,
            _(
                "Vous êtes déconnecté du portail, mais la déconnexion de FranceConnect n’a pas "
                "pu être demandée. Fermez votre navigateur pour terminer votre session "
                "FranceConnect."
            ),
        )
        return redirect(settings.LOGOUT_REDIRECT_URL)
    request.session[LOGOUT_STATE_SESSION_KEY] = state
    return HttpResponseRedirect(url)


@login_not_required
@never_cache
def logged_out(request):
    expected = request.session.pop(LOGOUT_STATE_SESSION_KEY, "")
    state = request.GET.get("state", "")
    if not expected or not secrets.compare_digest(state, expected):
        services.record_refusal(reason="logout_state_mismatch", request=request)
        return render(request, "franceconnect/logged_out.html", {"confirmed": False}, status=400)
    return render(request, "franceconnect/logged_out.html", {"confirmed": True})
