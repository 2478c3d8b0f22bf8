import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from titres.core import ratelimit
from titres.core.http import safe_next_url
from titres.core.journal import client_ip

from . import tokens
from .backends import SESSION_BACKEND
from .captcha import captcha_mode
from .enums import Profile
from .forms import (
    ContactDetailsForm,
    DeleteAccountForm,
    EmailForm,
    LoginForm,
    MairieRequestForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    SetPasswordForm,
    SignupForm,
    TermsAcceptForm,
)
from .middleware import TERMS_SESSION_KEY
from .models import User
from .services.account import (
    change_password,
    confirm_email_change,
    delete_account,
    export_personal_data,
    request_email_change,
    update_contact_details,
)
from .services.common import AccountError
from .services.login import INVALID_LOGIN, authenticate_login, record_logout
from .services.mairies import submit_mairie_request
from .services.recovery import (
    recovery_ip_allowed,
    request_password_reset,
    resend_activation,
    reset_password,
    send_identifier_reminder,
)
from .services.signup import (
    SIGNUP_IP_LIMIT,
    SIGNUP_LIMITED,
    AlreadyActive,
    SignupData,
    activate_account,
    sign_up,
    signup_with_existing_email,
)
from .services.terms import accept_terms, current_terms_full, has_accepted
from .terms_text import render_terms
from .validators import national_phone


def _safe_next(request, default: str) -> str:
    return safe_next_url(request, request.POST.get("next") or request.GET.get("next")) or default


# --- Login and logout ----------------------------------------------------------


