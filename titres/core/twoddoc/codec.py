"""Sign (`encode`) and check (`verify`) a 2D-Doc."""

import datetime as dt
import enum
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import header as header_mod
from . import keys, message, signature
from .doctypes import DocumentType, get_type
from .header import Header, HeaderError
from .message import GS, RS, US, DecodedField, MessageError
from .signature import SignatureFormatError

# Longest text accepted for verification: the largest DataMatrix (144x144)
# holds 1,558 alphanumeric characters; anything much longer is not a 2D-Doc.
MAX_TEXT_LENGTH = 2000


class EncodingError(ValueError):
    """Fields that cannot be signed as asked; `str()` is French."""


class Status(enum.StrEnum):
    AUTHENTIC = "authentique"
    EXPIRED = "expire"
    UNKNOWN_CERTIFICATE = "certificat_inconnu"
    CERTIFICATE_NOT_VALID = "certificat_non_valide"
    BAD_SIGNATURE = "signature_invalide"
    MALFORMED = "illisible"


MESSAGES = {
    Status.AUTHENTIC: _("Authentique : la signature est valide et émise par le portail."),
    Status.EXPIRED: _(
        "Signature valide, mais le document est expiré : sa date de fin de validité est dépassée."
    ),
    Status.UNKNOWN_CERTIFICATE: _(
        "Certificat inconnu : ce 2D-Doc n’a pas été signé par un certificat de la liste de "
        "confiance du portail."
    ),
    Status.CERTIFICATE_NOT_VALID: _(
        "Certificat non valide à la date de signature : ce 2D-Doc ne peut pas être authentique."
    ),
    Status.BAD_SIGNATURE: _(
        "Signature invalide : le contenu a été modifié ou la signature n’est pas celle du "
        "certificat annoncé."
    ),
    Status.MALFORMED: _("Texte illisible : ce n’est pas un 2D-Doc conforme."),
}


@dataclass(frozen=True)
class VerificationResult:
    status: Status
    detail: str = ""
    header: Header | None = None
    doc_type: DocumentType | None = None
    fields: list[DecodedField] = field(default_factory=list)
    expires_on: dt.date | None = None
    certificate: keys.TrustedCertificate | None = None

    @property
    def authentic(self) -> bool:
        return self.status is Status.AUTHENTIC

    @property
    def signature_valid(self) -> bool:
        """The signature is the portal's, whether or not the document is
        still valid (authentic or expired)."""
        return self.status in (Status.AUTHENTIC, Status.EXPIRED)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.status])

    def field(self, ident: str) -> DecodedField | None:
        return next((f for f in self.fields if f.ident == ident), None)

    def values(self) -> dict[str, object]:
        return {f.ident: f.value for f in self.fields}


def _resolve_type(doc_type: DocumentType | str) -> DocumentType:
    if isinstance(doc_type, DocumentType):
        return doc_type
    found = get_type(doc_type)
    if found is None:
        raise EncodingError(f"type de 2D-Doc inconnu : {doc_type}")
    return found


def encode(
    doc_type: DocumentType | str,
    fields: dict[str, object],
    *,
    emission_date: dt.date | None = None,
    signature_date: dt.date | None = None,
    version: int = 4,
    country: str = "FR",
) -> str:
    """The signed 2D-Doc text for `fields` ({identifier: value}, values as
    Python dates/datetimes/ints/str: see formats.py), header + message + US
    + signature. `emission_date` defaults to today when the type requires
    one; `signature_date` is today."""
    doc_type = _resolve_type(doc_type)
    today = timezone.localdate()
    if emission_date is None and doc_type.emission_date_required:
        emission_date = today
    if version < 3 and doc_type.perimeter != "01":
        raise EncodingError("les versions 02 n’ont pas de périmètre : utilisez la version 04")
    key = keys.signing_key()
    head = Header(
        version=version,
        ca_id=key.ca_id,
        cert_id=key.cert_id,
        emission_date=emission_date,
        signature_date=signature_date or today,
        doc_type=doc_type.code,
        perimeter=doc_type.perimeter,
        country=country,
    )
    try:
        signed = head.to_text() + message.encode(doc_type, fields)
    except (MessageError, HeaderError) as exc:
        raise EncodingError(str(exc))
    return signed + US + signature.sign(key.private_key, signed)


