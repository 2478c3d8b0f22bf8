from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .services.login import suspension_message
from .services.suspension import restore_if_expired
from .services.terms import current_terms, has_accepted

TERMS_SESSION_KEY = "accounts_terms_version"


class TermsAcceptanceMiddleware:
    """Before anything else, a signed-in person must:

    - not be under a temporary suspension (if an operator suspends an account
      while it is in use, the session ends at the next request, with the
      reason and the end date);
    - have accepted the current terms of use: otherwise every page leads to
      the terms page, where they read and accept them.

    Let through: anonymous visitors, the terms page and logout, static files,
    health probes, the development mailbox, CAPTCHA images, the language
    switch and FranceConnect's endpoints; staff users keep the operators'
    admin (/gestion/) so they can manage terms versions. The agents' back
    office (/agent/) follows its own rules, not the public portal's terms:
    the prefixes in settings.TERMS_EXEMPT_PATH_PREFIXES (default: /agent/)
    are let through too."""

    TECHNICAL = ("/healthz", "/readyz", "/dev/mailbox/", "/captcha/")
    ALWAYS_OPEN = (*TECHNICAL, "/i18n/", "/franceconnect/", "/devidp/")

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self):
        if self._open_paths is None:
            self._open_paths = (
                *self.ALWAYS_OPEN,
                *getattr(settings, "TERMS_EXEMPT_PATH_PREFIXES", ("/agent/",)),
                settings.STATIC_URL,
                reverse("accounts:terms"),
                reverse("accounts:logout"),
            )
        return self._open_paths

    def __call__(self, request):
        response = self.check(request)
        return response or self.get_response(request)

    def check(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        path = request.path_info
        if path.startswith((*self.TECHNICAL, settings.STATIC_URL)):
            return None
        if user.suspended_until and not restore_if_expired(user):
            message = suspension_message(user)
            logout(request)
            messages.error(request, message)
            return redirect("accounts:login")
        if path.startswith(self.open_paths()):
            return None
        if user.is_staff and path.startswith("/gestion/"):
            return None
        terms = current_terms()
        if terms is None or request.session.get(TERMS_SESSION_KEY) == terms.version:
            return None
        if has_accepted(user, terms):
            request.session[TERMS_SESSION_KEY] = terms.version
            return None
        return redirect(
            reverse("accounts:terms") + "?" + urlencode({"next": request.get_full_path()})
        )
