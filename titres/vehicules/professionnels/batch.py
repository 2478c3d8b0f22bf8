"""Batch submission: a CSV of declarations filed by a professional for
clients, processed by a background task with a per-line report.

Format (docs/vehicules.md, template at /vehicules/professionnel/lots/modele.csv):
UTF-8 (BOM accepted), `;` separated, the header line below, at most
MAX_LINES lines. `type` is `cession` (the client, the vehicle's holder,
sells to the buyer named on the line; with the client columns empty, the
professional resells a vehicle of their stock) or `achat` (the
professional buys the client's vehicle for resale: a déclaration d'achat
into the professional's stock, the establishment's address in the
acquereur_adresse columns).

Each line runs in its own transaction through the same service as the
screen (`declare_cession` for a client's cession, `stock.declare_resale`
for a resale from the stock, as « Mon stock », `stock.declare_purchase`
for an achat): a refused line leaves nothing behind; an accepted one gets
its registration number (and, for a cession, its code de cession)."""

from __future__ import annotations

import csv
import io
import logging
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event
from titres.permis.communes import validate_postal_code_commune

from ..audit import VehiculesEvent
from ..cession_forms import BuyerForm
from ..enums import PersonKind
from ..selectors import RegistryRefusal, check_card, find_vehicle
from ..services.cession import Buyer, declare_cession
from .models import BatchLine, BatchSubmission, JobState, PurchaseProof, StockVehicle
from .stock import Establishment, declare_purchase, declare_resale, stock_of

logger = logging.getLogger(__name__)

COLUMNS = [
    "type",
    "immatriculation",
    "numero_formule",
    "date_ci",
    "date_cession",
    "heure_cession",
    "kilometrage",
    "client_nom",
    "client_prenoms",
    "acquereur_nom",
    "acquereur_prenoms",
    "acquereur_date_naissance",
    "acquereur_raison_sociale",
    "acquereur_siret",
    "acquereur_adresse",
    "acquereur_code_postal",
    "acquereur_commune",
]
TYPES = ("cession", "achat")
MAX_LINES = 1000
MAX_BYTES = 1_000_000
MAX_FIELD = 200
# Batches a professional may upload per day (each up to MAX_LINES lines).
DAILY_LIMIT = 20
TEMPLATE_EXAMPLE = [
    "cession;AB-123-CD;2019AB12345;;01/12/2026;10:30;48250;MARTIN;Jeanne;MERCIER;Pierre;"
    "15/01/1990;;;3 place Bellecour;69002;Lyon",
    "achat;123 AB 01;;18/03/2004;01/12/2026;09:00;152000;LEFEBVRE;Marie;;;;;;"
    "12 avenue Jean Jaurès;08000;Charleville-Mézières",
]


class BatchRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class LineRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


def template_csv() -> str:
    return "\ufeff" + ";".join(COLUMNS) + "\r\n" + "\r\n".join(TEMPLATE_EXAMPLE) + "\r\n"


def read_upload(upload) -> tuple[str, list[dict]]:
    """The uploaded file's text and its rows; refuses the file as a whole
    (encoding, header, size, line count) before anything is queued."""
    if upload.size > MAX_BYTES:
        raise BatchRefused(_("Le fichier dépasse 1 Mo : déposez au plus 1 000 lignes par lot."))
    raw = upload.read(MAX_BYTES + 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BatchRefused(
            _("Le fichier n’est pas encodé en UTF-8 : enregistrez-le en « CSV UTF-8 ».")
        )
    rows = parse(text)
    if not rows:
        raise BatchRefused(_("Le fichier ne contient aucune déclaration."))
    if len(rows) > MAX_LINES:
        raise BatchRefused(
            _(
                "Le fichier compte plus de %(max)s lignes : un lot contient au plus %(max)s "
                "déclarations."
            )
            % {"max": MAX_LINES}
        )
    return text, rows


def parse(text: str) -> list[dict]:
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise BatchRefused(_("Le fichier est vide."))
    if header != COLUMNS:
        raise BatchRefused(
            _(
                "La première ligne du fichier doit être l’en-tête du modèle : %(columns)s. "
                "Téléchargez le modèle et gardez ses colonnes."
            )
            % {"columns": ";".join(COLUMNS)}
        )
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) > MAX_LINES:
            break
        rows.append(
            {
                "_cells": len(cells),
                **{
                    name: (cells[i].strip() if i < len(cells) else "")
                    for i, name in enumerate(COLUMNS)
                },
            }
        )
    return rows


@transaction.atomic
def submit_batch(*, owner, upload, actor, request=None) -> BatchSubmission:
    since = timezone.now() - timezone.timedelta(days=1)
    if BatchSubmission.objects.filter(owner=owner, created_at__gte=since).count() >= DAILY_LIMIT:
        raise BatchRefused(
            _("Vous avez déposé %(n)s lots en 24 heures : réessayez demain.") % {"n": DAILY_LIMIT}
        )
    text, rows = read_upload(upload)
    batch = BatchSubmission.objects.create(
        owner=owner, filename=(upload.name or "lot.csv")[:120], source=text, total=len(rows)
    )
    record_event(
        VehiculesEvent.PRO_BATCH_SUBMITTED,
        actor=actor,
        request=request,
        target=batch,
        data={"lignes": len(rows), "fichier": batch.filename},
    )
    from .tasks import process_batch_task

    transaction.on_commit(lambda: process_batch_task.enqueue(str(batch.pk)))
    return batch


