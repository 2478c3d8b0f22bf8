"""The entrance of the back office: password, then the second factor
(authenticator app enrolment and verification). A first enrolment needs an
e-mailed link or an operator's activation code besides the password
(`instruction/enrolment.py`)."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from titres.accounts.backends import SESSION_BACKEND
from titres.accounts.services.login import INVALID_LOGIN, authenticate_login
from titres.core.http import safe_next_url
from titres.core.journal import record_event
from titres.instruction.audit import InstructionEvent

from .. import enrolment
from ..auth import NOT_AN_AGENT, is_agent, otp_step_url
from ..forms import ActivationCodeForm, AgentLoginForm, TokenForm
from ..otp import qr_data_uri, secret_base32, throttled_until


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/agent/"):
        return safe_next_url(request, candidate) or default
    return default


@login_not_required
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and is_agent(request.user):
        if request.user.is_verified():
            return redirect(_safe_next(request, reverse("instruction:home")))
        return redirect(otp_step_url(request.user))
    form = AgentLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = authenticate_login(
            identifier=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            request=request,
        )
        if result.user is not None and is_agent(result.user):
            login(request, result.user, backend=SESSION_BACKEND)
            request.session["instruction_next"] = _safe_next(request, "")
            return redirect(otp_step_url(result.user))
        if result.user is not None or result.error == INVALID_LOGIN:
            # A citizen's right password opens nothing here, and says nothing more.
            form.add_error(None, _("Identifiant ou mot de passe incorrect."))
        else:
            form.add_error(None, result.error)
    return render(
        request, "instruction/login.html", {"form": form, "next": _safe_next(request, "")}
    )


@login_not_required
@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        with transaction.atomic():
            record_event(InstructionEvent.AGENT_LOGOUT, actor=request.user, request=request)
    logout(request)
    messages.info(request, _("Vous êtes déconnecté de l’espace agent."))
    return redirect("instruction:login")


def throttled_message(until) -> str:
    return _(
        "Trop de codes incorrects ont été saisis. Par sécurité, la vérification est bloquée "
        "jusqu’à %(time)s : réessayez ensuite avec le code affiché à ce moment-là."
    ) % {"time": formats.time_format(timezone.localtime(until), "H:i:s")}


def _otp_guard(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("instruction:login")
    if not is_agent(user):
        raise PermissionDenied(NOT_AN_AGENT)
    if user.is_verified():
        return redirect("instruction:home")
    return None


def _after_otp(request):
    target = request.session.pop("instruction_next", "") or reverse("instruction:home")
    return redirect(target)


def _proof_page(request, refusal: str = ""):
    """No enrolment proven in this session: ask for the e-mailed link or the
    operator's activation code (the password alone shows no QR code)."""
    form = ActivationCodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            enrolment.redeem_code(
                code=form.cleaned_data["activation_code"], user=request.user, request=request
            )
        except enrolment.EnrolmentRefused as error:
            form.add_error("activation_code", error.message)
            status = 429 if error.reason == "limited" else 200
        else:
            messages.success(
                request,
                _(
                    "Code d’activation accepté : enregistrez maintenant votre application "
                    "d’authentification."
                ),
            )
            return redirect("instruction:otp_enrol")
    return render(
        request,
        "instruction/otp_enrol_proof.html",
        {"form": form, "refusal": refusal, "hours": enrolment.enrolment_hours()},
        status=status,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """First sign-in: once an enrolment link or activation code is redeemed
    in this session, register an authenticator app (QR code), confirmed by
    a first code. Nothing else is reachable before."""
    blocked = _otp_guard(request)
    if blocked:
        return blocked
    user = request.user
    if user_has_device(user, confirmed=True):
        return redirect("instruction:otp_verify")
    refusal = ""
    pending = request.session.pop(enrolment.PENDING_LINK_KEY, None)
    if pending:
        # A link opened before signing in (see otp_enrol_link).
        try:
            enrolment.redeem_link(token=pending, user=user, request=request)
        except enrolment.EnrolmentRefused as error:
            refusal = error.message
    proof = enrolment.proven_enrolment(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() if proof else None
    if device is None:
        return _proof_page(request, refusal)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            enrolment.complete(enrolment=proof, device=device, request=request)
            otp_login(request, device)
            messages.success(request, _("Votre application d’authentification est enregistrée."))
            return _after_otp(request)
        form.add_error(
            "token", _("Code incorrect ou expiré. Saisissez le code affiché à l’instant.")
        )

    return render(
        request,
        "instruction/otp_enrol.html",
        {
            "form": form,
            "qr": qr_data_uri(device.config_url),
            "secret": secret_base32(device),
        },
    )


@login_not_required
@never_cache
@require_GET
def otp_enrol_link(request, token):
    """The e-mailed enrolment link. Opened before signing in (or by a mail
    scanner), it uses nothing: the token waits in the session for the
    password step."""
    user = request.user
    if not user.is_authenticated:
        request.session[enrolment.PENDING_LINK_KEY] = token[:100]
        messages.info(
            request,
            _(
                "Connectez-vous avec votre identifiant et votre mot de passe pour enregistrer "
                "votre application d’authentification."
            ),
        )
        return redirect("instruction:login")
    if not is_agent(user):
        raise PermissionDenied(NOT_AN_AGENT)
    if user.is_verified() or user_has_device(user, confirmed=True):
        messages.info(request, str(enrolment.ALREADY_ENROLLED))
        return redirect(otp_step_url(user) if not user.is_verified() else "instruction:home")
    try:
        enrolment.redeem_link(token=token, user=user, request=request)
    except enrolment.EnrolmentRefused as error:
        status = {"unknown": 404, "other_account": 403, "limited": 429}.get(error.reason, 410)
        return render(
            request,
            "instruction/otp_enrol_refused.html",
            {"message": error.message},
            status=status,
        )
    return redirect("instruction:otp_enrol")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    blocked = _otp_guard(request)
    if blocked:
        return blocked
    if not user_has_device(request.user, confirmed=True):
        return redirect("instruction:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (until := throttled_until(request.user)):
        record_event(
            InstructionEvent.OTP_REFUSED,
            actor=request.user,
            request=request,
            data={"reason": "throttled", "until": until.isoformat()},
        )
        form.add_error("token", throttled_message(until))
    elif request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            record_event(
                InstructionEvent.AGENT_LOGIN, actor=request.user, request=request, target=device
            )
            return _after_otp(request)
        record_event(InstructionEvent.OTP_REFUSED, actor=request.user, request=request)
        form.add_error(
            "token", _("Code incorrect ou expiré. Saisissez le code affiché à l’instant.")
        )
    return render(request, "instruction/otp_verify.html", {"form": form})
