"""The town-hall account request keeps its own form and operator flow in
`accounts` (which must not import this app); its ticket follows it here."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from titres.accounts.enums import MairieRequestStatus
from titres.accounts.models import MairieAccountRequest

from . import services


@receiver(post_save, sender=MairieAccountRequest, dispatch_uid="contact.mairie_request")
def follow_mairie_request(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        services.open_mairie_ticket(mairie_request=instance)
    elif instance.status != MairieRequestStatus.EN_ATTENTE:
        services.close_mairie_ticket(mairie_request=instance)
