"""Operators' edits of directory places (the establishment address of a
SIV professional, a correction to an imported place): journaled."""

from django.db import transaction

from titres.core.journal import record_event
from titres.permis.communes import validate_postal_code_commune

from . import sync
from .audit import AnnuaireEvent
from .models import DirectoryEntry


@transaction.atomic
def update_entry(*, entry: DirectoryEntry, actor, changed: list[str], request=None):
    """Save an operator's edit. A new postal code or commune moves the place
    to that commune's centre unless coordinates were given with it."""
    if entry.postal_code or entry.commune:
        commune = validate_postal_code_commune(entry.postal_code, entry.commune)
        entry.postal_code, entry.commune = commune.postal_code, commune.name
        entry.insee_code, entry.departement_code = commune.insee_code, commune.departement_code
        if {"postal_code", "commune"} & set(changed) and not (
            {"latitude", "longitude"} & set(changed)
        ):
            entry.latitude = entry.longitude = None
    sync.locate(entry)
    entry.full_clean()
    entry.save()
    if changed:
        record_event(
            AnnuaireEvent.DIRECTORY_ENTRY_CHANGED,
            actor=actor,
            request=request,
            target=entry,
            data={"fields": sorted(changed)},
        )
    return entry
