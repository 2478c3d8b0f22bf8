"""Authentication backend with the portal's progressive lockout.

The portal login (authenticate_login) checks the lockout itself and
never calls django.contrib.auth.authenticate(). Everything else that does -
the operators' admin login at /gestion/ above all - goes through this
backend, so a password tried there is counted and refused exactly like on
the portal: one failure = one count, whichever door was used.

settings.AUTHENTICATION_BACKENDS must list this backend first:

    AUTHENTICATION_BACKENDS = [
        "titres.accounts.backends.LockoutModelBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]

(ModelBackend stays listed because sessions opened before 4 December 2026
name it; it never accepts a password this backend refused: a locked
identifier raises PermissionDenied, which stops authenticate().)

The sessions that the portal, the agents' entrance and FranceConnect open
name this backend (`SESSION_BACKEND`): its `get_user`, run on every request
of a signed-in person, reads the account with a query compiled once per
process instead of building and compiling `get(pk=…)` each time (issue 17,
docs/capacity.md eighth pass); same account, same refusal of an inactive
one.
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from titres.core.journal import client_ip
from titres.core.prepared import PreparedInstances

from . import lockout
from .identifiers import identifier_key

# Set on the request when a lock refused the attempt: the admin login form
# shows why instead of "wrong password".
LOCK_MESSAGE_ATTRIBUTE = "accounts_lock_message"

# What login() records in the session: the backend whose get_user loads the
# account on the next requests.
SESSION_BACKEND = "titres.accounts.backends.LockoutModelBackend"


@cache
def _account_query() -> PreparedInstances:
    model = get_user_model()  # not at import: the app registry may not be ready
    return PreparedInstances(model, lambda *, pk: model._default_manager.filter(pk=pk))


def account_by_pk(user_id):
    """`User._default_manager.get(pk=user_id)`, or None when there is no
    such account (ModelBackend.get_user's read)."""
    return _account_query().first(pk=user_id)


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        from .services.login import lock_message, record_locked_attempt, record_login_failure

        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        identifier = str(username).strip()
        user = User.objects.filter(username_key=identifier_key(identifier)).order_by("pk").first()
        account = lockout.account_key(user=user, identifier=identifier)
        lock = lockout.current_lock(account, client_ip(request))
        if lock:
            record_locked_attempt(lock=lock, user=user, request=request)
            self._refuse(request, lock_message(lock))
        if user is None:
            User().set_password(password)  # same time whether the account exists or not
        elif user.check_password(password):
            if not self.user_can_authenticate(user) or getattr(user, "is_suspended", False):
                return None  # the right password: not a guess to count
            lockout.clear_account(account)
            return user
        lock = record_login_failure(identifier=identifier, user=user, request=request)
        if lock:
            self._refuse(request, lock_message(lock))
        return None

    def get_user(self, user_id):
        """ModelBackend.get_user without the ORM's compilation on every
        request: the account, or None when it is gone or inactive."""
        user = account_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    @staticmethod
    def _refuse(request, message: str):
        if request is not None:
            setattr(request, LOCK_MESSAGE_ATTRIBUTE, message)
        raise PermissionDenied(message)
