"""Allotment of new SIV numbers from the national sequence.

One counter row (`PlateSequence`, pk 1) is locked with SELECT … FOR UPDATE
for the time of the draw: on PostgreSQL, concurrent transactions on any
number of app servers queue on that row lock, so two draws never read the
same position. Forbidden combinations (SS, left pair in W) are skipped, as
are numbers already in the registry (vehicles imported with their number).
The unique index on `Vehicle.plate` is the second guard. The draw joins the
caller's transaction: a change of holder rolled back gives its number back
(the counter update is rolled back with it)."""

from django.db import IntegrityError, transaction

from . import plates
from .models import PlateSequence, Vehicle


def _locked_sequence() -> PlateSequence:
    try:
        return PlateSequence.objects.select_for_update().get(pk=1)
    except PlateSequence.DoesNotExist:
        try:
            with transaction.atomic():
                PlateSequence.objects.create(pk=1, next_index=0)
        except IntegrityError:  # created meanwhile by a concurrent draw
            pass
        return PlateSequence.objects.select_for_update().get(pk=1)


@transaction.atomic
def allot_plate() -> str:
    """The next free canonical SIV number (e.g. "AA001AA"), consumed."""
    sequence = _locked_sequence()
    index = plates.next_allottable_index(sequence.next_index)
    while Vehicle.objects.filter(plate=plates.plate_at(index)).exists():
        index = plates.next_allottable_index(index + 1)
    sequence.next_index = index + 1
    sequence.save(update_fields=["next_index", "updated_at"])
    return plates.plate_at(index)
