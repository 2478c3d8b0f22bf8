"""The chief's statistics page and its CSV."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import stats
from ..access import is_chef
from ..auth import agent_view
from .common import authority_of, page_context
from .csv_export import SafeCsvWriter


@agent_view
def statistics(request, code):
    authority, role = authority_of(request, code)
    if not is_chef(role):
        raise PermissionDenied(_("Les statistiques sont réservées au chef de service."))
    data = stats.compute(authority)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="statistiques-{authority.code}.csv"'
        )
        response.write("\ufeff")
        writer = SafeCsvWriter(response, delimiter=";")
        writer.writerow([_("Semaine"), _("Reçues"), _("Validées"), _("Rejetées"), _("Suspendues")])
        for week in data.weeks:
            writer.writerow(
                [week.label, week.received, week.validated, week.rejected, week.suspended]
            )
        writer.writerow([])
        writer.writerow(
            [
                _("Délai médian dépôt → décision (jours)"),
                data.median_days if data.median_days is not None else "",
            ]
        )
        writer.writerow([])
        writer.writerow([_("Agent"), _("Demandes en cours")])
        for username, count in data.backlog:
            writer.writerow([username, count])
        writer.writerow([_("Non assignées"), data.unassigned])
        return response
    return render(
        request,
        "instruction/statistics.html",
        page_context(request, authority, role, stats=data, chart=_chart(data)),
    )


CHART_HEIGHT = 200


SERIES = [
    ("received", "titres-bar--received"),
    ("validated", "titres-bar--validated"),
    ("rejected", "titres-bar--rejected"),
    ("suspended", "titres-bar--suspended"),
]


def _chart(data):
    """Bars of a grouped bar chart, computed here so the SVG template only
    places rectangles (no inline style: CSP)."""
    group = 4 * 14 + 16
    scale = CHART_HEIGHT / data.max_value
    bars = []
    for i, week in enumerate(data.weeks):
        for j, (name, css) in enumerate(SERIES):
            value = getattr(week, name)
            height = round(value * scale)
            bars.append(
                {
                    "x": 40 + i * group + j * 14,
                    "y": 10 + CHART_HEIGHT - height,
                    "height": height,
                    "css": css,
                    "value": value,
                }
            )
    labels = [{"x": 40 + i * group + 28, "text": w.label} for i, w in enumerate(data.weeks)]
    return {
        "bars": bars,
        "labels": labels,
        "width": 40 + len(data.weeks) * group,
        "height": CHART_HEIGHT + 40,
        "base": CHART_HEIGHT + 10,
        "max": data.max_value,
    }
