"""Keep the directory's derived rows in step with their sources (sync.py)."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from titres.accounts.models import Habilitation
from titres.identite.models import CollectionDevice, MeetingPoint, OpeningRule

from . import sync


@receiver(post_save, sender=Habilitation, dispatch_uid="annuaire_habilitation")
def habilitation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync.sync_habilitation(instance)


def _meeting_point_later(point_id):
    def run():
        point = MeetingPoint.objects.filter(pk=point_id).first()
        if point is not None:
            sync.sync_meeting_point(point)

    # After commit: the devices and openings saved in the same transaction
    # are then all there.
    transaction.on_commit(run)


@receiver(post_save, sender=MeetingPoint, dispatch_uid="annuaire_meeting_point")
def meeting_point_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _meeting_point_later(instance.pk)


@receiver(post_save, sender=CollectionDevice, dispatch_uid="annuaire_device")
def device_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _meeting_point_later(instance.meeting_point_id)


@receiver(post_save, sender=OpeningRule, dispatch_uid="annuaire_opening")
def opening_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _meeting_point_later(instance.device.meeting_point_id)
