"""django-csp's middleware with the policy text built once per process.

`csp.middleware.CSPMiddleware` rebuilds the Content-Security-Policy header
from the settings on every response (copies of every directive, the
nonce put in, the dataclass turned into a dict twice): about 330 Python
calls a page, 3 % of "Mes démarches" (issue 17, docs/capacity.md eighth
pass). The header only changes with the nonce, so this middleware keeps
the policy django-csp builds for a placeholder nonce and puts each
response's nonce in its place.

Whatever else may change the header goes through django-csp's own code,
unchanged: a view's `@csp_update` / `@csp_replace` / `@csp` policy, a
report-only policy in the settings, `DEBUG` (its exemption of the error
pages). The checks are the same: no header over one already set, none
on `@csp_exempt` responses or below `EXCLUDE_URL_PREFIXES`, and reading
the nonce after the header was written still raises.
tests/core/test_csp_header.py compares both middlewares' headers."""

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# Per-response policies (django-csp's decorators) and exemptions.
_RESPONSE_POLICIES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_PLACEHOLDER = "titres-csp-nonce-placeholder"
_policies: dict[bool, str | None] = {}


@receiver(setting_changed)
def _forget(setting, **_kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.clear()


def _policy(with_nonce: bool) -> str | None:
    """The header for the settings' policy, with the placeholder nonce (or
    none); None when the placeholder is not found exactly once (the
    caller then lets django-csp build it)."""
    if with_nonce not in _policies:
        text = build_policy(nonce=_PLACEHOLDER if with_nonce else None)
        if with_nonce and text.count(_PLACEHOLDER) != 1:
            text = None
        _policies[with_nonce] = text
    return _policies[with_nonce]


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or any(getattr(response, name, None) is not None for name in _RESPONSE_POLICIES)
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        policy = _policy(nonce is not None)
        if policy is None:
            return super().process_response(request, response)
        if nonce is not None:
            policy = policy.replace(_PLACEHOLDER, nonce)
        if policy and getattr(response, "_csp_exempt", False) is False and HEADER not in response:
            config = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
            prefixes = config.get("EXCLUDE_URL_PREFIXES", None) or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[HEADER] = policy
        if nonce is None:
            # As django-csp: a nonce read now would not be in the header.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