def _date(value: str, label: str) -> date | None:
    if not value:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise LineRefused(
        _("%(label)s « %(value)s » : format attendu JJ/MM/AAAA.") % {"label": label, "value": value}
    )


def _line(row: dict, *, owner, habilitation):
    """(vehicle, declare_cession keyword arguments) of one line, or LineRefused."""
    if row["_cells"] != len(COLUMNS):
        raise LineRefused(
            _("La ligne compte %(n)s colonnes au lieu de %(expected)s.")
            % {"n": row["_cells"], "expected": len(COLUMNS)}
        )
    if any(len(row[name]) > MAX_FIELD for name in COLUMNS):
        raise LineRefused(_("Une valeur dépasse 200 caractères."))
    kind = row["type"].lower()
    if kind not in TYPES:
        raise LineRefused(
            _("Type « %(value)s » inconnu : indiquez « cession » ou « achat ».")
            % {"value": row["type"]}
        )
    # A cession line without a client is the resale of a stock vehicle.
    if kind == "achat" and not row["client_nom"]:
        raise LineRefused(_("Indiquez le nom du client (titulaire du véhicule)."))
    if kind == "cession" and row["client_prenoms"] and not row["client_nom"]:
        raise LineRefused(_("Indiquez le nom du client (titulaire du véhicule)."))
    vehicle = find_vehicle(row["immatriculation"])
    check_card(
        vehicle,
        formule_number=row["numero_formule"],
        ci_date=_date(row["date_ci"], _("Date du CI")),
    )
    sold_on = _date(row["date_cession"], _("Date de la cession"))
    if sold_on is None:
        raise LineRefused(_("Indiquez la date de la cession."))
    try:
        sold_time = (
            datetime.strptime(row["heure_cession"], "%H:%M").time()
            if row["heure_cession"]
            else time(0)
        )
    except ValueError:
        raise LineRefused(
            _("Heure de la cession « %(value)s » : format attendu HH:MM.")
            % {"value": row["heure_cession"]}
        )
    try:
        mileage = int(row["kilometrage"].replace(" ", ""))
    except ValueError:
        raise LineRefused(
            _("Kilométrage « %(value)s » : indiquez un nombre entier de kilomètres.")
            % {"value": row["kilometrage"]}
        )
    sold_at = timezone.make_aware(datetime.combine(sold_on, sold_time))
    if kind == "achat":
        return vehicle, {
            "kind": kind,
            "purchased_at": sold_at,
            "mileage": mileage,
            "seller_names": (row["client_nom"], row["client_prenoms"]),
            "establishment": _establishment(row),
        }
    buyer = _buyer(row)
    return vehicle, {
        "kind": kind,
        "sold_at": sold_at,
        "mileage": mileage,
        "buyer": buyer,
        "seller_names": (row["client_nom"], row["client_prenoms"]) if row["client_nom"] else None,
    }


def _buyer(row: dict) -> Buyer:
    """The line's buyer checked by the seller's screen's own form
    (`BuyerForm`: the SIRET's key, the postal code ↔ commune, a company's
    name): the report gives the screen's message."""
    company = bool(row["acquereur_siret"] or row["acquereur_raison_sociale"])
    if not company and not (row["acquereur_nom"] and row["acquereur_prenoms"]):
        raise LineRefused(_("Indiquez le nom et les prénoms de l’acquéreur (ou son SIRET)."))
    form = BuyerForm(
        data={
            "acquereur": PersonKind.MORALE if company else PersonKind.PHYSIQUE,
            "nom": "" if company else row["acquereur_nom"],
            "prenoms": "" if company else row["acquereur_prenoms"],
            # Parsed here: the batch accepts JJ/MM/AAAA and AAAA-MM-JJ.
            "date_naissance": None
            if company
            else _date(row["acquereur_date_naissance"], _("Date de naissance de l’acquéreur")),
            "raison_sociale": row["acquereur_raison_sociale"] if company else "",
            "siret": row["acquereur_siret"] if company else "",
            "adresse": row["acquereur_adresse"],
            "code_postal": row["acquereur_code_postal"],
            "commune": row["acquereur_commune"],
        }
    )
    if not form.is_valid():
        raise LineRefused(_form_message(form))
    return form.buyer()


def _form_message(form) -> str:
    """The form's first error as the screen shows it; a missing value is
    named by its field's label (the screen shows it next to the field)."""
    for name, errors in form.errors.as_data().items():
        error = errors[0]
        message = " ".join(error.messages)
        if error.code == "required" and name in form.fields:
            return _("%(label)s : %(message)s") % {
                "label": form.fields[name].label,
                "message": message,
            }
        return message
    return ""


