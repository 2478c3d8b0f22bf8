"""`{% fixedpart vary1 vary2 %}…{% endfixedpart %}`: a part of a template
that is the same on every page sharing the language and the `vary` values
(the header's menu, the footer's links) is rendered once per process and
reused. On "Mes démarches" the menu and footer were about a third of the
template's time: two dozen `{% url %}` reversals and fifty `{% if %}` for
the same few dozen links (docs/capacity.md, fourth pass).

What goes inside must depend only on the language, the URL configuration
and the `vary` values: never on the user beyond them, never a CSRF token
(refused when rendered) or a nonce. With the cached template loader the
parsed templates live as long as the process, so parts are keyed by their
template and position; under DEBUG's reloading loader nothing is kept, so
an edited template shows at once.

The position is a number given to each part when its template is parsed:
without the template engine's debug mode (production), tokens carry no
position in the source, and every part of a template shared one key (the
skip links were shown in place of the header's brand and the footer's
body: docs/capacity.md sixth pass)."""

from __future__ import annotations

from itertools import count

from django import template
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# Parts × languages × vary values: a few hundred in practice; the bound
# only protects memory from a `vary` value a visitor could choose.
MAX_PARTS = 2_000
_parts: dict[tuple, str] = {}
# Each part's number, given at parse time (a template parsed again, when a
# loader reloads it, gets new numbers; its old parts age out with MAX_PARTS).
_serials = count()


def forget_parts() -> None:
    """Drop every kept part (tests that change URLs or templates)."""
    _parts.clear()


class FixedPartNode(template.Node):
    def __init__(self, nodelist, vary):
        self.nodelist = nodelist
        self.vary = vary
        self.serial = next(_serials)

    def render(self, context):
        if settings.DEBUG:
            return self.nodelist.render(context)
        key = (
            self.serial,
            get_language(),
            get_script_prefix(),
            get_urlconf(),
            *(value.resolve(context) for value in self.vary),
        )
        part = _parts.get(key)
        if part is None:
            part = self.nodelist.render(context)
            if "csrfmiddlewaretoken" in part:
                raise ImproperlyConfigured(
                    "{% fixedpart %} ne peut pas contenir de jeton CSRF (propre à chaque visiteur)."
                )
            if len(_parts) >= MAX_PARTS:
                _parts.clear()
            _parts[key] = part = mark_safe(part)
        return part


@register.tag("fixedpart")
def do_fixedpart(parser, token):
    vary = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfixedpart",))
    parser.delete_first_token()
    return FixedPartNode(nodelist, vary)
