from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from titres.core.rows import day, day_time, number_url

from ..list_actions import available_actions
from ..registry import find_procedure

register = template.Library()


@register.simple_tag
def status_badge(demarche):
    """A démarche's status as a DSFR badge (every list and file page)."""
    return format_html(
        '<p class="fr-badge fr-badge--sm {}">{}</p>',
        demarche.status_badge,
        demarche.get_status_display(),
    )


def actions_cell(demarche, act_url) -> str:
    """Seed 003's "Actions" column: choose in the drop-down, then "Ok".
    Native select + button: keyboard-usable."""
    display = demarche.display_number
    options = format_html_join("", '<option value="{}">{}</option>', available_actions(demarche))
    return format_html(
        '<form method="get" action="{}" class="titres-actions">'
        '<label class="fr-sr-only" for="actions-{}">{}</label>'
        '<select class="fr-select" id="actions-{}" name="action">{}</select>'
        '<button class="fr-btn fr-btn--sm" type="submit">{}'
        '<span class="fr-sr-only"> — {}</span></button></form>',
        act_url(demarche.number),
        demarche.number,
        _("Action sur la démarche n° %(n)s") % {"n": display},
        demarche.number,
        options,
        _("Ok"),
        display,
    )


@register.simple_tag
def demarche_rows(demarches):
    """The rows of "Mes démarches", built in Python (titres.core.rows says
    why): number, procedure, status, dates, actions."""
    detail_url = number_url("procedures:detail")
    act_url = number_url("procedures:act")
    titles = {}
    rows = []
    for demarche in demarches:
        code = demarche.procedure_code
        if code not in titles:
            definition = find_procedure(code)
            titles[code] = str(definition.title) if definition else code
        rows.append(
            format_html(
                '<tr><td><a class="fr-link" href="{}">{}</a></td><td>{}</td><td>{}</td>'
                "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
                detail_url(demarche.number),
                demarche.display_number,
                titles[code],
                status_badge(demarche),
                day(demarche.created_at),
                day_time(demarche.updated_at),
                actions_cell(demarche, act_url),
            )
        )
    return format_html_join("", "{}", ((row,) for row in rows))
