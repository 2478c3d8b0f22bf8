import time

from django.conf import settings
from django.utils.translation import get_language

from .sessions import remaining_seconds

# django-dsfr's own `site_config` processor queries DsfrConfig twice on every
# page (about a quarter of a home page's time). The configuration (site
# title, mourning, notice banner) changes a few times a year: each process
# keeps it a minute, and forgets it at once when it is saved in this process
# (signals in CoreConfig.ready); other processes follow within the minute.
SITE_CONFIG_SECONDS = 60
_site_configs: dict[str, tuple[float, object]] = {}


def forget_site_config(**_kwargs) -> None:
    _site_configs.clear()


def site_config(request):
    from dsfr.models import DsfrConfig

    language = get_language()
    cached = _site_configs.get(language)
    now = time.monotonic()
    if cached is None or cached[0] <= now:
        # The same choice as dsfr.context_processors.site_config: the
        # configuration of the current language, else the first one.
        config = DsfrConfig.objects.filter(language=language).first() or DsfrConfig.objects.first()
        cached = _site_configs[language] = (now + SITE_CONFIG_SECONDS, config)
    return {"SITE_CONFIG": cached[1]}


def portal(request):
    return {
        "PORTAL_NAME": "Titres",
        "DEV_MAILBOX_ENABLED": settings.DEV_MAILBOX_ENABLED,
        "DEVIDP_ENABLED": settings.DEVIDP_ENABLED,
        "SESSION_COOKIE_AGE": settings.SESSION_COOKIE_AGE,
        "SESSION_REMAINING": remaining_seconds(request),
    }
