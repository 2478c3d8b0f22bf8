"""What the back office pages share: the authority and role of the agent,
the page context, the files the agent may see."""

from django.db.models import F
from django.shortcuts import get_object_or_404

from titres.core import numbering
from titres.procedures.models import Authority

from .. import snpc
from ..access import agent_demarches, can_act, is_chef, memberships_of
from ..enums import AgentRole
from ..models import AgentMembership


def authority_of(request, code) -> tuple[Authority, str]:
    membership = get_object_or_404(
        AgentMembership.objects.select_related("authority"), user=request.user, authority__code=code
    )
    return membership.authority, membership.role


def page_context(request, authority, role, **extra):
    return {
        "authority": authority,
        "role": role,
        "role_label": AgentRole(role).label,
        "memberships": memberships_of(request.user),
        "is_chef": is_chef(role),
        "can_act": can_act(role),
        **extra,
    }


def list_queryset(user, authority):
    return (
        agent_demarches(user)
        .filter(authority=authority)
        .select_related("search_entry")
        # Read as `d.assigned_agent`: `d.assignment` on an unassigned file
        # raises (then dir() of the model) in the template, on every row.
        .annotate(
            snpc_review=snpc.needs_review_annotation(),
            assigned_agent=F("assignment__agent__username"),
        )
    )


def file_of(request, number):
    return get_object_or_404(
        agent_demarches(request.user).select_related("authority", "owner", "search_entry"),
        number=numbering.normalize(number),
    )
