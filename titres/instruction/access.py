"""Agents' access to the files of their authorities (plugged into the
engine's access policies) and the reads every agent view goes through."""

from django.db.models import Q

from titres.core.prepared import PreparedInstances
from titres.procedures.access import AccessPolicy, agent_filter, is_verified
from titres.procedures.enums import Status
from titres.procedures.models import Demarche

from .enums import ACTING_ROLES, AgentRole
from .models import AgentMembership


class MembershipPolicy(AccessPolicy):
    """An agent sees the submitted files of the authorities they belong to,
    with the role of their membership there, once the second factor is
    verified (a password-only session is granted nothing)."""

    def admits(self, user) -> bool:
        """Whether this policy grants `user` anything at all: `agent_filter`
        is None exactly when it does not."""
        return bool(user.is_authenticated and user.is_active and is_verified(user))

    def agent_filter(self, user):
        if not self.admits(user):
            return None
        authorities = AgentMembership.objects.filter(user=user).values("authority_id")
        return Q(authority_id__in=authorities)

    def agent_roles(self, user, demarche):
        if not demarche.authority_id or not (user.is_active and is_verified(user)):
            return set()
        return set(
            AgentMembership.objects.filter(
                user=user, authority_id=demarche.authority_id
            ).values_list("role", flat=True)
        )


POLICY = MembershipPolicy()


def request_memberships(request) -> list:
    """The signed-in agent's memberships, authority joined, read once per
    request: `agent_view`'s check, the page's authority and role
    (`views.common.authority_of`) and the authority switcher all use this
    list (three queries were one each)."""
    memberships = getattr(request, "_agent_memberships", None)
    if memberships is None:
        user = request.user
        # memberships_of(user)'s rows, the query compiled once per process
        # (issue 17: the ORM's compilation was a tenth of the work list).
        memberships = _MEMBERSHIPS.list(user=user.pk) if user.is_authenticated else []
        request._agent_memberships = memberships
    return memberships


def memberships_of(user):
    if not user.is_authenticated:
        return AgentMembership.objects.none()
    return AgentMembership.objects.filter(user=user).select_related("authority")


_MEMBERSHIPS = PreparedInstances(
    AgentMembership,
    lambda *, user: AgentMembership.objects.filter(user=user),
    related=("authority",),
)


def agent_demarches(user):
    """Files `user` may open as an agent: what the engine's policies grant,
    restricted to the authorities of their memberships (the back office is
    per authority). Drafts never appear."""
    condition = agent_filter(user)
    if condition is None:
        return Demarche.objects.none()
    authorities = AgentMembership.objects.filter(user=user).values("authority_id")
    return (
        Demarche.objects.filter(condition)
        .filter(authority_id__in=authorities)
        .exclude(status=Status.BROUILLON)
    )


def authority_demarches(request, authority):
    """`agent_demarches(request.user).filter(authority=authority)`, in SQL
    the work list's database plans and Django compiles in a fraction of the
    time (issue 17: the two membership subqueries and, for a staff agent,
    the two permission queries of `PermissionPolicy` were a third of the
    page).

    The same files: when the request's agent is a member of `authority`
    (`request_memberships`, read once per request) and passes
    MembershipPolicy's own check (active, second factor verified), that
    policy grants every submitted file of the authority; the other
    policies can only add files, which the restriction to `authority`
    removes again. Anyone else gets nothing, as `agent_demarches` gives."""
    if not admitted(request, authority):
        return Demarche.objects.none()
    return authority_scope(authority.pk)


def admitted(request, authority) -> bool:
    """Whether `authority_demarches(request, authority)` gives the
    authority's files (`authority_scope`) rather than none."""
    member = any(m.authority_id == authority.pk for m in request_memberships(request))
    # POLICY.admits: agent_filter's own check, without building the
    # membership subquery it would return (twice a page, issue 17).
    return member and POLICY.admits(request.user)


def authority_scope(authority_id):
    """The files an admitted member of the authority sees: every submitted
    one. Only for `admitted` requests (the work list's prepared queries,
    `worklist_query`, are built on it)."""
    return Demarche.objects.filter(authority_id=authority_id).exclude(status=Status.BROUILLON)


def role_on(user, authority_id) -> str | None:
    return (
        AgentMembership.objects.filter(user=user, authority_id=authority_id)
        .values_list("role", flat=True)
        .first()
    )


def can_act(role: str | None) -> bool:
    return role in ACTING_ROLES


def is_chef(role: str | None) -> bool:
    return role == AgentRole.CHEF_DE_SERVICE
