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

(ModelBackend stays listed because the portal and the back office open
sessions naming it; it never accepts a password this backend refused: a
locked identifier raises PermissionDenied, which stops authenticate().)
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from titres.core.journal import client_ip

from . import lockout
from .identifiers import identifier_key

# Set on the request when a lock refused the attempt: the admin login form
# shows why instead of "wrong password".
LOCK_MESSAGE_ATTRIBUTE = "accounts_lock_message"


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

    @staticmethod
    def _refuse(request, message: str):
        if request is not None:
            setattr(request, LOCK_MESSAGE_ATTRIBUTE, message)
        raise PermissionDenied(message)
