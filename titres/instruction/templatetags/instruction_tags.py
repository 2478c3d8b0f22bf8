from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from titres.core.rows import day, number_url
from titres.procedures.enums import Status
from titres.procedures.templatetags.procedures_tags import status_badge

from ..search import motif_label as _motif_label

register = template.Library()


@register.filter
def motif_label(code):
    """A declared motif as the agent reads it ("vol" → "Vol du titre")."""
    return _motif_label(str(code or "")) if code else ""


def _entry(demarche):
    try:
        return demarche.search_entry
    except ObjectDoesNotExist:
        return None


@register.simple_tag
def worklist_rows(demarches, now, bulk_open):
    """The rows of the work list, built in Python (titres.core.rows says why):
    the same eleven cells the seed 002 list shows, the selection box for a
    chief's bulk actions first."""
    detail_url = number_url("instruction:detail")
    motifs = {}
    new_badge = format_html(
        ' <p class="fr-badge fr-badge--sm fr-badge--new">{}</p>', _("Complément reçu")
    )
    snpc_badge = format_html(
        ' <p class="fr-badge fr-badge--sm fr-badge--warning">{}</p>', _("Écart SNPC à vérifier")
    )
    rows = []
    for d in demarches:
        display = d.display_number
        entry = _entry(d)
        motif = entry.motif if entry else ""
        if motif not in motifs:
            motifs[motif] = motif_label(motif)
        selection = ""
        if bulk_open:
            selection = format_html(
                '<td><div class="fr-checkbox-group fr-checkbox-group--sm">'
                '<input type="checkbox" id="sel-{}" name="dossiers" value="{}">'
                '<label class="fr-label" for="sel-{}"><span class="fr-sr-only">{}</span>'
                "</label></div></td>",
                d.number,
                d.number,
                d.number,
                _("Sélectionner la demande %(n)s") % {"n": display},
            )
        completed = entry and entry.last_event == "completer" and d.status == Status.EN_COURS
        rows.append(
            format_html(
                "<tr>{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                "<td>{}</td><td>{}{}{}</td><td>{}</td>"
                '<td><a class="fr-link" href="{}">{}<span class="fr-sr-only"> {}</span></a></td>'
                "</tr>\n",
                selection,
                display,
                entry.last_name_display if entry else "",
                entry.first_names_display if entry else "",
                day(entry.birth_date) if entry else "",
                motifs[motif],
                day(d.submitted_at),
                timesince(d.submitted_at, now) if d.submitted_at else "",
                status_badge(d),
                new_badge if completed else "",
                snpc_badge if d.snpc_review else "",
                d.assigned_agent or "—",
                detail_url(d.number),
                _("Voir"),
                display,
            )
        )
    if not rows:
        return format_html('<tr><td colspan="11">{}</td></tr>', _("Aucune demande."))
    return format_html_join("", "{}", ((row,) for row in rows))
