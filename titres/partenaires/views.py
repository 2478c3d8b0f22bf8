"""The partner's dashboard (seed 004 §3): its tokens, usage statistics,
the last requests and the last errors; and its self-service: contacts
(seed 004 §4), renewal and revocation of its tokens. Only members of the
partner (portal accounts the operator linked to it) see it; anyone else
gets a 404, and another partner's token a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import availability, calllog, services, stats
from .enums import PartnerState, Scope
from .forms import ContactsForm
from .models import ApiToken, CallLog, Partner

LAST_CALLS = 20


def partner_of(user) -> Partner:
    partner = (
        Partner.objects.filter(members=user)
        .exclude(state=PartnerState.TERMINATED)
        .order_by("pk")
        .first()
    )
    if partner is None:
        raise Http404
    return partner


def _token_of(partner: Partner, pk: int) -> ApiToken:
    return get_object_or_404(ApiToken.objects.filter(partner=partner), pk=pk)


def _usable(token: ApiToken, now) -> bool:
    return token.revoked_at is None and token.expires_at > now


@login_required
def dashboard(request):
    partner = partner_of(request.user)
    now = timezone.now()
    labels = dict(Scope.choices)
    renewed = set(
        ApiToken.objects.filter(partner=partner, renewed_from__isnull=False).values_list(
            "renewed_from_id", flat=True
        )
    )
    tokens = [
        {
            "token": token,
            "scopes": [labels.get(s, s) for s in token.scopes],
            "expired": token.expires_at <= now,
            "days_left": (token.expires_at - now).days,
            "renewed": token.pk in renewed,
            "can_renew": partner.state == PartnerState.ACTIVE
            and token.revoked_at is None
            and token.pk not in renewed,
            "can_revoke": _usable(token, now),
        }
        for token in partner.tokens.order_by("-created_at")
    ]
    # The calls still queued in Redis (calllog.py) first: the partner sees
    # the call it just made.
    calllog.flush_before_reading()
    calls = CallLog.objects.filter(token__partner=partner).select_related("token")
    return render(
        request,
        "partenaires/dashboard.html",
        {
            "partner": partner,
            "tokens": tokens,
            "series": stats.usage(partner, now=now),
            "last_calls": calls.order_by("-at")[:LAST_CALLS],
            "last_errors": calls.filter(status_code__gte=400).order_by("-at")[:LAST_CALLS],
            "overlap_days": services.RENEWAL_OVERLAP.days,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request):
    partner = partner_of(request.user)
    form = ContactsForm(request.POST or None, instance=Partner.objects.get(pk=partner.pk))
    if request.method == "POST" and form.is_valid():
        services.update_contacts(
            partner=partner,
            actor=request.user,
            request=request,
            **{name: form.cleaned_data[name] for name in services.CONTACT_FIELDS},
        )
        messages.success(request, _("Les coordonnées de vos responsables sont enregistrées."))
        return redirect("partenaires:dashboard")
    return render(request, "partenaires/contacts.html", {"partner": partner, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def renew(request, pk: int):
    partner = partner_of(request.user)
    token = _token_of(partner, pk)
    refusal = None
    if request.method == "POST":
        try:
            new, secret = services.renew_token(token=token, actor=request.user, request=request)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            # The secret is in this answer only (no-store, never stored).
            return render(
                request,
                "partenaires/token_secret.html",
                {"partner": partner, "token": new, "old": token, "secret": secret},
            )
    return render(
        request,
        "partenaires/token_renew.html",
        {
            "partner": partner,
            "token": token,
            "scopes": [dict(Scope.choices).get(s, s) for s in token.scopes],
            "refusal": refusal,
            "overlap_days": services.RENEWAL_OVERLAP.days,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk: int):
    partner = partner_of(request.user)
    token = _token_of(partner, pk)
    if request.method == "POST":
        services.revoke_token(token=token, actor=request.user, request=request)
        messages.success(
            request,
            _("Le jeton %(key)s est révoqué : il est refusé dès maintenant.")
            % {"key": token.key_id},
        )
        return redirect("partenaires:dashboard")
    return render(request, "partenaires/token_revoke.html", {"partner": partner, "token": token})


@login_not_required
@require_http_methods(["GET"])
def status_page(request):
    """Public: the measured availability against the 99.5 % commitment
    (the same figures as /api/v1/status)."""
    report = availability.report()
    return render(
        request,
        "partenaires/status.html",
        {"report": report, "months": [report["mois_en_cours"], report["mois_precedent"]]},
    )
