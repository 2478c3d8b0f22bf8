"""CAPTCHA with an accessible alternative.

django-simple-captcha offers an audio version only when the `flite` speech
synthesiser is installed (CAPTCHA_FLITE_PATH). Whether or not it is, the
person can switch to a text question (a small sum written in words), which
screen readers read aloud and which needs no image: the accessible
equivalent required by the RGAA for CAPTCHAs. Both are checked by the same
CaptchaField (one try per challenge; CAPTCHA_TEST_MODE accepts "PASSED")."""

import secrets

from captcha.fields import CaptchaField, CaptchaTextInput
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEXT_MODE = "texte"

_WORDS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
]


def text_challenge():
    """Challenge stored as "a+b" (shown in words), response the sum."""
    a, b = secrets.randbelow(10) + 1, secrets.randbelow(10) + 1
    return f"{a}+{b}", str(a + b)


def challenge_in_words(challenge: str) -> str:
    try:
        a, b = (int(x) for x in challenge.rstrip("=").split("+"))
        return _("Combien font %(a)s plus %(b)s ?") % {"a": _WORDS[a], "b": _WORDS[b]}
    except (ValueError, IndexError):
        return challenge


class AccessibleCaptchaWidget(CaptchaTextInput):
    template_name = "accounts/widgets/captcha.html"

    def __init__(self, *args, text_mode=False, **kwargs):
        self.text_mode = text_mode
        if text_mode:
            kwargs["generator"] = "titres.accounts.captcha.text_challenge"
        super().__init__(*args, **kwargs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["text_mode"] = self.text_mode
        if self.text_mode:
            from captcha.models import CaptchaStore

            store = CaptchaStore.objects.filter(hashkey=self._key).first()
            context["question"] = challenge_in_words(store.challenge) if store else ""
        return context


IMAGE_HELP = gettext_lazy(
    "Recopiez les caractères affichés dans l’image. Si vous ne pouvez pas lire l’image, "
    "utilisez le bouton « Remplacer l’image par une question écrite »."
)
TEXT_HELP = gettext_lazy("Répondez en chiffres à la question écrite ci-dessous.")
CAPTCHA_ERROR = gettext_lazy("Le code de sécurité saisi est incorrect. Veuillez recommencer.")


def make_captcha_field(text_mode: bool = False) -> CaptchaField:
    return CaptchaField(
        label=gettext_lazy("Code de sécurité"),
        help_text=TEXT_HELP if text_mode else IMAGE_HELP,
        widget=AccessibleCaptchaWidget(text_mode=text_mode),
        error_messages={
            "invalid": CAPTCHA_ERROR,
            "required": CAPTCHA_ERROR,
            "incomplete": CAPTCHA_ERROR,
        },
    )
