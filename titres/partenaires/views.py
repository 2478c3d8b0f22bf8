"""The partner's dashboard (seed 004 §3): its tokens, usage statistics,
the last requests and the last errors. Only members of the partner (portal
accounts the operator linked to it) see it; anyone else gets a 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from . import stats
from .enums import Scope
from .models import CallLog, Partner

LAST_CALLS = 20


def partner_of(user) -> Partner:
    partner = Partner.objects.filter(members=user).order_by("pk").first()
    if partner is None:
        raise Http404
    return partner


@login_required
def dashboard(request):
    partner = partner_of(request.user)
    now = timezone.now()
    labels = dict(Scope.choices)
    tokens = [
        {
            "token": token,
            "scopes": [labels.get(s, s) for s in token.scopes],
            "expired": token.expires_at <= now,
            "days_left": (token.expires_at - now).days,
        }
        for token in partner.tokens.order_by("-created_at")
    ]
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
        },
    )
