"""The professional's list of files (filters, sort, pages) and its CSV
export, formula-escaped like the back office's."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from titres.core.journal import record_event
from titres.instruction.views.csv_export import SafeCsvWriter

from ..audit import VehiculesEvent
from ..professionnels.access import pro_required
from ..professionnels.downloads import (
    DownloadRefused,
    cessions_in_selection,
    cpi_handed_out,
    purchases_in_selection,
    start_bulk_download,
)
from ..professionnels.listing import (
    MAX_EXPORT_ROWS,
    SORTABLE_COLUMNS,
    FileFilterForm,
    filtered_files,
    filtered_rows,
    hydrate,
    page_of,
    paged_rows,
)
from ..professionnels.models import BulkDownload, JobState
from .espace import STATUS_EXPLANATIONS

EXPORT_CHUNK = 2000


def _filters(request):
    form = FileFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, data


def _query(request, **changes) -> str:
    """The current filters with some parameters changed (sort, page)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value:
            params[key] = value
    return params.urlencode()


@pro_required
def demarches(request):
    form, data = _filters(request)
    current = data.get("tri") or "-maj"
    page = page_of(paged_rows(request.user, data), request.GET.get("page"))
    columns = {}
    for column, (ascending, descending) in SORTABLE_COLUMNS.items():
        if current == ascending:
            state, target = "ascending", descending
        elif current == descending:
            state, target = "descending", ascending
        else:
            state, target = "none", ascending
        columns[column] = {"state": state, "url": "?" + _query(request, tri=target, page="")}
    return render(
        request,
        "vehicules/pro/demarches.html",
        {
            "form": form,
            "page": page,
            "files": hydrate(request.user, list(page.object_list)),
            "columns": columns,
            "page_query": _query(request, page=""),
            "export_query": _query(request, page=""),
            "filter_items": [
                (key, value)
                for key, value in request.GET.items()
                if key in FileFilterForm.base_fields and key != "tri"
            ],
            "explanations": STATUS_EXPLANATIONS,
        },
    )


@pro_required
def export_csv(request):
    form, data = _filters(request)
    rows = filtered_rows(request.user, data)[:MAX_EXPORT_ROWS]
    record_event(
        VehiculesEvent.PRO_FILES_EXPORTED,
        actor=request.user,
        request=request,
        target=request.habilitation,
        data={"criteres": {k: v for k, v in request.GET.items() if k != "page"}},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="demarches-{request.habilitation.number}-'
        f'{timezone.localdate():%Y%m%d}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = SafeCsvWriter(response, delimiter=";")
    writer.writerow(
        [
            _("Numéro (démarche ou enregistrement)"),
            _("Démarche"),
            _("Immatriculation"),
            _("Nom du client"),
            _("Prénoms du client"),
            _("État"),
            _("Créée le"),
            _("Déposée le"),
            _("Mise à jour le"),
            _("Numéro du CPI"),
            _("Document"),
        ]
    )
    # The rows in chunks, each chunk's démarches read in one query.
    for chunk in _chunks(rows.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        for row in hydrate(request.user, chunk):
            demarche = row.demarche
            record = demarche and (
                getattr(demarche, "changement_titulaire", None)
                or getattr(demarche, "operation_certificat", None)
                or getattr(demarche, "immatriculation_neuf", None)
            )
            writer.writerow(
                [
                    row.display_number,
                    row.title,
                    row.plate_display,
                    row.client,
                    row.client_first_names,
                    row.status_label,
                    f"{timezone.localtime(row.created_at):%d/%m/%Y}",
                    f"{timezone.localtime(row.submitted_at):%d/%m/%Y}" if row.submitted_at else "",
                    f"{timezone.localtime(row.updated_at):%d/%m/%Y %H:%M}",
                    record.cpi_number if record and cpi_handed_out(record) else "",
                    request.build_absolute_uri(row.document_url) if row.document_url else "",
                ]
            )
    return response


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@pro_required
@require_POST
def telechargement_demander(request):
    """« Télécharger les CPI et accusés (ZIP) » of the filtered selection."""
    form = FileFilterForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        download = start_bulk_download(
            owner=request.user,
            files=filtered_files(request.user, data),
            purchases=purchases_in_selection(request.user, data),
            cessions=cessions_in_selection(request.user, data),
            actor=request.user,
            request=request,
        )
    except DownloadRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("vehicules:pro_demarches")
    return redirect("vehicules:pro_telechargement", pk=download.pk)


def _download(request, pk) -> BulkDownload:
    return get_object_or_404(BulkDownload, pk=pk, owner=request.user)


@pro_required
def telechargement(request, pk):
    download = _download(request, pk)
    return render(request, "vehicules/pro/telechargement.html", {"download": download})


@pro_required
def telechargement_etat(request, pk):
    """Polled by the progress bar."""
    download = _download(request, pk)
    response = JsonResponse(
        {
            "etat": download.state,
            "libelle": download.get_state_display(),
            "faites": download.done,
            "total": download.total,
            "pourcentage": download.percent,
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@pro_required
def telechargement_archive(request, pk):
    download = _download(request, pk)
    if download.state != JobState.PRETE or not download.archive:
        raise Http404
    response = FileResponse(
        download.archive.open("rb"),
        as_attachment=True,
        filename=f"cpi-accuses-{timezone.localtime(download.created_at):%Y%m%d-%H%M}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response
