from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register


@register()
def spoken_captcha_available(app_configs, **kwargs):
    """Without espeak-ng the CAPTCHA has no alternative to the image."""
    from . import speech

    if settings.DEBUG or speech.available():
        return []
    return [
        CheckWarning(
            "espeak-ng est introuvable : le code de sécurité n’a pas d’alternative sonore à "
            "l’image (accessibilité).",
            hint="Installez le paquet Debian espeak-ng (apt-get install espeak-ng) ou "
            "définissez CAPTCHA_ESPEAK_PATH.",
            id="accounts.W001",
        )
    ]