@login_not_required
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = authenticate_login(
            identifier=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            request=request,
        )
        if result.user is not None:
            login(request, result.user, backend=SESSION_BACKEND)
            return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
        if result.error == INVALID_LOGIN:
            form.add_error(None, _("Identifiant ou mot de passe incorrect."))
        else:
            form.add_error(None, result.error)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _safe_next(request, "")},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def logout_view(request):
    if request.method == "GET":
        return render(request, "accounts/logout.html")
    if request.session.get("franceconnect_id_token"):
        # The FranceConnect app ends both sessions (its own and ours). 307:
        # the browser repeats the POST, CSRF token included (the
        # FranceConnect logout refuses GET).
        try:
            url = reverse("franceconnect:logout")
        except NoReverseMatch:
            pass
        else:
            response = HttpResponseRedirect(url)
            response.status_code = 307
            return response
    if request.user.is_authenticated:
        record_logout(user=request.user, request=request)
    logout(request)
    messages.success(request, _("Vous êtes déconnecté."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- Sign-up and activation ----------------------------------------------------


def _keep_typed_values(request, exclude=("password1", "password2", "csrfmiddlewaretoken")):
    return {
        key: value
        for key, value in request.POST.items()
        if key not in exclude and not key.startswith("captcha")
    }


@login_not_required
@sensitive_post_parameters("password1", "password2", "secret_answer")
@never_cache
@require_http_methods(["GET", "POST"])
def signup_view(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    mode = captcha_mode(request)
    terms = current_terms_full()
    if request.method == "POST" and "switch_captcha" in request.POST:
        # Same page, same typed values, with the other kind of challenge.
        form = SignupForm(initial=_keep_typed_values(request), captcha_mode=mode, request=request)
    else:
        form = SignupForm(request.POST or None, captcha_mode=mode, request=request)
    submitted = request.method == "POST" and "switch_captcha" not in request.POST
    ip = client_ip(request)
    if submitted and ip and not ratelimit.hit("accounts:signup:ip", ip, SIGNUP_IP_LIMIT):
        form.is_valid()  # keep the typed values and their errors on the page
        form.add_error(None, SIGNUP_LIMITED)
        return render(
            request,
            "accounts/signup.html",
            {"form": form, "terms": terms},
            status=429,
        )
    if submitted and form.is_valid() and form.email_taken:
        signup_with_existing_email(email=form.cleaned_data["email"], request=request)
        request.session["accounts_signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:signup_done")
    if submitted and form.is_valid():
        data = form.cleaned_data
        sign_up(
            data=SignupData(
                profile=data["profile"],
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                sex=data["sex"],
                phone=data["phone"],
                secret_question=data["secret_question"],
                secret_answer=data["secret_answer"],
                password=data["password1"],
                organisation_name=data["organisation_name"],
                approval_number=data["approval_number"],
                siret=data["siret"],
            ),
            terms=terms,
            request=request,
        )
        request.session["accounts_signup_email"] = data["email"]
        return redirect("accounts:signup_done")
    return render(
        request,
        "accounts/signup.html",
        {
            "form": form,
            "terms": terms,
            "pro_profiles": {
                "organisation_name": "auto_ecole centre_sensibilisation personne_morale",
                "approval_number": "auto_ecole centre_sensibilisation",
                "siret": "personne_morale",
            },
        },
    )


@login_not_required
def signup_done_view(request):
    return render(
        request,
        "accounts/signup_done.html",
        {
            "email": request.session.get("accounts_signup_email", ""),
            "hours": settings.ACCOUNT_ACTIVATION_HOURS,
        },
    )


@login_not_required
@never_cache
def activate_view(request, token):
    try:
        activate_account(token=token, request=request)
    except tokens.ExpiredToken:
        return render(
            request,
            "accounts/activation_failed.html",
            {
                "expired": True,
                "form": EmailForm(),
                "hours": settings.ACCOUNT_ACTIVATION_HOURS,
            },
            status=410,
        )
    except tokens.InvalidToken:
        return render(
            request,
            "accounts/activation_failed.html",
            {"expired": False, "form": EmailForm()},
            status=404,
        )
    except AlreadyActive as error:
        messages.info(request, str(error))
        return redirect("accounts:login")
    messages.success(request, _("Votre compte est activé. Vous pouvez maintenant vous connecter."))
    return redirect("accounts:login")


@login_not_required
@require_http_methods(["GET", "POST"])
def resend_activation_view(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Limited: same answer, nothing sent (the answer must not tell).
        if recovery_ip_allowed("activation", request):
            resend_activation(email=form.cleaned_data["email"], request=request)
        messages.success(
            request,
            _(
                "Si un compte en attente d’activation correspond à cette adresse, un nouveau "
                "lien d’activation vient d’y être envoyé."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/resend_activation.html", {"form": form})


# --- Recovery --------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def forgot_identifier_view(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if recovery_ip_allowed("identifier", request):
            send_identifier_reminder(email=form.cleaned_data["email"], request=request)
        messages.success(
            request,
            _(
                "Si un compte correspond à cette adresse, un courriel rappelant votre "
                "identifiant vient d’y être envoyé."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/forgot_identifier.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset_view(request):
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if recovery_ip_allowed("password_reset", request):
            request_password_reset(identifier=form.cleaned_data["identifier"], request=request)
        messages.success(
            request,
            _(
                "Si un compte correspond à ces informations, un courriel contenant un lien "
                "pour choisir un nouveau mot de passe vient d’être envoyé à son adresse."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/password_reset.html", {"form": form})


def _user_from_uid(uidb64):
    pk = tokens.decode_uid(uidb64)
    return User.objects.filter(pk=pk).first() if pk else None


def _set_password_from_link(request, uidb64, token, *, generator, first_connection):
    user = _user_from_uid(uidb64)
    if user is None or not generator.check_token(user, token) or not user.is_active:
        return render(
            request,
            "accounts/link_invalid.html",
            {"first_connection": first_connection},
            status=404,
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        reset_password(
            user=user,
            password=form.cleaned_data["new_password1"],
            first_connection=first_connection,
            request=request,
        )
        messages.success(
            request,
            _("Votre mot de passe est enregistré. Vous pouvez maintenant vous connecter."),
        )
        return redirect("accounts:login")
    return render(
        request,
        "accounts/set_password.html",
        {"form": form, "first_connection": first_connection, "account_user": user},
    )


@login_not_required
@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm_view(request, uidb64, token):
    return _set_password_from_link(
        request, uidb64, token, generator=tokens.password_reset_token, first_connection=False
    )


@login_not_required
@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def account_setup_view(request, uidb64, token):
    return _set_password_from_link(
        request, uidb64, token, generator=tokens.account_setup_token, first_connection=True
    )


# --- Account page -----------------------------------------------------------------


@never_cache
def account_view(request):
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "phone": national_phone(user.phone),
            "is_particulier": user.profile == Profile.PARTICULIER,
            "terms_acceptances": user.terms_acceptances.select_related("version")[:5],
            "habilitation": getattr(user, "habilitation", None),
        },
    )


@sensitive_post_parameters("secret_answer", "current_password")
@require_http_methods(["GET", "POST"])
def account_edit_view(request):
    user = request.user
    form = ContactDetailsForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update_contact_details(user=user, changes=data, request=request)
        if data["email"].casefold() != user.email.casefold():
            request_email_change(user=user, new_email=data["email"], request=request)
            messages.info(
                request,
                _(
                    "Un lien de confirmation a été envoyé à %(email)s. Votre adresse sera "
                    "modifiée quand vous aurez cliqué sur ce lien."
                )
                % {"email": data["email"]},
            )
        messages.success(request, _("Vos coordonnées sont enregistrées."))
        return redirect("accounts:account")
    return render(request, "accounts/account_edit.html", {"form": form})


@login_not_required
@never_cache
def email_confirm_view(request, token):
    try:
        confirm_email_change(token=token, request=request)
    except tokens.InvalidToken:
        messages.error(
            request,
            _(
                "Ce lien de confirmation n’est plus valide : il a déjà été utilisé ou a "
                "expiré. Recommencez la modification depuis votre compte."
            ),
        )
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre nouvelle adresse e-mail est confirmée."))
    if request.user.is_authenticated:
        return redirect("accounts:account")
    return redirect("accounts:login")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        change_password(
            user=request.user, password=form.cleaned_data["new_password1"], request=request
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Votre mot de passe a été modifié."))
        return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def export_view(request):
    if request.method == "GET":
        return render(request, "accounts/export.html")
    data = export_personal_data(user=request.user, request=request)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="mes-donnees-titres-{request.user.username}-{stamp}.json"'
    )
    return response


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def delete_view(request):
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            delete_account(user=user, actor=user, request=request)
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, _("Votre compte et vos données ont été supprimés."))
            return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})


# --- Terms of use -----------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def terms_view(request):
    terms = current_terms_full()
    must_accept = (
        terms is not None
        and request.user.is_authenticated
        and not has_accepted(request.user, terms)
    )
    form = TermsAcceptForm(request.POST or None) if must_accept else None
    if request.method == "POST" and form is not None and form.is_valid():
        accept_terms(user=request.user, version=terms, request=request)
        request.session[TERMS_SESSION_KEY] = terms.version
        messages.success(request, _("Merci, votre acceptation est enregistrée."))
        return redirect(_safe_next(request, reverse(settings.LOGIN_REDIRECT_URL)))
    return render(
        request,
        "accounts/terms.html",
        {
            "terms": terms,
            "terms_html": render_terms(terms.text) if terms else "",
            "form": form,
            "next": _safe_next(request, ""),
            "previous_acceptance": (
                request.user.terms_acceptances.select_related("version").first()
                if must_accept
                else None
            ),
        },
    )


# --- Town halls ---------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def mairie_request_view(request):
    mode = captcha_mode(request)
    if request.method == "POST" and "switch_captcha" in request.POST:
        form = MairieRequestForm(
            initial=_keep_typed_values(request), captcha_mode=mode, request=request
        )
    else:
        form = MairieRequestForm(request.POST or None, captcha_mode=mode, request=request)
    if request.method == "POST" and "switch_captcha" not in request.POST and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "captcha"}
        submit_mairie_request(request=request, **fields)
        messages.success(
            request,
            _(
                "Votre demande est enregistrée. L’ANTS vous répondra par courriel ; la "
                "procédure de connexion sera envoyée à l’adresse indiquée."
            ),
        )
        return HttpResponseRedirect(reverse("core:home"))
    return render(
        request,
        "accounts/mairie_request.html",
        {"form": form},
    )
