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


PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def process_local_state_refusal() -> str:
    """Why production must not start, or "" when it may.

    Without Redis, the cache and the rate limiter live in each process:
    with `gunicorn -w 4` every worker has its own counters (the review saw
    the limits multiplied by the number of workers, and sessions or CAPTCHA
    answers cached by one worker unknown to the next). Only an installation
    that really runs one process may say so (SINGLE_PROCESS_INSTALLATION=1)."""
    if settings.DEBUG or getattr(settings, "SINGLE_PROCESS_INSTALLATION", False):
        return ""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL_CACHES or not getattr(settings, "REDIS_URL", ""):
        return (
            "Le cache et les limites de débit sont propres à chaque processus (pas de REDIS_URL) "
            "alors que DEBUG est désactivé : avec plusieurs processus ou serveurs, chacun aurait "
            "ses propres compteurs. Définissez REDIS_URL, ou SINGLE_PROCESS_INSTALLATION=1 si "
            "cette installation ne fait tourner qu’un seul processus."
        )
    return ""


@register()
def shared_state_configured(app_configs, **kwargs):
    from django.core.checks import Error

    refusal = process_local_state_refusal()
    return [Error(refusal, id="core.E001")] if refusal else []
