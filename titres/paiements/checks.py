from django.core.checks import Error, Warning, register

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
    refusal = conf.local_provider_refusal()
    if refusal:
        messages.append(Error(refusal, id="paiements.E001"))
    return messages
