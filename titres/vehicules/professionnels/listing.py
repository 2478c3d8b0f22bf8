"""The professional's list of files: filters (status, procedure, plate,
client name, dates), sort, pagination, and the same selection as CSV.

Every parameter is a stranger's input: bounded lengths, a closed list of
sort keys, page numbers clamped by the paginator."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.procedures.enums import Status
from titres.procedures.registry import find_procedure

from ..plates import canonical
from .selectors import PRO_PROCEDURES, pro_files

PAGE_SIZE = 25
# Bound of one CSV export (the list itself is paginated).
MAX_EXPORT_ROWS = 20_000

# A file's vehicle: a change of holder's, an address change's / a
# duplicate's, or a new vehicle's (once registered).
PLATE = Coalesce(
    "changement_titulaire__vehicle__plate",
    "operation_certificat__vehicle__plate",
    "immatriculation_neuf__vehicle__plate",
)

SORTS = {
    "-maj": ("-updated_at", "-id"),
    "maj": ("updated_at", "id"),
    "-creation": ("-created_at", "-id"),
    "creation": ("created_at", "id"),
    "numero": ("number",),
    "-numero": ("-number",),
    "statut": ("status", "-updated_at"),
    "client": (F("acting_for__nom").asc(nulls_last=True), "-updated_at"),
    "-client": (F("acting_for__nom").desc(nulls_last=True), "-updated_at"),
    "plaque": (PLATE.asc(), "-updated_at"),
    "-plaque": (PLATE.desc(), "-updated_at"),
}
# Column → (ascending key, descending key) for the table's headers.
SORTABLE_COLUMNS = {
    "numero": ("numero", "-numero"),
    "plaque": ("plaque", "-plaque"),
    "client": ("client", "-client"),
    "maj": ("maj", "-maj"),
    "statut": ("statut", "statut"),
}
DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUTS,
        help_text=_("Format attendu : JJ/MM/AAAA"),
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "JJ/MM/AAAA"}),
    )


class FileFilterForm(DsfrBaseForm):
    statut = forms.ChoiceField(label=_("État"), required=False)
    procedure = forms.ChoiceField(label=_("Démarche"), required=False)
    plaque = forms.CharField(label=_("Immatriculation"), max_length=20, required=False)
    client = forms.CharField(label=_("Nom du client"), max_length=100, required=False)
    du = _date(_("Créée du"))
    au = _date(_("au"))
    tri = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        choices=[
            ("-maj", _("Mise à jour, plus récente d’abord")),
            ("maj", _("Mise à jour, plus ancienne d’abord")),
            ("-creation", _("Création, plus récente d’abord")),
            ("creation", _("Création, plus ancienne d’abord")),
            ("numero", _("Numéro de démarche")),
            ("-numero", _("Numéro de démarche, décroissant")),
            ("client", _("Nom du client (A → Z)")),
            ("-client", _("Nom du client (Z → A)")),
            ("plaque", _("Immatriculation (A → Z)")),
            ("-plaque", _("Immatriculation (Z → A)")),
            ("statut", _("État")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [("", _("Tous"))] + list(Status.choices)
        self.fields["procedure"].choices = [("", _("Toutes"))] + [
            (code, find_procedure(code).title) for code in PRO_PROCEDURES
        ]

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            self.add_error("au", _("La date de fin doit être postérieure à la date de début."))
        return data


def filtered_files(user, data: dict):
    """The professional's files matching the cleaned filters, sorted."""
    files = pro_files(user)
    if data.get("statut"):
        files = files.filter(status=data["statut"])
    if data.get("procedure"):
        files = files.filter(procedure_code=data["procedure"])
    if data.get("plaque"):
        prefix = canonical(data["plaque"])
        files = files.filter(
            Q(changement_titulaire__vehicle__plate__startswith=prefix)
            | Q(operation_certificat__vehicle__plate__startswith=prefix)
            | Q(immatriculation_neuf__vehicle__plate__startswith=prefix)
        )
    if data.get("client"):
        files = files.filter(acting_for__nom__icontains=data["client"].strip())
    zone = timezone.get_current_timezone()
    if data.get("du"):
        files = files.filter(created_at__gte=datetime.combine(data["du"], time.min, tzinfo=zone))
    if data.get("au"):
        end = datetime.combine(data["au"] + timedelta(days=1), time.min, tzinfo=zone)
        files = files.filter(created_at__lt=end)
    return files.order_by(*SORTS.get(data.get("tri") or "-maj", SORTS["-maj"]))


def page_of(files, number):
    return Paginator(files, PAGE_SIZE).get_page(number)
