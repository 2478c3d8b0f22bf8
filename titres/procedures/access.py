"""Who may see and act on a démarche besides its owner.

Access policies are pluggable so the back office (app `instruction`) can
grant agents access to the files of their authority without this app
importing it. Policies are combined: a user gets the union of what each
policy grants. The default policy relies on global permissions held by staff
accounts (national supervision and tests):

- procedures.instruire_demarche → agent_instructeur on every submitted file
- procedures.superviser_demarche → chef_de_service on every submitted file
- procedures.consulter_demarche → lecture_seule on every submitted file

The instruction app registers its own policy, e.g. in its AppConfig.ready():

    class MembershipPolicy(AccessPolicy):
        def agent_filter(self, user):
            return Q(authority__memberships__user=user)
        def agent_roles(self, user, demarche):
            return {m.role for m in user.memberships.filter(authority=demarche.authority_id)}

    register_access_policy(MembershipPolicy())

Agents never see drafts: a draft belongs to its owner alone.

No policy grants anything to a session that has not passed the second
factor: `is_verified(user)` (django-otp's `user.is_verified()`, set on
`request.user` by OTPMiddleware) must be true. A user object that does not
come from a verified request (password-only sign-in, a shell) is no agent.
"""

from django.db.models import Q

from .enums import Role, Status


def is_verified(user) -> bool:
    """Whether `user` passed the second factor in this session (django-otp)."""
    return bool(getattr(user, "is_verified", lambda: False)())


class AccessPolicy:
    def agent_filter(self, user) -> Q | None:
        """Q over Demarche of the files `user` may open as an agent (None: none)."""
        return None

    def agent_roles(self, user, demarche) -> set[str]:
        """Agent roles `user` holds on `demarche`."""
        return set()


class PermissionPolicy(AccessPolicy):
    PERMISSIONS = {
        "procedures.instruire_demarche": Role.AGENT_INSTRUCTEUR,
        "procedures.superviser_demarche": Role.CHEF_DE_SERVICE,
        "procedures.consulter_demarche": Role.LECTURE_SEULE,
    }

    def _roles(self, user) -> set[str]:
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return set()
        if not is_verified(user):
            return set()
        return {role for perm, role in self.PERMISSIONS.items() if user.has_perm(perm)}

    def agent_filter(self, user):
        # Not Q(): an empty Q vanishes when OR-ed with another policy's Q.
        return Q(pk__isnull=False) if self._roles(user) else None

    def agent_roles(self, user, demarche):
        return self._roles(user)


_POLICIES: list[AccessPolicy] = [PermissionPolicy()]


def register_access_policy(policy: AccessPolicy) -> None:
    if policy not in _POLICIES:
        _POLICIES.append(policy)


def unregister_access_policy(policy: AccessPolicy) -> None:
    if policy in _POLICIES:
        _POLICIES.remove(policy)


def agent_filter(user) -> Q | None:
    """Union of the policies' filters, drafts excluded; None when the user
    is no agent at all."""
    if not user.is_authenticated:
        return None
    combined = None
    for policy in _POLICIES:
        q = policy.agent_filter(user)
        if q is not None:
            combined = q if combined is None else combined | q
    if combined is None:
        return None
    return combined & ~Q(status=Status.BROUILLON)


def agent_roles(user, demarche) -> set[str]:
    if not user or not user.is_authenticated or demarche.status == Status.BROUILLON:
        return set()
    roles: set[str] = set()
    for policy in _POLICIES:
        roles |= set(policy.agent_roles(user, demarche))
    return roles


def roles_of(user, demarche) -> set[str]:
    """Every role `user` may act with on `demarche`."""
    roles = agent_roles(user, demarche)
    if user is not None and user.is_authenticated and demarche.owner_id == user.pk:
        roles.add(Role.USAGER)
    return roles
