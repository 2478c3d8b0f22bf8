"""Malformed input never makes a server error (security review, item 9).

For every URL pattern of the project (the list of tests/test_url_matrix.py,
operators' admin aside: Django's own), as a profile allowed to use it and
as an anonymous visitor: read the form fields the page offers, then send
each malformed value below in every field, by POST and in the query
string, and in the URL's own arguments. Any 5xx fails, with the request
that caused it.
"""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.test_url_matrix import (
    URLS,
    fresh_client,
    is_admin,
    url_patterns,
    world,  # noqa: F401 - the matrix's fixture
)

pytestmark = pytest.mark.django_db

MALFORMED = [
    "",
    "not-a-uuid",
    "ı\u202e\ufeff",  # dotless i (changes under upper()), bidi override, BOM
    "x" * 5000,
    "-99999999999999999999999999",
    "2026-02-30",
]
# Field names always tried, whatever the page shows (hidden in JavaScript,
# or read by the view from request.POST directly).
ALWAYS = ["next", "replaces", "page", "q", "signature", "reference", "amount", "confirmer"]
FIELD = r'name="([^"]{1,80})"'
# Views that call an outside service answer 502 when it is unreachable (no
# FranceConnect runs during the tests): a true answer, not a crash.
UPSTREAM = {"franceconnect:login", "franceconnect:start_link"}


def _server_error(key, status) -> bool:
    if status == 502 and key in UPSTREAM:
        return False
    return URLS[key].server_error(status)


def _fields(response) -> list[str]:
    import re

    if "text/html" not in response.get("Content-Type", ""):
        return ALWAYS
    names = set(re.findall(FIELD, response.content.decode(errors="replace")))
    return sorted((names - {"csrfmiddlewaretoken"}) | set(ALWAYS))


def _profile(entry) -> str:
    for profile in ("usager", "agent_a", "operateur", "auto_ecole", "agent_a_sans_2fa"):
        if profile in entry.allowed:
            return profile
    return "usager"


def test_malformed_values_in_every_form_and_query(world):  # noqa: F811
    problems = []
    for key, _pattern, route in url_patterns():
        if is_admin(route) or key not in URLS:
            continue  # a missing entry is reported by test_every_url_pattern_has_an_entry
        entry = URLS[key]
        url = reverse(key, args=entry.args(world) if entry.args else [])
        for profile in {_profile(entry), "anonyme"}:
            reader = fresh_client(world, profile)
            fields = _fields(reader.get(url))
            for value in MALFORMED:
                data = dict.fromkeys(fields, value)
                # GET changes nothing: one session; POST may sign out: a new one each time.
                for client, method in ((reader, "get"), (fresh_client(world, profile), "post")):
                    response = getattr(client, method)(url, data)
                    if _server_error(key, response.status_code):
                        problems.append(
                            f"{response.status_code} {method.upper()} {url} en tant que "
                            f"{profile} avec {value[:30]!r} dans {', '.join(fields)[:200]}"
                        )
    assert not problems, "\n".join(problems)


def test_malformed_url_arguments(world):  # noqa: F811
    problems = []
    for key, pattern, route in url_patterns():
        if is_admin(route) or key not in URLS or not pattern.pattern.converters:
            continue
        entry = URLS[key]
        real = entry.args(world) if entry.args else []
        for position, name in enumerate(pattern.pattern.converters):
            for value in ("ı", "x" * 300, "0", "..", "%00", "-1"):
                args = list(real)
                args[position] = value
                try:
                    url = reverse(key, args=args)
                except NoReverseMatch:  # the converter refuses it: nothing to request
                    continue
                response = fresh_client(world, _profile(entry)).get(url)
                if _server_error(key, response.status_code):
                    problems.append(f"{response.status_code} GET {url} ({name}={value!r})")
    assert not problems, "\n".join(problems)
