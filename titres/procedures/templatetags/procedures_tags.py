from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from titres.core.rows import day, day_time, esc, number_url

from ..list_actions import LABELS, action_codes
from ..registry import find_procedure

register = template.Library()


@register.simple_tag
def status_badge(demarche):
    """A démarche's status as a DSFR badge (every list and file page)."""
    return mark_safe(
        f'<p class="fr-badge fr-badge--sm {esc(demarche.status_badge)}">'
        f"{esc(demarche.get_status_display())}</p>"
    )


# Each status's badge per language, kept for the process: its lazy label
# was about forty calls a status on every list (docs/capacity.md, ninth
# pass (b)). A status is one of a few choices; the bound only protects
# memory from values the database should never hold.
_BADGES: dict[str | None, dict[str, str]] = {}
_MAX_KEPT = 100


def _kept(kept: dict, key, make):
    value = kept.get(key)
    if value is None:
        if len(kept) >= _MAX_KEPT:
            kept.clear()
        value = kept[key] = make()
    return value


class StatusBadges:
    """`status_badge` for the rows of one list: each status's badge built
    once per process and language (its label translated once), not on
    every row."""

    def __init__(self):
        self.badges = _kept(_BADGES, get_language(), dict)

    def __call__(self, demarche) -> str:
        badge = self.badges.get(demarche.status)
        if badge is None:
            if len(self.badges) >= _MAX_KEPT:
                self.badges.clear()
            badge = self.badges[demarche.status] = status_badge(demarche)
        return badge


class _Prefixed:
    """`esc(number_url(viewname)(number))` for a démarche number made of
    ASCII letters and digits (the URL is then its prefix, the number and
    its suffix, and escaping leaves the number as it is); anything else
    goes through `number_url` and `esc`."""

    MARK = "TITRESNUMBERMARK"

    def __init__(self, viewname: str):
        self.url = number_url(viewname)
        prefix, _mark, suffix = self.url(self.MARK).partition(self.MARK)
        self.prefix, self.suffix = esc(prefix), esc(suffix)

    def __call__(self, number: str, plain: bool) -> str:
        if plain:
            return f"{self.prefix}{number}{self.suffix}"
        return esc(self.url(number))


class _Shared:
    """What the rows of "Mes démarches" take from the language and the URL
    configuration only: the actions' labels, "Ok", the two URLs. Built
    once per process and `_shared_key()` (four lazy labels and two
    reversals were about 550 calls a page: docs/capacity.md, ninth pass
    (b)), with the drop-downs of each set of actions."""

    def __init__(self):
        self.detail = _Prefixed("procedures:detail")
        self.act = _Prefixed("procedures:act")
        self.labels = {code: esc(label) for code, label in LABELS.items()}
        self.label = _("Action sur la démarche n° %(n)s")
        self.ok = esc(_("Ok"))
        self.options: dict[tuple, str] = {}


_SHARED: dict[tuple, _Shared] = {}


def _shared_key() -> tuple:
    # What a translation and `reverse` depend on (the URL configuration
    # named by the settings too: tests override it).
    return (get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)


class ActionsCell:
    """Seed 003's "Actions" column: choose in the drop-down, then "Ok".
    Native select + button: keyboard-usable. One per list: the labels and
    URLs are kept per process and language (`_Shared`), not built on every
    row."""

    def __init__(self):
        self.shared = _kept(_SHARED, _shared_key(), _Shared)

    def __call__(self, demarche, display: str, shown: str, number: str, plain: bool) -> str:
        """`shown` is `esc(display)` and `number` `esc(demarche.number)`,
        which the row has already; `plain`: the number is only ASCII
        letters and digits."""
        shared = self.shared
        codes = tuple(action_codes(demarche))
        options = shared.options.get(codes)
        if options is None:  # a few distinct drop-downs per process
            options = shared.options[codes] = "".join(
                f'<option value="{code}">{shared.labels[code]}</option>' for code in codes
            )
        return (
            f'<form method="get" action="{shared.act(demarche.number, plain)}" '
            'class="titres-actions">'
            f'<label class="fr-sr-only" for="actions-{number}">'
            f"{esc(shared.label % {'n': display})}</label>"
            f'<select class="fr-select" id="actions-{number}" name="action">{options}</select>'
            f'<button class="fr-btn fr-btn--sm" type="submit">{shared.ok}'
            f'<span class="fr-sr-only"> — {shown}</span></button></form>'
        )


@register.simple_tag
def demarche_rows(demarches):
    """The rows of "Mes démarches", built in Python (titres.core.rows says
    why): number, procedure, status, dates, actions."""
    actions = ActionsCell()
    detail = actions.shared.detail
    badges = StatusBadges()
    titles = {}
    zone = timezone.get_current_timezone()
    rows = []
    for demarche in demarches:
        code = demarche.procedure_code
        if code not in titles:
            definition = find_procedure(code)
            titles[code] = esc(definition.title if definition else code)
        number = demarche.number
        display = demarche.display_number
        if number.isascii() and number.isalnum():
            # The display number is then ASCII letters, digits and dashes
            # (numbering.format_number): escaping leaves both as they are.
            plain, shown = True, display
        else:
            plain, shown, number = False, esc(display), esc(number)
        rows.append(
            f'<tr><td><a class="fr-link" href="{detail(demarche.number, plain)}">'
            f"{shown}</a></td><td>{titles[code]}</td>"
            f"<td>{badges(demarche)}</td><td>{day(demarche.created_at, zone)}</td>"
            f"<td>{day_time(demarche.updated_at, zone)}</td>"
            f"<td>{actions(demarche, display, shown, number, plain)}</td></tr>\n"
        )
    return mark_safe("".join(rows))
