"""Who is a habilitated professional: a `pro_siv` account whose prefecture
habilitation is active. Every professional URL answers 404 to anybody else
(the space does not exist for them), including a suspended professional —
whose account is deactivated anyway, but a session opened before the
suspension must not keep working."""

from __future__ import annotations

from functools import wraps

from django.http import Http404

from titres.accounts.enums import HabilitationStatus, Profile


def habilitation_of(user):
    """The active habilitation of `user`, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.profile != Profile.PRO_SIV:
        return None
    from titres.accounts.models import Habilitation

    return Habilitation.objects.filter(user=user, status=HabilitationStatus.ACTIVE).first()


def is_habilitated(user) -> bool:
    return habilitation_of(user) is not None


def pro_required(view):
    """404 unless the signed-in user is a habilitated professional; the
    view gets `request.habilitation`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        habilitation = habilitation_of(request.user)
        if habilitation is None:
            raise Http404
        request.habilitation = habilitation
        return view(request, *args, **kwargs)

    return wrapper
