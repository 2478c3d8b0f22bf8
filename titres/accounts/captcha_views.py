"""The CAPTCHA's public URLs (mounted at /captcha/ by titres/urls.py instead
of django-simple-captcha's own urls): the library's image, and our spoken
challenge. The library's AJAX refresh (a new challenge per request, no
limit) and its flite audio are not mounted."""

import logging

from captcha import views as captcha_library
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from titres.core import ratelimit

from . import speech
from .captcha import AUDIO_PLAYS_PER_CHALLENGE, allow, is_audio, live_store

logger = logging.getLogger(__name__)
AUDIO_CACHE_SECONDS = 10 * 60


@login_not_required
@require_GET
def captcha_image(request, key, scale=1):
    store = live_store(key)
    if store is None or is_audio(store):
        # 410 like the library: an expired (or spoken-only) challenge has no image.
        return HttpResponse(status=410)
    return captcha_library.captcha_image(request, key, scale=scale)


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@login_not_required
@never_cache
@require_GET
def captcha_audio(request, key):
    store = live_store(key)
    if store is None or not is_audio(store):
        return _plain(_("Ce code de sécurité a expiré : rechargez la page."), 410)
    if not speech.available():
        return _plain(_("L’écoute du code de sécurité n’est pas disponible."), 404)
    # The same challenge is served the same bytes (players ask again to
    # seek or resume), a bounded number of times; each visitor's listenings
    # are limited per IP and per session.
    plays_allowed = ratelimit.hit(
        "accounts:captcha_audio:key", key, f"{AUDIO_PLAYS_PER_CHALLENGE * 3}/hour"
    )
    if not plays_allowed or not allow(request, "audio"):
        return _plain(
            _(
                "Ce code a été écouté trop de fois. Rechargez la page pour obtenir un "
                "nouveau code, ou réessayez dans une heure."
            ),
            429,
        )
    cache = caches["soft"]
    cache_key = f"captcha-audio:{key}"
    wav = cache.get(cache_key)
    if wav is None:
        try:
            wav = speech.spoken_digits(store.response)
        except speech.SpeechUnavailable:
            logger.exception("Code de sécurité sonore impossible à produire")
            return _plain(_("L’écoute du code de sécurité est momentanément indisponible."), 503)
        cache.set(cache_key, wav, AUDIO_CACHE_SECONDS)
    response = HttpResponse(wav, content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="code-de-securite.wav"'
    return response
