from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register


@register()
def email_configured(app_configs, **kwargs):
    if settings.DEBUG or settings.EMAIL_URL:
        return []
    return [
        CheckWarning(
            "Aucun serveur SMTP (EMAIL_URL) : aucun courriel ne sera envoyé.",
            hint="Définissez EMAIL_URL, par exemple smtp+tls://utilisateur:motdepasse@smtp:587.",
            id="core.W001",
        )
    ]


@register()
def twoddoc_keys_configured(app_configs, **kwargs):
    from django.core.checks import Error

    from .twoddoc import keys

    refusal = keys.configuration_refusal()
    return [Error(refusal, id="core.E2DD1")] if refusal else []


@register()
def journal_anchored(app_configs, **kwargs):
    """Without signed checkpoints, anyone with database write access can
    delete journal entries and recompute the chain undetected."""
    if settings.DEBUG or settings.JOURNAL_CHECKPOINT_KEY:
        return []
    return [
        CheckWarning(
            "Aucune clé JOURNAL_CHECKPOINT_KEY : le journal d'audit n'est ancré hors de la "
            "base par aucun point de contrôle signé.",
            hint="Créez une clé avec « manage.py checkpoint_journal --generate-key CHEMIN » sur "
            "la machine du scelleur et définissez JOURNAL_CHECKPOINT_KEY (docs/journal.md).",
            id="core.W002",
        )
    ]
