"""The Content-Security-Policy header of `titres.core.csp.CSPMiddleware`
(the policy text kept per process) is django-csp's own, response by
response."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from titres.core.csp import CSPMiddleware

NONCE_VALUE = "bm9uY2UtZHUtdGVzdA=="


def headers(middleware_class, path="/", *, nonce: bool, prepare=lambda response: None):
    """(header, report-only header) of one response through the middleware."""
    request = RequestFactory().get(path)
    if nonce:
        request._csp_nonce = NONCE_VALUE  # the same nonce for both middlewares

    def view(request):
        response = HttpResponse("page")
        if nonce:
            assert str(request.csp_nonce) == NONCE_VALUE
        prepare(response)
        return response

    response = middleware_class(view)(request)
    return response.get(HEADER), response.get(HEADER_REPORT_ONLY), request


def both(**kwargs):
    ours = headers(CSPMiddleware, **kwargs)[:2]
    theirs = headers(DjangoCSPMiddleware, **kwargs)[:2]
    assert ours == theirs
    return ours


def test_the_portal_uses_this_middleware():
    assert "titres.core.csp.CSPMiddleware" in settings.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE


def test_the_header_with_the_nonce():
    header, report_only = both(nonce=True)
    assert f"script-src 'self' 'nonce-{NONCE_VALUE}'" in header
    assert "frame-ancestors 'none'" in header
    assert report_only is None


def test_the_header_without_a_nonce():
    header, _report_only = both(nonce=False)
    assert "script-src 'self'" in header
    assert "nonce" not in header


def test_each_response_gets_its_own_nonce():
    first = headers(CSPMiddleware, nonce=False)
    request = RequestFactory().get("/")
    middleware = CSPMiddleware(lambda request: HttpResponse(str(request.csp_nonce)))
    response = middleware(request)
    nonce = response.content.decode()
    assert f"'nonce-{nonce}'" in response[HEADER]
    assert nonce not in first[0]


@pytest.mark.parametrize(
    "prepare",
    [
        lambda r: setattr(r, "_csp_update", {"img-src": ["https://tuiles.exemple.fr"]}),
        lambda r: setattr(r, "_csp_replace", {"script-src": [SELF]}),
        lambda r: setattr(r, "_csp_config", {"default-src": ["'none'"]}),
        lambda r: setattr(r, "_csp_update_ro", {"img-src": ["https://tuiles.exemple.fr"]}),
    ],
)
def test_a_views_own_policy_is_django_csps(prepare):
    header, _report_only = both(nonce=True, prepare=prepare)
    assert header


def test_an_exempt_response_and_a_header_already_set_are_left_alone():
    assert both(nonce=False, prepare=lambda r: setattr(r, "_csp_exempt", True)) == (None, None)

    def stricter(response):
        response[HEADER] = "default-src 'none'; sandbox"

    assert both(nonce=True, prepare=stricter)[0] == "default-src 'none'; sandbox"


def test_excluded_prefixes(settings):
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": ["/sans-csp/"],
    }
    assert both(path="/sans-csp/page", nonce=False) == (None, None)
    assert both(path="/page", nonce=False)[0]


def test_a_changed_setting_is_read_again(settings):
    before = both(nonce=True)[0]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE, "https://cdn.exemple.fr"]}
    }
    after = both(nonce=True)[0]
    assert after != before
    assert "https://cdn.exemple.fr" in after


def test_a_report_only_policy_is_django_csps(settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    _header, report_only = both(nonce=True)
    assert report_only == "default-src 'none'"


def test_a_policy_without_nonce_source_is_django_csps(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF]}}
    assert both(nonce=True)[0] == "default-src 'self'"


def test_the_nonce_read_after_the_header_raises():
    _header, _report_only, request = headers(CSPMiddleware, nonce=False)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