def _establishment(row: dict) -> Establishment:
    """The achat line's establishment; its commune checked against the
    postal code by the function the screen's form calls."""
    commune = row["acquereur_commune"]
    if row["acquereur_code_postal"] and commune:
        try:
            commune = validate_postal_code_commune(row["acquereur_code_postal"], commune).name
        except ValidationError as error:
            raise LineRefused(" ".join(error.messages)) from None
    return Establishment(
        address=row["acquereur_adresse"],
        postal_code=row["acquereur_code_postal"],
        commune=commune,
    )


def _stock_entry(batch, vehicle) -> StockVehicle:
    """The owner's stock entry a client-less cession line resells, or the
    refusal « Mon stock » would give (nothing to resell there)."""
    entry = stock_of(batch.owner).filter(vehicle=vehicle).first()
    if entry is not None:
        return entry
    resold = (
        StockVehicle.objects.filter(owner=batch.owner, vehicle=vehicle, resale__isnull=False)
        .select_related("resale")
        .order_by("-purchased_at")
        .first()
    )
    if resold is None:
        raise LineRefused(
            _(
                "Ce véhicule n’est pas dans votre stock : pour la cession du véhicule d’un "
                "client, indiquez son nom et ses prénoms (colonnes client_nom et "
                "client_prenoms)."
            )
        )
    # Resold by an earlier line of this file (its report line holds the
    # resale's number, also after a retried task).
    earlier = batch.lines.filter(
        accepted=True, kind__iexact="cession", registration_number=resold.resale.registration_number
    ).first()
    if earlier is not None:
        raise LineRefused(
            _("Ce véhicule est déjà revendu par la ligne %(line)s de ce fichier.")
            % {"line": earlier.number}
        )
    raise LineRefused(_("Ce véhicule n’est plus dans votre stock : sa revente est déjà déclarée."))


def _in_own_stock_refusal(batch, vehicle) -> LineRefused | None:
    entry = stock_of(batch.owner).filter(vehicle=vehicle).first()
    if entry is None:
        return None
    return LineRefused(
        _(
            "Ce véhicule est dans votre stock (achat déclaré le %(date)s) : pour le revendre, "
            "laissez vides les colonnes client_nom et client_prenoms (le vendeur est votre "
            "entreprise)."
        )
        % {"date": timezone.localtime(entry.purchased_at).strftime("%d/%m/%Y")}
    )


def process_batch(batch_id: str) -> str:
    """The task's body. A retried task resumes after the last reported line
    (a line's outcome is written in the transaction that applies it)."""
    from .access import habilitation_of

    batch = BatchSubmission.objects.select_related("owner").filter(pk=batch_id).first()
    if batch is None or batch.state == JobState.PRETE:
        return "absent" if batch is None else batch.state
    habilitation = habilitation_of(batch.owner)
    rows = parse(batch.source)
    BatchSubmission.objects.filter(pk=batch.pk).update(state=JobState.EN_COURS)
    start = batch.lines.count()
    for index, row in enumerate(rows[start:], start=start + 1):
        line = BatchLine(
            batch=batch,
            number=index,
            kind=row.get("type", "")[:20],
            plate=row.get("immatriculation", "")[:20],
            accepted=False,
        )
        try:
            with transaction.atomic():
                if habilitation is None:
                    raise LineRefused(
                        _("Votre habilitation SIV n’est plus active : ligne non traitée.")
                    )
                vehicle, data = _line(row, owner=batch.owner, habilitation=habilitation)
                if data["kind"] == "achat":
                    entry = declare_purchase(
                        vehicle=vehicle,
                        habilitation=habilitation,
                        seller_names=data["seller_names"],
                        purchased_at=data["purchased_at"],
                        mileage=data["mileage"],
                        proof=PurchaseProof.CERTIFICAT,
                        establishment=data["establishment"],
                        actor=batch.owner,
                        by_batch=True,
                    )
                    line.accepted = True
                    line.registration_number = entry.registration_number
                    line.save()
                    continue
                if data["seller_names"] is None:
                    declared = declare_resale(
                        entry=_stock_entry(batch, vehicle),
                        habilitation=habilitation,
                        sold_at=data["sold_at"],
                        mileage=data["mileage"],
                        buyer=data["buyer"],
                        actor=batch.owner,
                        mail=False,
                    )
                else:
                    refusal = _in_own_stock_refusal(batch, vehicle)
                    if refusal is not None:
                        raise refusal
                    declared = declare_cession(
                        vehicle=vehicle,
                        seller=batch.owner,
                        seller_names=data["seller_names"],
                        sold_at=data["sold_at"],
                        mileage=data["mileage"],
                        buyer=data["buyer"],
                        actor=batch.owner,
                        mail=False,
                    )
                line.accepted = True
                line.registration_number = declared.declaration.registration_number
                line.code = declared.code_display
                line.save()
        except (LineRefused, RegistryRefusal) as refusal:
            message = refusal.message if isinstance(refusal, LineRefused) else refusal.messages[0]
            line.accepted = False
            line.message = str(message)[:300]
            line.save()
    BatchSubmission.objects.filter(pk=batch.pk).update(
        state=JobState.PRETE, finished_at=timezone.now()
    )
    return JobState.PRETE
