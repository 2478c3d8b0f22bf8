"""What the back office pages share: the authority and role of the agent,
the page context, the files the agent may see."""

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404

from titres.core import numbering
from titres.procedures.models import Authority

from ..access import agent_demarches, authority_demarches, can_act, is_chef, request_memberships
from ..enums import role_label
from ..review import review_annotation
from ..tools import tools_for


def authority_of(request, code) -> tuple[Authority, str]:
    """The authority `code` and the agent's role there; 404 when the agent
    is no member of it."""
    for membership in request_memberships(request):
        if membership.authority.code == code:
            return membership.authority, membership.role
    raise Http404


def page_context(request, authority, role, **extra):
    return {
        "authority": authority,
        "role": role,
        "role_label": role_label(role),  # text, translated once (enums says why)
        "memberships": request_memberships(request),
        "is_chef": is_chef(role),
        "can_act": can_act(role),
        "agent_tools": tools_for(request.user),
        **extra,
    }


def list_queryset(request, authority):
    """The files of `authority` the request's agent may see, with what the
    list rows read."""
    return (
        authority_demarches(request, authority)
        .select_related("search_entry")
        # Read as `d.assigned_agent`: `d.assignment` on an unassigned file
        # raises (then dir() of the model) in the template, on every row.
        .annotate(
            review_flag=review_annotation(),
            assigned_agent=F("assignment__agent__username"),
        )
    )


def file_of(request, number):
    return get_object_or_404(
        agent_demarches(request.user).select_related("authority", "owner", "search_entry"),
        number=numbering.normalize(number),
    )
