"""Request helpers shared by the apps' views."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, url: str | None) -> str:
    """`url` when it is safe to redirect to after an action (a path on this
    host, and HTTPS when the request is), else ''.

    Only absolute paths ("/..."): `redirect()` would take any other string
    for a view name and fail with NoReverseMatch (a 500 found by the fuzz
    test with next=not-a-uuid), and a relative path means nothing here."""
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return ""
