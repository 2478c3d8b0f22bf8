"""Import of approved photographers, photo booths and digital assistance
points from an operator's CSV file, with a report line by line.

Format (docs/annuaire.md): UTF-8 (a BOM is accepted), ";" separated, a
header line with these columns in any order (the optional ones may be
absent):

    type;identifiant;nom;adresse;code_postal;commune;telephone;horaires;latitude;longitude

- type: photographe | cabine | point_numerique
- identifiant: the approval number ("Agréé services en ligne ANTS") or the
  point's reference, unique; a line with a known identifiant updates it
- latitude/longitude: optional, decimal degrees (both or none); otherwise the
  commune's centre

A refused line never stops the others; with `replace`, the imported places
of the file's kinds that the file no longer lists are withdrawn."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from titres.core.journal import record_event
from titres.permis.communes import validate_postal_code_commune

from . import sync
from .audit import AnnuaireEvent
from .enums import IMPORTED_KINDS, EntrySource
from .models import DirectoryEntry, ImportReport

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 20_000
REQUIRED = ("type", "identifiant", "nom", "adresse", "code_postal", "commune")
OPTIONAL = ("telephone", "horaires", "latitude", "longitude")
IDENTIFIER_RE = re.compile(r"^[A-Za-z0-9-]{1,40}$")


class ImportRefused(Exception):
    """The file as a whole cannot be read (no line is imported)."""


@dataclass
class Line:
    number: int
    status: str
    message: str = ""
    identifier: str = ""


@dataclass
class Outcome:
    lines: list[Line] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rejected: int = 0


def _read(content: bytes) -> list[dict]:
    if len(content) > MAX_BYTES:
        raise ImportRefused(_("Le fichier dépasse 2 Mo : découpez-le en plusieurs imports."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(_("Le fichier doit être encodé en UTF-8.")) from error
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused(
            _("Colonnes obligatoires absentes de la première ligne : %(cols)s.")
            % {"cols": ", ".join(missing)}
        )
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_LINES:
            raise ImportRefused(
                _("Le fichier dépasse %(max)d lignes : découpez-le en plusieurs imports.")
                % {"max": MAX_LINES}
            )
        rows.append({k: (v or "").strip() for k, v in row.items() if k})
    return rows


def _coordinate(value: str, low: float, high: float, label: str):
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise ValidationError(
            _("%(label)s « %(value)s » n’est pas un nombre.") % {"label": label, "value": value}
        ) from None
    if not low <= number <= high:
        raise ValidationError(
            _("%(label)s doit être comprise entre %(low)s et %(high)s.")
            % {"label": label, "low": low, "high": high}
        )
    return number


def _parse(row: dict) -> dict:
    kind = row.get("type", "").lower()
    if kind not in IMPORTED_KINDS:
        raise ValidationError(
            _("Type « %(kind)s » inconnu : photographe, cabine ou point_numerique.")
            % {"kind": row.get("type", "")}
        )
    identifier = row.get("identifiant", "")
    if not IDENTIFIER_RE.match(identifier):
        raise ValidationError(
            _("Identifiant « %(value)s » invalide : 1 à 40 lettres, chiffres ou tirets.")
            % {"value": identifier[:60]}
        )
    name = row.get("nom", "")
    if not name or len(name) > 200:
        raise ValidationError(_("Le nom est obligatoire (200 caractères au plus)."))
    address = row.get("adresse", "")
    if not address or len(address) > 250:
        raise ValidationError(_("L’adresse est obligatoire (250 caractères au plus)."))
    commune = validate_postal_code_commune(row.get("code_postal", ""), row.get("commune", ""))
    phone = row.get("telephone", "")
    if phone:
        try:
            parsed = phonenumbers.parse(phone, "FR")
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            raise ValidationError(_("Téléphone « %(value)s » invalide.") % {"value": phone[:30]})
        phone = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    hours = row.get("horaires", "")
    if len(hours) > 300:
        raise ValidationError(_("Les horaires font 300 caractères au plus."))
    latitude, longitude = row.get("latitude", ""), row.get("longitude", "")
    if bool(latitude) != bool(longitude):
        raise ValidationError(_("Donnez la latitude et la longitude, ou aucune des deux."))
    if latitude:
        latitude = _coordinate(latitude, -90, 90, _("La latitude"))
        longitude = _coordinate(longitude, -180, 180, _("La longitude"))
    else:
        latitude = longitude = None
    return {
        "kind": kind,
        "source_key": identifier.upper(),
        "name": name,
        "address": address,
        "postal_code": commune.postal_code,
        "commune": commune.name,
        "insee_code": commune.insee_code,
        "departement_code": commune.departement_code,
        "phone": phone,
        "opening_hours": hours,
        "latitude": latitude,
        "longitude": longitude,
    }


@transaction.atomic
def import_directory_csv(
    *, actor, content: bytes, filename: str, replace: bool = False, request=None
) -> ImportReport:
    """Import the file; refused lines are reported, the others saved.
    Raises ImportRefused when the file itself cannot be read."""
    rows = _read(content)
    outcome = Outcome()
    seen: dict[str, int] = {}
    kinds_in_file: set[str] = set()
    existing = {e.source_key: e for e in DirectoryEntry.objects.filter(source=EntrySource.IMPORT)}
    for number, row in enumerate(rows, start=2):
        try:
            values = _parse(row)
            key = values["source_key"]
            if key in seen:
                raise ValidationError(
                    _("Identifiant %(key)s déjà présent ligne %(line)d.")
                    % {"key": key, "line": seen[key]}
                )
        except ValidationError as error:
            outcome.rejected += 1
            outcome.lines.append(
                Line(number, "refusée", " ".join(error.messages), row.get("identifiant", "")[:40])
            )
            continue
        seen[key] = number
        kinds_in_file.add(values["kind"])
        entry = existing.get(key)
        created = entry is None
        if created:
            entry = DirectoryEntry(source=EntrySource.IMPORT)
        for name, value in values.items():
            setattr(entry, name, value)
        entry.is_active = True
        sync.locate(entry)
        entry.save()
        existing[key] = entry
        if created:
            outcome.created += 1
            outcome.lines.append(Line(number, "créée", "", key))
        else:
            outcome.updated += 1
            outcome.lines.append(Line(number, "mise à jour", "", key))
    deactivated = 0
    if replace and kinds_in_file:
        deactivated = (
            DirectoryEntry.objects.filter(
                source=EntrySource.IMPORT, kind__in=kinds_in_file, is_active=True
            )
            .exclude(source_key__in=list(seen))
            .update(is_active=False)
        )
    report = ImportReport.objects.create(
        created_by=actor,
        filename=filename[:200],
        created_count=outcome.created,
        updated_count=outcome.updated,
        rejected_count=outcome.rejected,
        deactivated_count=deactivated,
        lines=[
            {
                "line": line.number,
                "status": line.status,
                "message": line.message,
                "id": line.identifier,
            }
            for line in outcome.lines
        ],
    )
    record_event(
        AnnuaireEvent.DIRECTORY_IMPORTED,
        actor=actor,
        request=request,
        target=report,
        data={
            "created": outcome.created,
            "updated": outcome.updated,
            "rejected": outcome.rejected,
            "deactivated": deactivated,
        },
    )
    return report
