"""Pages of the local identity provider (public: it is not the portal)."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.models import get_access_token_model, get_application_model
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views.mixins import OAuthLibMixin
from oauth2_provider.views.oidc import RPInitiatedLogoutView
from oauthlib.common import add_params_to_uri

from .citizens import DEMO_CLIENT_ID, ensure_citizens, ensure_demo_application
from .provider import ACR, PIVOT_CLAIMS, SCOPES
from .validators import issuer_for


def _absolute(request, name: str) -> str:
    return request.build_absolute_uri(reverse(f"devidp:{name}"))


@login_not_required
def discovery(request):
    """OpenID Provider metadata, shaped like FranceConnect v2's."""
    data = {
        "issuer": issuer_for(request),
        "authorization_endpoint": _absolute(request, "authorize"),
        "token_endpoint": _absolute(request, "token"),
        "userinfo_endpoint": _absolute(request, "userinfo"),
        "end_session_endpoint": _absolute(request, "end_session"),
        "jwks_uri": _absolute(request, "jwks"),
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["pairwise"],
        "acr_values_supported": [ACR],
        "claims_supported": ["sub", "acr", "amr", *PIVOT_CLAIMS, "email"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "userinfo_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": oauth2_settings.OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED,
        "request_parameter_supported": False,
        "claims_parameter_supported": False,
    }
    return JsonResponse(data)


@method_decorator(login_not_required, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class AuthorizeView(OAuthLibMixin, View):
    """The authorization endpoint: validate the request with
    django-oauth-toolkit, let the person pick a demo citizen, issue the code.

    Nobody signs in to this provider: the chosen citizen is handed to
    oauthlib for this one request, the portal session is left untouched."""

    template_name = "devidp/authorize.html"

    def _validate(self, request):
        if request.GET.get("client_id") == DEMO_CLIENT_ID:
            # A newcomer may click the button before `load_demo` has run.
            ensure_demo_application()
        return self.validate_authorization_request(request)

    def _error(self, error, status=400):
        redirect, response = self.error_response(error)
        if redirect:
            return OAuth2ResponseRedirect(
                response["url"], oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES
            )
        return render(
            self.request,
            "devidp/error.html",
            {"error": response["error"]},
            status=response["error"].status_code or status,
        )

    def get(self, request, *args, **kwargs):
        try:
            scopes, credentials = self._validate(request)
        except OAuthToolkitError as error:
            return self._error(error)
        application = get_application_model().objects.get(client_id=credentials["client_id"])
        return render(
            request,
            self.template_name,
            {
                "citizens": ensure_citizens(),
                "application": application,
                "scopes": [SCOPES.get(scope, scope) for scope in scopes],
            },
        )

    def post(self, request, *args, **kwargs):
        try:
            scopes, credentials = self._validate(request)
            allow = "cancel" not in request.POST
            citizen = None
            if allow:
                slug = request.POST.get("citizen", "")
                citizen = next((c for c in ensure_citizens() if c.slug == slug), None)
                if citizen is None:
                    application = get_application_model().objects.get(
                        client_id=credentials["client_id"]
                    )
                    return render(
                        request,
                        self.template_name,
                        {
                            "citizens": ensure_citizens(),
                            "application": application,
                            "scopes": [SCOPES.get(scope, scope) for scope in scopes],
                            "missing_choice": True,
                        },
                        status=400,
                    )
                citizen.user.last_login = timezone.now()
                citizen.user.save(update_fields=["last_login"])
            portal_user = request.user
            if citizen is not None:
                request.user = citizen.user
            try:
                uri, _headers, _body, _status = self.create_authorization_response(
                    request, scopes=" ".join(scopes), credentials=credentials, allow=allow
                )
            finally:
                request.user = portal_user
        except OAuthToolkitError as error:
            return self._error(error)
        application = get_application_model().objects.get(client_id=credentials["client_id"])
        return OAuth2ResponseRedirect(uri, application.get_allowed_schemes())


@method_decorator(login_not_required, name="dispatch")
class EndSessionView(RPInitiatedLogoutView):
    """RP-initiated logout. Never asks for confirmation and never touches the
    portal's own session (both live on the same origin in development)."""

    template_name = "devidp/error.html"

    def must_prompt(self, token_user):
        return False

    def do_logout(
        self, application=None, post_logout_redirect_uri=None, state=None, token_user=None
    ):
        if token_user is not None:
            for token in get_access_token_model().objects.filter(user=token_user):
                if token.id_token:
                    token.id_token.revoke()
                token.revoke()
        if post_logout_redirect_uri:
            params = [("state", state)] if state else []
            return OAuth2ResponseRedirect(
                add_params_to_uri(post_logout_redirect_uri, params),
                application.get_allowed_schemes(),
            )
        return render(self.request, "devidp/logged_out.html")
