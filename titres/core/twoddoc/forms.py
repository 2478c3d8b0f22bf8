"""The public verification form: the decoded text, or a photo of the code."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from PIL import Image, UnidentifiedImageError

from . import datamatrix
from .codec import MAX_TEXT_LENGTH

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 16_000_000
IMAGE_FORMATS = {"PNG", "JPEG", "WEBP"}

NOTHING = _("Collez le texte du 2D-Doc ou joignez une photo du code.")
BOTH = _("Choisissez l’un ou l’autre : le texte ou la photo du code.")
TOO_BIG = _("La photo dépasse 5 Mo : réduisez-la ou recadrez-la sur le code.")
NOT_AN_IMAGE = _("Ce fichier n’est pas une image PNG, JPEG ou WebP.")
TOO_MANY_PIXELS = _("L’image dépasse 16 millions de pixels : recadrez-la sur le code.")
NO_CODE = _(
    "Aucun code 2D-Doc n’a été trouvé sur l’image : photographiez le code de plus près, "
    "bien à plat, net et éclairé."
)


class VerifyForm(DsfrBaseForm):
    """Rendered field by field in core/twoddoc/verify.html (one of the two
    fields is needed, so neither is marked optional)."""

    texte = forms.CharField(
        label=_("Texte du 2D-Doc"),
        help_text=_(
            "Le texte lu par votre lecteur de 2D-Doc, qui commence par « DC ». Les séparateurs "
            "peuvent être écrits « <GS> » et « <US> »."
        ),
        # Visible separators (<GS> is 4 characters for 1) make a pasted
        # text longer than the code itself.
        max_length=2 * MAX_TEXT_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea,
    )
    image = forms.FileField(
        label=_("Ou une photo ou un scan du code"),
        help_text=_("PNG, JPEG ou WebP ; 5 Mo et 16 millions de pixels au plus."),
        required=False,
        widget=forms.FileInput,
    )

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_BIG)
        try:
            picture = Image.open(upload)
            # Size read from the header, before any pixel is decoded.
            if picture.width * picture.height > MAX_PIXELS:
                raise forms.ValidationError(TOO_MANY_PIXELS)
            if picture.format not in IMAGE_FORMATS:
                raise forms.ValidationError(NOT_AN_IMAGE)
            picture.load()
        except forms.ValidationError:
            raise
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            raise forms.ValidationError(NOT_AN_IMAGE)
        return picture

    def clean(self):
        cleaned = super().clean()
        text, picture = (cleaned.get("texte") or "").strip(), cleaned.get("image")
        if self.errors:
            return cleaned
        if not text and picture is None:
            raise forms.ValidationError(NOTHING)
        if text and picture is not None:
            raise forms.ValidationError(BOTH)
        if picture is not None:
            found = datamatrix.read(picture)
            if not found:
                self.add_error("image", NO_CODE)
                return cleaned
            # A document may carry other DataMatrix codes: the 2D-Doc is the
            # one that starts with its marker.
            cleaned["decoded"] = next((t for t in found if t.startswith("DC")), found[0])
        else:
            cleaned["decoded"] = text
        return cleaned