_TOKENS = {
    "<GS>": GS,
    "<US>": US,
    "<RS>": RS,
    "\u241d": GS,  # ␝ symbol for group separator, as some readers print it
    "\u241f": US,
    "\u241e": RS,
}


def normalize_input(text: str) -> str:
    """The 2D-Doc as a reader or a person hands it over: visible <GS>/<US>
    tokens become the control characters, line breaks (copying from a
    document) are removed, spaces inside values are kept."""
    for token, char in _TOKENS.items():
        text = text.replace(token, char).replace(token.lower(), char)
    text = text.replace("\r", "").replace("\n", "")
    return text.strip(" \t")


def _malformed(detail: str, **kwargs) -> VerificationResult:
    return VerificationResult(Status.MALFORMED, detail=detail, **kwargs)


def verify(text: str, *, today: dt.date | None = None) -> VerificationResult:
    """Check a 2D-Doc: its certificate is in the portal's trust list and was
    valid on the signature date, the signature matches header + message,
    every field has its identifier's format, and the document has not
    expired (`today` by default the local date)."""
    today = today or timezone.localdate()
    text = normalize_input(text or "")
    if not text:
        return _malformed("le texte est vide")
    if len(text) > MAX_TEXT_LENGTH:
        return _malformed(f"texte trop long ({len(text)} caractères, {MAX_TEXT_LENGTH} au plus)")
    if not text.isascii():
        return _malformed("caractères hors du jeu d’un 2D-Doc (accents, minuscules…)")
    try:
        head = header_mod.parse(text)
    except HeaderError as exc:
        return _malformed(str(exc))
    if US not in text[head.length :]:
        return _malformed("séparateur de signature (US) absent", header=head)
    signed, signature_text = text.split(US, 1)
    signature_text = signature_text.strip()
    doc_type = get_type(head.doc_type, head.perimeter)

    certificate = keys.trust_list().get((head.ca_id, head.cert_id))
    if certificate is None:
        return VerificationResult(
            Status.UNKNOWN_CERTIFICATE,
            detail=f"autorité {head.ca_id}, certificat {head.cert_id}",
            header=head,
            doc_type=doc_type,
        )
    signed_on = head.signature_date
    if signed_on is None or not certificate.valid_on(signed_on):
        return VerificationResult(
            Status.CERTIFICATE_NOT_VALID,
            detail=(
                f"signé le {signed_on:%d/%m/%Y}, certificat valide du "
                f"{certificate.not_before:%d/%m/%Y} au {certificate.not_after:%d/%m/%Y}"
                if signed_on
                else "date de signature absente"
            ),
            header=head,
            doc_type=doc_type,
            certificate=certificate,
        )
    try:
        valid = signature.verify(certificate.public_key, signed, signature_text)
    except SignatureFormatError as exc:
        return VerificationResult(
            Status.BAD_SIGNATURE, detail=str(exc), header=head, doc_type=doc_type
        )
    if not valid:
        return VerificationResult(Status.BAD_SIGNATURE, header=head, doc_type=doc_type)

    if doc_type is None:
        return _malformed(f"type de document « {head.doc_type} » inconnu du portail", header=head)
    try:
        decoded = message.parse(doc_type, signed[head.length :])
    except MessageError as exc:
        return _malformed(str(exc), header=head, doc_type=doc_type)
    expiries = [f.value for f in decoded if f.ident in doc_type.expiry_fields]
    expires_on = min(expiries) if expiries else None
    status = Status.EXPIRED if expires_on and expires_on < today else Status.AUTHENTIC
    return VerificationResult(
        status,
        detail=f"fin de validité le {expires_on:%d/%m/%Y}" if status is Status.EXPIRED else "",
        header=head,
        doc_type=doc_type,
        fields=decoded,
        expires_on=expires_on,
        certificate=certificate,
    )


SEPARATORS_VISIBLE = re.compile("[\x1d\x1e\x1f]")


def visible(text: str) -> str:
    """The text with <GS>/<RS>/<US> tokens instead of control characters
    (for display and for pasting)."""
    names = {GS: "<GS>", RS: "<RS>", US: "<US>"}
    return SEPARATORS_VISIBLE.sub(lambda m: names[m.group()], text)
