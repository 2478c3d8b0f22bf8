"""Keep the search index in step with the démarches (the engine's
models are not ours: a post_save receiver is the hook)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from titres.procedures.models import Demarche
from titres.procedures.workflow import status_changed

from .models import DemarcheSearchEntry
from .search import index_demarche

# Saves that cannot change what the index holds.
_IRRELEVANT = {"updated_at", "taken_at", "decided_at", "last_step", "payment_reference"}


@receiver(post_save, sender=Demarche, dispatch_uid="instruction_index_demarche")
def reindex(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw:
        return
    if update_fields is not None and set(update_fields) <= _IRRELEVANT:
        return
    index_demarche(instance)


@receiver(status_changed, dispatch_uid="instruction_last_event")
def remember_last_event(sender, demarche, change, event, **kwargs):
    DemarcheSearchEntry.objects.filter(demarche_id=demarche.pk).update(last_event=event)
