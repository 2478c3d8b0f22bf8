from django.conf import settings
from django.core.checks import Warning, register

from . import conf
from .providers import PROVIDERS


@register()
def payment_provider_check(app_configs, **kwargs):
    messages = []
    code = conf.provider_code()
    if code not in PROVIDERS:
        messages.append(
            Warning(
                f"PAYMENT_PROVIDER={code} inconnu (connus : {', '.join(PROVIDERS)}).",
                id="paiements.W001",
            )
        )
    if code == "local" and not settings.DEBUG:
        messages.append(
            Warning(
                "La banque locale de démonstration est le prestataire de paiement "
                "alors que DEBUG est désactivé : configurez un vrai prestataire.",
                id="paiements.W002",
            )
        )
    return messages
