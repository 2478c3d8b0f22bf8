"""Request helpers shared by the apps' views."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, url: str | None) -> str:
    """`url` when it is safe to redirect to after an action (this host only,
    and HTTPS when the request is), else ''."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""
