"""django-dsfr's style sheets, icons and scripts kept per process
(titres_assets): the HTML of its own inclusion tags, the request's CSP
nonce on the scripts every time, nothing kept under DEBUG."""

import re

import pytest
from django.template import engines
from django.urls import reverse

from titres.core.templatetags import titres_assets

ENGINE = engines["django"]
DSFR = "{% load dsfr_tags %}"
OURS = "{% load titres_assets %}"


@pytest.fixture(autouse=True)
def _fresh():
    titres_assets.forget_assets()
    yield
    titres_assets.forget_assets()


def _render(body, context=None):
    return ENGINE.from_string(body).render(context or {})


def test_the_head_is_django_dsfr_own(settings):
    settings.DEBUG = False
    expected = _render(DSFR + "{% dsfr_css %}{% dsfr_favicon %}")
    assert _render(OURS + "{% dsfr_head %}") == expected
    assert _render(OURS + "{% dsfr_head %}") == expected  # kept


@pytest.mark.parametrize("nonce", ["", "abc+/=", 'x"<y'])
def test_the_scripts_are_django_dsfr_own_with_each_nonce(settings, nonce):
    settings.DEBUG = False
    for value in (nonce, nonce + "2"):  # a new nonce each request, the HTML kept
        expected = _render(DSFR + "{% dsfr_js nonce=nonce %}", {"nonce": value})
        assert _render(OURS + "{% dsfr_scripts nonce %}", {"nonce": value}) == expected


def test_nothing_is_kept_under_debug(settings):
    settings.DEBUG = True
    _render(OURS + "{% dsfr_head %}{% dsfr_scripts 'n' %}")
    assert titres_assets._kept == {}


@pytest.mark.django_db
def test_a_page_s_scripts_carry_the_nonce_of_its_policy(client, settings):
    settings.DEBUG = False
    nonces = []
    for _ in range(2):
        response = client.get(reverse("core:home"))
        page = response.content.decode()
        header = response.headers["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", header).group(1)
        scripts = re.findall(r'<script[^>]*\bnonce="([^"]*)"', page)
        assert len(scripts) >= 3 and set(scripts) == {nonce}
        assert page.count('rel="manifest"') == 1 and "dsfr.module.min.js" in page
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
