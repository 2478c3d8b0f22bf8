"""Batch submission of declarations (achat, cession) by a professional:
upload, the template, the report with its progress, the report as CSV and
the codes de cession, handed over once."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from dsfr.forms import DsfrBaseForm

from titres.core.journal import record_event
from titres.instruction.views.csv_export import SafeCsvWriter

from ..audit import VehiculesEvent
from ..professionnels.access import pro_required
from ..professionnels.batch import COLUMNS, MAX_LINES, BatchRefused, submit_batch, template_csv
from ..professionnels.models import BatchSubmission, JobState


class BatchForm(DsfrBaseForm):
    fichier = forms.FileField(
        label=gettext_lazy("Fichier CSV des déclarations"),
        help_text=gettext_lazy(
            "Au format du modèle (séparateur « ; », encodage UTF-8), 1 000 lignes au plus"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


def _csv_response(name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@pro_required
def lots(request):
    form = BatchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = submit_batch(
                owner=request.user,
                upload=form.cleaned_data["fichier"],
                actor=request.user,
                request=request,
            )
        except BatchRefused as refusal:
            form.add_error("fichier", refusal.message)
        else:
            return redirect("vehicules:pro_lot", pk=batch.pk)
    return render(
        request,
        "vehicules/pro/lots.html",
        {
            "form": form,
            "batches": BatchSubmission.objects.filter(owner=request.user)[:10],
            "columns": COLUMNS,
            "max_lines": MAX_LINES,
        },
    )


@pro_required
def modele(request):
    response = _csv_response("modele-declarations.csv")
    response.write(template_csv())
    return response


def _batch(request, pk) -> BatchSubmission:
    return get_object_or_404(BatchSubmission, pk=pk, owner=request.user)


def _counts(batch):
    lines = batch.lines.all()
    done = lines.count()
    accepted = lines.filter(accepted=True).count()
    return done, accepted, done - accepted


@pro_required
def lot(request, pk):
    batch = _batch(request, pk)
    done, accepted, refused = _counts(batch)
    return render(
        request,
        "vehicules/pro/lot.html",
        {
            "batch": batch,
            "lines": list(batch.lines.all()) if batch.state == JobState.PRETE else [],
            "done": done,
            "accepted": accepted,
            "refused": refused,
            "percent": 100 if not batch.total else done * 100 // batch.total,
            "codes_left": batch.lines.exclude(code="").exists(),
        },
    )


@pro_required
def lot_etat(request, pk):
    batch = _batch(request, pk)
    done, _accepted, _refused = _counts(batch)
    response = JsonResponse(
        {
            "etat": batch.state,
            "libelle": batch.get_state_display(),
            "faites": done,
            "total": batch.total,
            "pourcentage": 100 if not batch.total else done * 100 // batch.total,
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@pro_required
def lot_compte_rendu(request, pk):
    batch = _batch(request, pk)
    response = _csv_response(f"compte-rendu-{batch.pk}.csv")
    response.write("\ufeff")
    writer = SafeCsvWriter(response, delimiter=";")
    writer.writerow(
        [
            _("Ligne"),
            _("Type"),
            _("Immatriculation"),
            _("Résultat"),
            _("Numéro d’enregistrement"),
            _("Motif du refus"),
        ]
    )
    for line in batch.lines.all():
        writer.writerow(
            [
                line.number,
                line.kind_label,
                line.plate,
                _("Acceptée") if line.accepted else _("Refusée"),
                line.registration_number,
                line.message,
            ]
        )
    return response


@pro_required
@require_POST
def lot_codes(request, pk):
    """The codes de cession of the accepted lines, given once: the stored
    copies are erased as they are handed over (like the seller's screen)."""
    with transaction.atomic():
        batch = (
            BatchSubmission.objects.select_for_update().filter(pk=pk, owner=request.user).first()
        )
        if batch is None:
            raise Http404
        lines = list(batch.lines.exclude(code=""))
        if not lines:
            messages.error(request, _("Les codes de cession de ce lot ont déjà été téléchargés."))
            return redirect("vehicules:pro_lot", pk=batch.pk)
        batch.lines.filter(pk__in=[line.pk for line in lines]).update(code="")
        record_event(
            VehiculesEvent.PRO_BATCH_CODES_DELIVERED,
            actor=request.user,
            request=request,
            target=batch,
            data={"codes": len(lines)},
        )
    response = _csv_response(f"codes-cession-{timezone.localdate():%Y%m%d}.csv")
    response.write("\ufeff")
    writer = SafeCsvWriter(response, delimiter=";")
    writer.writerow(
        [_("Ligne"), _("Immatriculation"), _("Numéro d’enregistrement"), _("Code de cession")]
    )
    for line in lines:
        writer.writerow([line.number, line.plate, line.registration_number, line.code])
    return response
