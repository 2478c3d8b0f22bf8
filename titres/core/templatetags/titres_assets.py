"""django-dsfr's style sheets, icons and scripts (its `dsfr_css`,
`dsfr_favicon` and `dsfr_js` inclusion tags) rendered from its own
templates once per process, then reused: three inclusion tags and nine
`{% static %}` lookups in the manifest were the same on every page
(issue 17, docs/capacity.md fifth pass).

They depend only on the settings and the static files manifest, fixed for
the life of a process; the scripts' CSP nonce, new on every request, is put
into the kept HTML each time. Under DEBUG nothing is kept, as for
`{% fixedpart %}`."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from dsfr.templatetags.dsfr_tags import dsfr_css, dsfr_js

register = template.Library()

# Stands for the nonce in the kept scripts: letters only, never escaped,
# never in django-dsfr's markup.
_NONCE = "TITRESDSFRNONCE"
_kept: dict[str, str] = {}


def _render(name: str, build) -> str:
    if settings.DEBUG:
        return build()
    html = _kept.get(name)
    if html is None:
        html = _kept[name] = build()
    return html


def forget_assets() -> None:
    """Drop the kept HTML (tests that change the static files settings)."""
    _kept.clear()


@register.simple_tag
def dsfr_head():
    """`{% dsfr_css %}{% dsfr_favicon %}`."""
    return mark_safe(
        _render(
            "head",
            lambda: (
                render_to_string("dsfr/global_css.html", dsfr_css())
                + render_to_string("dsfr/favicon.html", {})
            ),
        )
    )


@register.simple_tag
def dsfr_scripts(nonce=""):
    """`{% dsfr_js nonce=nonce %}`."""
    if not nonce:
        return mark_safe(
            _render("scripts", lambda: render_to_string("dsfr/global_js.html", dsfr_js({})))
        )
    html = _render(
        "scripts-nonce",
        lambda: render_to_string("dsfr/global_js.html", dsfr_js({}, nonce=_NONCE)),
    )
    return mark_safe(html.replace(_NONCE, str(conditional_escape(nonce))))
