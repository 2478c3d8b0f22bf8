"""The professional's list of files: filters (status, procedure, plate,
client name, dates), sort, pagination, and the same selection as CSV.

A professional's work is not only démarches: a déclaration d'achat (their
stock, `StockVehicle`) and a déclaration de cession they made (the resale
of a stock vehicle, or a client's sale declared under mandate) are not
démarches, yet the professional expects them in the same list. The list
is one SQL `UNION ALL` of three selections giving the same columns
(`ROW_COLUMNS`: kind, key, number, procedure, plate, client, status,
dates), each filtered by the same criteria before the union (a criterion
one kind cannot meet empties its part), then sorted and paginated by the
database as one list. At volume (`bench/professionnels.py`) a page costs
what the database must build before it can sort: so the count is the sum
of each part's own count (no joins, no columns), and a page's query keeps
in each part only the rows the page could need (its first `offset + page
size` rows in the list's order, chosen on the sort's columns alone), then
sorts and slices their union: the same rows in the same order, the sort
keys ending with a unique one (`UnionRows`). A page is the count, the page's rows and one query for the page's démarches (their CPI link needs
the procedure's record), whatever the number of files. Nothing is copied,
so nothing has to be kept in sync with the services that write these
rows.

Every parameter is a stranger's input: bounded lengths, a closed list of
sort keys, page numbers clamped by the paginator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.db.models.query import EmptyQuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from titres.core import numbering
from titres.procedures.enums import STATUS_BADGE, Status
from titres.procedures.registry import find_procedure

from ..enums import CessionState, PersonKind
from ..models import CessionDeclaration
from ..plates import canonical, display_form
from .models import StockVehicle
from .selectors import PRO_PROCEDURES, pro_files

PAGE_SIZE = 25
# Bound of one CSV export (the list itself is paginated).
MAX_EXPORT_ROWS = 20_000

# The « démarche » filter's values of the rows that are not démarches.
PURCHASE = "achat"
RESALE = "revente"
CESSION = "cession"
OPERATION_TITLES = {
    PURCHASE: _("Déclaration d’achat (stock)"),
    RESALE: _("Revente d’un véhicule du stock"),
    CESSION: _("Déclaration de cession pour un client"),
}


class OperationStatus(TextChoices):
    """The « état » of a row that is not a démarche."""

    EN_STOCK = "ACHAT_EN_STOCK", _("Achat : véhicule en stock")
    REVENDU = "ACHAT_REVENDU", _("Achat : véhicule revendu")
    CODE_VALIDE = "CESSION_ACTIVE", _("Cession : code de cession valide")
    CODE_UTILISE = "CESSION_UTILISEE", _("Cession : code utilisé par l’acquéreur")
    ANNULEE = "CESSION_ANNULEE", _("Cession : déclaration annulée")


OPERATION_BADGES = {
    OperationStatus.EN_STOCK: "fr-badge--info",
    OperationStatus.REVENDU: "fr-badge--success",
    OperationStatus.CODE_VALIDE: "fr-badge--info",
    OperationStatus.CODE_UTILISE: "fr-badge--success",
    OperationStatus.ANNULEE: "",
}
CESSION_STATUSES = {
    CessionState.ACTIVE: OperationStatus.CODE_VALIDE,
    CessionState.UTILISEE: OperationStatus.CODE_UTILISE,
    CessionState.ANNULEE: OperationStatus.ANNULEE,
}
PURCHASE_STATUSES = (OperationStatus.EN_STOCK, OperationStatus.REVENDU)

# The union's columns, in this order in every part (a UNION matches
# columns by position). `*_blank` put the rows without a value last.
ROW_COLUMNS = (
    "row_kind",
    "row_key",
    "row_number",
    "row_procedure",
    "row_plate_system",
    "row_plate",
    "row_plate_blank",
    "row_client",
    "row_client_first_names",
    "row_client_blank",
    "row_status",
    "row_created",
    "row_updated",
)
DEMARCHE, PURCHASE_ROW, CESSION_ROW = "demarche", "achat", "cession"

# Each ends with a unique key (kind and key): the order is total, so a
# part bounded to its first rows gives the union's first rows (UnionRows).
TIE = ("row_kind", "row_key")
SORTS = {
    "-maj": ("-row_updated", "-row_key", "row_kind"),
    "maj": ("row_updated", "row_key", "row_kind"),
    "-creation": ("-row_created", "-row_key", "row_kind"),
    "creation": ("row_created", "row_key", "row_kind"),
    "numero": ("row_number", *TIE),
    "-numero": ("-row_number", *TIE),
    "statut": ("row_status", "-row_updated", *TIE),
    "client": ("row_client_blank", "row_client", "-row_updated", *TIE),
    "-client": ("row_client_blank", "-row_client", "-row_updated", *TIE),
    "plaque": ("row_plate_blank", "row_plate", "-row_updated", *TIE),
    "-plaque": ("row_plate_blank", "-row_plate", "-row_updated", *TIE),
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
        self.fields["statut"].choices = [
            ("", _("Tous")),
            (_("Démarches"), list(Status.choices)),
            (_("Achats et cessions"), list(OperationStatus.choices)),
        ]
        self.fields["procedure"].choices = [
            ("", _("Toutes")),
            *((code, find_procedure(code).title) for code in PRO_PROCEDURES),
            *OPERATION_TITLES.items(),
        ]

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            self.add_error("au", _("La date de fin doit être postérieure à la date de début."))
        return data


def _text(value: str):
    return Value(value, output_field=CharField())


def _key():
    return Cast("id", output_field=CharField())


def _blank(column: str):
    return Case(When(**{column: ""}, then=Value(1)), default=Value(0), output_field=IntegerField())


def _filter(part, data: dict, *, statuses, procedures):
    """One part of the union with the list's criteria; empty when a
    criterion (state, procedure) is one this kind of row never has."""
    if data.get("statut") and data["statut"] not in statuses:
        return part.none()
    if data.get("procedure") and data["procedure"] not in procedures:
        return part.none()
    if data.get("statut"):
        part = part.filter(row_status=data["statut"])
    if data.get("procedure"):
        part = part.filter(row_procedure=data["procedure"])
    if data.get("plaque"):
        part = part.filter(row_plate__startswith=canonical(data["plaque"]))
    if data.get("client"):
        part = part.filter(row_client__icontains=data["client"].strip())
    zone = timezone.get_current_timezone()
    if data.get("du"):
        part = part.filter(row_created__gte=datetime.combine(data["du"], time.min, tzinfo=zone))
    if data.get("au"):
        end = datetime.combine(data["au"] + timedelta(days=1), time.min, tzinfo=zone)
        part = part.filter(row_created__lt=end)
    return part


def _demarche_part(user, data: dict):
    part = (
        pro_files(user)
        .order_by()
        .annotate(
            row_kind=_text(DEMARCHE),
            row_key=_key(),
            row_number=F("number"),
            row_procedure=F("procedure_code"),
            row_plate_system=Coalesce(
                "changement_titulaire__vehicle__plate_system",
                "operation_certificat__vehicle__plate_system",
                "immatriculation_neuf__vehicle__plate_system",
                _text(""),
            ),
            row_plate=Coalesce(
                "changement_titulaire__vehicle__plate",
                "operation_certificat__vehicle__plate",
                "immatriculation_neuf__vehicle__plate",
                _text(""),
            ),
            row_client=Coalesce(KT("acting_for__nom"), _text(""), output_field=CharField()),
            row_client_first_names=Coalesce(
                KT("acting_for__prenoms"), _text(""), output_field=CharField()
            ),
            row_status=F("status"),
            row_created=F("created_at"),
            row_updated=F("updated_at"),
        )
    )
    return _filter(part, data, statuses=Status.values, procedures=PRO_PROCEDURES)


def purchases_selected(user, data: dict):
    """The professional's déclarations d'achat the criteria select (also
    the bulk download's, `downloads.purchases_in_selection`)."""
    part = (
        StockVehicle.objects.filter(owner=user)
        .order_by()
        .annotate(
            row_kind=_text(PURCHASE_ROW),
            row_key=_key(),
            row_number=F("registration_number"),
            row_procedure=_text(PURCHASE),
            row_plate_system=F("vehicle__plate_system"),
            row_plate=F("vehicle__plate"),
            # The seller: the client who sold the vehicle to the professional.
            row_client=F("seller_name"),
            row_client_first_names=_text(""),
            row_status=Case(
                When(resale__isnull=True, then=_text(OperationStatus.EN_STOCK)),
                default=_text(OperationStatus.REVENDU),
            ),
            row_created=F("created_at"),
            # Resold: the resale is the purchase's last event.
            row_updated=Coalesce("resale__created_at", "created_at"),
        )
    )
    return _filter(part, data, statuses=PURCHASE_STATUSES, procedures=(PURCHASE,))


def cessions_selected(user, data: dict):
    """The déclarations de cession the professional made (resales of their
    stock, clients' sales under mandate) that the criteria select (also the
    bulk download's, `downloads.cessions_in_selection`)."""
    # A resale: the vehicle was in the professional's stock when sold (the
    # stock entry points to it; once cancelled, the entry is back in the
    # stock, or resold later). Else the sale of a client's vehicle.
    from_stock = StockVehicle.objects.filter(
        owner=OuterRef("seller"),
        vehicle=OuterRef("vehicle"),
        purchased_at__lte=OuterRef("sold_at"),
    ).filter(Q(resale__isnull=True) | Q(resale__sold_at__gte=OuterRef("sold_at")))
    company = Q(buyer_kind=PersonKind.MORALE)
    part = (
        CessionDeclaration.objects.filter(seller=user)
        .order_by()
        .annotate(is_resale=Exists(from_stock))
        .annotate(
            row_kind=_text(CESSION_ROW),
            row_key=_key(),
            row_number=F("registration_number"),
            row_procedure=Case(When(is_resale=True, then=_text(RESALE)), default=_text(CESSION)),
            row_plate_system=F("vehicle__plate_system"),
            row_plate=F("vehicle__plate"),
            # The client: the buyer of a resale, the seller of a client's sale.
            row_client=Case(
                When(Q(is_resale=True) & company, then=F("buyer_company_name")),
                When(is_resale=True, then=F("buyer_last_name")),
                default=F("seller_last_name"),
            ),
            row_client_first_names=Case(
                When(Q(is_resale=True) & company, then=_text("")),
                When(is_resale=True, then=F("buyer_first_names")),
                default=F("seller_first_names"),
            ),
            row_status=Case(
                *(When(state=state, then=_text(row)) for state, row in CESSION_STATUSES.items()),
                output_field=CharField(),
            ),
            row_created=F("created_at"),
            row_updated=Coalesce("used_at", "created_at"),
        )
    )
    statuses = [str(value) for value in CESSION_STATUSES.values()]
    return _filter(part, data, statuses=statuses, procedures=(RESALE, CESSION))


def _rows(part):
    return part.annotate(
        row_plate_blank=_blank("row_plate"), row_client_blank=_blank("row_client")
    ).values(*ROW_COLUMNS)


def _parts(user, data: dict):
    return [
        _rows(_demarche_part(user, data)),
        _rows(purchases_selected(user, data)),
        _rows(cessions_selected(user, data)),
    ]


def _sort(data: dict):
    return SORTS.get(data.get("tri") or "-maj", SORTS["-maj"])


def filtered_rows(user, data: dict):
    """The professional's démarches, purchases and cessions matching the
    cleaned filters, as one sorted queryset of `ROW_COLUMNS` dicts (a
    union; the CSV export reads it in chunks)."""
    parts = _parts(user, data)
    return parts[0].union(*parts[1:], all=True).order_by(*_sort(data))


class UnionRows:
    """The list's rows as the paginator reads them: `count()` and a slice.

    The count adds each part's count, in one query: counting the union
    would make the database build every row of it first (the vehicle joins, the resale
    test of each cession) only to count them. A slice `[start:stop]` keeps,
    in each part, the rows among its first `stop` in the list's order (a
    row of the page is among the first `stop` of its own part, as the order
    is total: `SORTS`), then sorts and slices their union as before: the
    same rows in the same order. The part's first rows are chosen by a
    subquery that has only the sort's columns — the database leaves out the
    vehicle joins it does not need (PostgreSQL removes an unused LEFT JOIN
    on a unique key) and builds the full columns for those rows alone;
    deep pages read more rows (keyset pages would not)."""

    def __init__(self, user, data: dict):
        self.user, self.data = user, data
        self._count = None

    def count(self) -> int:
        """One query: each part's count as a scalar subquery (a part a
        criterion emptied counts 0 without a query)."""
        if self._count is None:
            counts = [
                Subquery(
                    part.order_by()
                    .annotate(part_count=Func(F("pk"), function="COUNT"))
                    .values("part_count"),
                    output_field=IntegerField(),
                )
                for part in _parts(self.user, self.data)
                if not isinstance(part, EmptyQuerySet)
            ]
            if not counts:
                self._count = 0
            else:
                users = get_user_model().objects.filter(pk=self.user.pk)
                self._count = sum(users.values_list(*counts).get())
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("UnionRows only takes a slice")
        start, stop = index.start or 0, index.stop
        if stop is None:
            return filtered_rows(self.user, self.data)[start:]
        sort = _sort(self.data)
        bounded = [
            part.filter(pk__in=part.order_by(*sort).values("pk")[:stop])
            for part in _parts(self.user, self.data)
        ]
        return bounded[0].union(*bounded[1:], all=True).order_by(*sort)[start:stop]


def paged_rows(user, data: dict) -> UnionRows:
    """The list's rows for `page_of` (the page and its count)."""
    return UnionRows(user, data)


def filtered_files(user, data: dict):
    """The démarches alone that the criteria select (the bulk download's)."""
    return pro_files(user).filter(pk__in=_demarche_part(user, data).values("pk"))


@dataclass
class Row:
    """One line of the list: a démarche (`demarche`) or a purchase or a
    cession (their document's link)."""

    kind: str
    key: str
    number: str
    display_number: str
    title: str
    plate_display: str
    client: str
    client_first_names: str
    status: str
    status_label: str
    status_badge: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    demarche: object = None
    document_url: str = ""
    document_label: str = ""

    @property
    def client_display(self) -> str:
        if self.kind == PURCHASE_ROW:
            return self.client
        return f"{self.client.upper()} {self.client_first_names}".strip()


def _row_of(values: dict, demarches: dict) -> Row:
    kind, key = values["row_kind"], values["row_key"]
    plate = values["row_plate"]
    row = Row(
        kind=kind,
        key=key,
        number=values["row_number"],
        display_number=values["row_number"],
        title="",
        plate_display=display_form(values["row_plate_system"], plate) if plate else "",
        client=values["row_client"] or "",
        client_first_names=values["row_client_first_names"] or "",
        status=values["row_status"],
        status_label="",
        status_badge=OPERATION_BADGES.get(values["row_status"], ""),
        created_at=values["row_created"],
        updated_at=values["row_updated"],
        submitted_at=values["row_created"],
    )
    if kind == DEMARCHE:
        demarche = demarches.get(int(key))
        row.demarche = demarche
        row.display_number = numbering.format_number(row.number)
        row.title = demarche.title if demarche else values["row_procedure"]
        row.status_label = str(Status(row.status).label)
        row.status_badge = STATUS_BADGE.get(row.status, "")
        row.submitted_at = demarche.submitted_at if demarche else None
        return row
    row.title = str(OPERATION_TITLES[values["row_procedure"]])
    row.status_label = str(OperationStatus(row.status).label)
    pk = uuid.UUID(key)
    if kind == PURCHASE_ROW:
        row.document_url = reverse("vehicules:pro_stock_accuse", args=[pk])
        row.document_label = str(_("Accusé d’enregistrement"))
    else:
        row.document_url = reverse("vehicules:cession_certificat", args=[pk])
        row.document_label = str(_("Certificat de cession"))
    return row


def hydrate(user, values: list[dict]) -> list[Row]:
    """The page's rows, with their démarches read in one query."""
    keys = [int(v["row_key"]) for v in values if v["row_kind"] == DEMARCHE]
    demarches = pro_files(user).in_bulk(keys) if keys else {}
    return [_row_of(v, demarches) for v in values]


def page_of(rows, number):
    return Paginator(rows, PAGE_SIZE).get_page(number)
