"""CSV exports a spreadsheet opens safely (search results, statistics)."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event
from titres.instruction.audit import InstructionEvent

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will never evaluate: text starting with a formula
    character (= + - @ tab CR) gets a leading apostrophe (OWASP "CSV
    injection"). Citizens type names and answers that end up here."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeCsvWriter:
    """csv.writer whose every cell goes through `csv_safe`."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([csv_safe(cell) for cell in row])


def csv_export(request, authority, results):
    record_event(
        InstructionEvent.CSV_EXPORTED,
        actor=request.user,
        request=request,
        target=authority,
        data={"criteres": {k: v for k, v in request.GET.items() if k != "format"}},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="demandes-{authority.code}-{timezone.localdate():%Y%m%d}.csv"'
    )
    response.write("\ufeff")
    writer = SafeCsvWriter(response, delimiter=";")
    writer.writerow(
        [
            _("N° dossier"),
            _("Nom"),
            _("Prénom"),
            _("Date de naissance"),
            _("Sexe"),
            _("N° demande"),
            _("Date demande"),
            _("Motif"),
            _("Statut"),
        ]
    )
    for demarche in results.iterator(chunk_size=2000):
        entry = getattr(demarche, "search_entry", None)
        writer.writerow(
            [
                entry.reference if entry else "",
                entry.last_name_display if entry else "",
                entry.first_names_display if entry else "",
                entry.birth_date.strftime("%d/%m/%Y") if entry and entry.birth_date else "",
                entry.sex if entry else "",
                demarche.number,
                timezone.localtime(demarche.submitted_at).strftime("%d/%m/%Y")
                if demarche.submitted_at
                else "",
                entry.motif if entry else "",
                demarche.get_status_display(),
            ]
        )
    return response
