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


# What every part's key shares, read once per template render (the
# render context's level of a template and its parents, a fresh one for
# each include): three context-local reads were about thirty of the forty
# calls of a part, and a page has some fifteen parts (docs/capacity.md,
# eighth pass (b)).
_SHARED = "titres_fragments_shared_key"


def _shared_key() -> tuple:
    return (get_language(), get_script_prefix(), get_urlconf())


class FixedPartNode(template.Node):
    def __init__(self, nodelist, vary, in_language_block=False):
        self.nodelist = nodelist
        self.vary = vary
        self.serial = next(_serials)
        # Inside `{% language %}` the language is not the page's: read it
        # each time, and never share it with the template's other parts.
        self.in_language_block = in_language_block

    def render(self, context):
        if settings.DEBUG:
            return self.nodelist.render(context)
        if self.in_language_block:
            shared = _shared_key()
        else:
            shared = context.render_context.get(_SHARED)
            if shared is None:
                shared = context.render_context[_SHARED] = _shared_key()
        key = (self.serial, *shared, *(value.resolve(context) for value in self.vary))
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
    # The tags this one is nested in (the parser's stack of open tags).
    in_language_block = any(command == "language" for command, _token in parser.command_stack)
    nodelist = parser.parse(("endfixedpart",))
    parser.delete_first_token()
    return FixedPartNode(nodelist, vary, in_language_block)


@register.simple_tag(takes_context=True)
def user_name(context):
    """`{{ user.get_full_name|default:user.username }}` (the header's
    account link, the agent bar), escaped the same way by the simple tag:
    about twenty calls instead of ninety-five (docs/capacity.md, eighth
    pass (b)). Nothing for the anonymous user, as the expression gave."""
    user = context.get("user")
    full_name = getattr(user, "get_full_name", None)
    name = full_name() if callable(full_name) else ""
    return name or getattr(user, "username", "") or ""
