from django.conf import settings
from django.core import checks

from .provider import refusal_reason


@checks.register(checks.Tags.security, deploy=False)
def devidp_only_in_development(app_configs=None, **kwargs):
    reason = refusal_reason(settings)
    if reason:
        return [checks.Error(reason, id="devidp.E001")]
    return []
