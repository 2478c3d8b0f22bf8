"""CAPTCHA with an accessible alternative a script cannot read off the page.

django-simple-captcha draws the image (letters). The alternative for people
who cannot read it is a spoken challenge: six digits said in French by
espeak-ng (`speech.py`), played by an <audio> element or downloaded, typed
in the same field. The security review (issue 10, item 5) had a bot solve
the former written question ("Combien font dix plus quatre ?"): it is gone.
When espeak-ng is not installed the switch is not offered and the help text
says how to get help (the accessibility page), so the form still works.

Each challenge can be tried once (CaptchaField deletes it), lives
CAPTCHA_TIMEOUT minutes, and can be listened to AUDIO_PLAYS_PER_CHALLENGE
times. Generating challenges, listening and answering are limited per IP
(Redis moving windows, `core.ratelimit`) and per session (counters kept in
the session itself): see `limits()` for the numbers. CAPTCHA_TEST_MODE
accepts "PASSED" (tests only)."""

from __future__ import annotations

import secrets
import time

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy

from titres.core import ratelimit
from titres.core.journal import client_ip

from . import speech

IMAGE_MODE = "image"
AUDIO_MODE = "audio"
AUDIO_PREFIX = "audio:"
AUDIO_LENGTH = 6
AUDIO_PLAYS_PER_CHALLENGE = 3

DEFAULT_LIMITS = {
    # New challenges (each page display of the form makes one).
    "challenge_ip": "60/hour",
    "challenge_session": 30,
    # Audio renderings (espeak-ng runs once per listening).
    "audio_ip": "30/hour",
    "audio_session": 12,
    # Answers checked.
    "attempt_ip": "30/hour",
    "attempt_session": 10,
}
SESSION_WINDOW_SECONDS = 3600
SESSION_KEY = "captcha_budget"

IMAGE_HELP = gettext_lazy(
    "Recopiez les caractères affichés dans l’image (majuscules ou minuscules). Si vous ne "
    "pouvez pas lire l’image, utilisez le bouton « Écouter un code à la place de l’image »."
)
IMAGE_HELP_NO_AUDIO = gettext_lazy(
    "Recopiez les caractères affichés dans l’image (majuscules ou minuscules). Si vous ne "
    "pouvez pas lire l’image, contactez-nous à l’adresse indiquée sur la page "
    "« Accessibilité » : nous vous aiderons à faire votre demande."
)
AUDIO_HELP = gettext_lazy(
    "Écoutez le code : six chiffres prononcés l’un après l’autre. Saisissez-les en chiffres, "
    "sans espace (exemple : 472915). Vous pouvez écouter le code trois fois."
)
CAPTCHA_ERROR = gettext_lazy("Le code de sécurité saisi est incorrect. Veuillez recommencer.")
CHALLENGES_LIMITED = gettext_lazy(
    "Trop de codes de sécurité ont été demandés depuis votre connexion. Par sécurité, "
    "réessayez dans une heure."
)
ATTEMPTS_LIMITED = gettext_lazy(
    "Trop de codes de sécurité ont été saisis depuis votre connexion. Par sécurité, "
    "réessayez dans une heure."
)


def limits() -> dict:
    return {**DEFAULT_LIMITS, **getattr(settings, "CAPTCHA_RATE_LIMITS", {})}


def _session_hit(request, name: str, limit: int) -> bool:
    """Moving window of SESSION_WINDOW_SECONDS kept in the session."""
    now = int(time.time())
    budget = request.session.get(SESSION_KEY, {})
    hits = [t for t in budget.get(name, []) if t > now - SESSION_WINDOW_SECONDS]
    if len(hits) >= limit:
        return False
    budget[name] = hits + [now]
    request.session[SESSION_KEY] = budget
    return True


def allow(request, kind: str) -> bool:
    """Count one `kind` ("challenge", "audio", "attempt") for this visitor;
    False when the per-IP or the per-session limit is reached."""
    if request is None:
        return True
    values = limits()
    ip = client_ip(request)
    if ip and not ratelimit.hit(f"accounts:captcha_{kind}:ip", ip, values[f"{kind}_ip"]):
        return False
    return _session_hit(request, kind, int(values[f"{kind}_session"]))


def audio_challenge():
    """Six random digits, marked so that the image view refuses them."""
    digits = "".join(str(secrets.randbelow(10)) for _ in range(AUDIO_LENGTH))
    return AUDIO_PREFIX + digits, digits


def is_audio(store) -> bool:
    return store.challenge.startswith(AUDIO_PREFIX)


def captcha_mode(request) -> str:
    """The mode asked for: a switch button, the hidden field, or ?captcha=audio."""
    wanted = (
        request.POST.get("switch_captcha")
        or request.POST.get("captcha_mode")
        or request.GET.get("captcha")
    )
    return AUDIO_MODE if wanted == AUDIO_MODE and speech.available() else IMAGE_MODE


class AccessibleCaptchaWidget(CaptchaTextInput):
    template_name = "accounts/widgets/captcha.html"

    def __init__(self, *args, mode=IMAGE_MODE, request=None, **kwargs):
        self.mode = mode
        self.request = request
        if mode == AUDIO_MODE:
            kwargs["generator"] = "titres.accounts.captcha.audio_challenge"
        super().__init__(*args, **kwargs)

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        if allow(self.request, "challenge"):
            self.limited = False
            return super().fetch_captcha_store(name, value, attrs, generator)
        # No new challenge: the page says why, and the form cannot be sent.
        self.limited = True
        self._key = ""
        self._value = ["", ""]
        self.id_ = self.build_attrs(attrs).get("id", None)
        return None

    def image_url(self):
        return reverse("captcha-image", kwargs={"key": self._key}) if self._key else ""

    def audio_url(self):
        return reverse("captcha-audio", kwargs={"key": self._key}) if self._key else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context.update(
            {
                "mode": self.mode,
                "audio_mode": AUDIO_MODE,
                "image_mode": IMAGE_MODE,
                "audio_available": speech.available(),
                "limited": self.limited,
                "limited_message": CHALLENGES_LIMITED,
            }
        )
        return context


class LimitedCaptchaField(CaptchaField):
    """CaptchaField whose answers are counted per IP and per session."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self, value):
        if not allow(self.request, "attempt"):
            raise ValidationError(ATTEMPTS_LIMITED, code="limited")
        return super().clean(value)


def make_captcha_field(mode: str = IMAGE_MODE, request=None) -> CaptchaField:
    if mode == AUDIO_MODE:
        help_text = AUDIO_HELP
    else:
        help_text = IMAGE_HELP if speech.available() else IMAGE_HELP_NO_AUDIO
    return LimitedCaptchaField(
        label=gettext_lazy("Code de sécurité"),
        help_text=help_text,
        widget=AccessibleCaptchaWidget(mode=mode, request=request),
        request=request,
        error_messages={
            "invalid": CAPTCHA_ERROR,
            "required": CAPTCHA_ERROR,
            "incomplete": CAPTCHA_ERROR,
        },
    )


def live_store(key: str):
    """The challenge of `key` if it can still be answered, else None."""
    from django.utils import timezone

    if not key or len(key) > 40:
        return None
    return CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
