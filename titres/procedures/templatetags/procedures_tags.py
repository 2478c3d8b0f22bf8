from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
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


class StatusBadges:
    """`status_badge` for the rows of one list: each status's badge built
    once (its label translated once), not on every row."""

    def __init__(self):
        self.badges: dict[str, str] = {}

    def __call__(self, demarche) -> str:
        badge = self.badges.get(demarche.status)
        if badge is None:
            badge = self.badges[demarche.status] = status_badge(demarche)
        return badge


class ActionsCell:
    """Seed 003's "Actions" column: choose in the drop-down, then "Ok".
    Native select + button: keyboard-usable. One per list: the labels are
    translated once, not on every row."""

    def __init__(self):
        self.act_url = number_url("procedures:act")
        self.labels = {code: esc(label) for code, label in LABELS.items()}
        self.label = _("Action sur la démarche n° %(n)s")
        self.ok = esc(_("Ok"))
        self.options: dict[tuple, str] = {}

    def __call__(self, demarche, display: str, shown: str) -> str:
        """`shown` is `esc(display)`, which the row has already."""
        number = esc(demarche.number)
        codes = tuple(action_codes(demarche))
        options = self.options.get(codes)
        if options is None:  # a few distinct drop-downs per list
            options = self.options[codes] = "".join(
                f'<option value="{code}">{self.labels[code]}</option>' for code in codes
            )
        return (
            f'<form method="get" action="{esc(self.act_url(demarche.number))}" '
            'class="titres-actions">'
            f'<label class="fr-sr-only" for="actions-{number}">'
            f"{esc(self.label % {'n': display})}</label>"
            f'<select class="fr-select" id="actions-{number}" name="action">{options}</select>'
            f'<button class="fr-btn fr-btn--sm" type="submit">{self.ok}'
            f'<span class="fr-sr-only"> — {shown}</span></button></form>'
        )


@register.simple_tag
def demarche_rows(demarches):
    """The rows of "Mes démarches", built in Python (titres.core.rows says
    why): number, procedure, status, dates, actions."""
    detail_url = number_url("procedures:detail")
    actions = ActionsCell()
    badges = StatusBadges()
    titles = {}
    zone = timezone.get_current_timezone()
    rows = []
    for demarche in demarches:
        code = demarche.procedure_code
        if code not in titles:
            definition = find_procedure(code)
            titles[code] = esc(definition.title if definition else code)
        display = demarche.display_number
        shown = esc(display)
        rows.append(
            f'<tr><td><a class="fr-link" href="{esc(detail_url(demarche.number))}">'
            f"{shown}</a></td><td>{titles[code]}</td>"
            f"<td>{badges(demarche)}</td><td>{day(demarche.created_at, zone)}</td>"
            f"<td>{day_time(demarche.updated_at, zone)}</td>"
            f"<td>{actions(demarche, display, shown)}</td></tr>\n"
        )
    return mark_safe("".join(rows))
