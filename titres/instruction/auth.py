"""The agents' entrance: password, then a TOTP second factor enrolled
before anything else. Every /agent/ view is wrapped by `agent_view`."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django_otp import user_has_device

from .access import request_memberships
from .models import AgentMembership

NOT_AN_AGENT = gettext_lazy("Cet espace est réservé aux agents des services instructeurs.")


def is_agent(user) -> bool:
    return user.is_authenticated and AgentMembership.objects.filter(user=user).exists()


def otp_step_url(user) -> str:
    if user_has_device(user, confirmed=True):
        return reverse("instruction:otp_verify")
    return reverse("instruction:otp_enrol")


def agent_view(view):
    """Signed in, member of an authority, and verified with a second
    factor; a citizen gets 403, an anonymous visitor the agents' login."""

    @login_not_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect(
                reverse("instruction:login") + "?" + urlencode({"next": request.get_full_path()})
            )
        if not request_memberships(request):  # is_agent, the list kept for the view
            raise PermissionDenied(NOT_AN_AGENT)
        if not user.is_verified():
            return redirect(otp_step_url(user))
        return view(request, *args, **kwargs)

    wrapped.agent_view = True
    return wrapped
