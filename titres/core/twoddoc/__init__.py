"""2D-Doc: the ANTS signed barcode that licences, vehicle and identity
documents print, readable offline by any 2D-Doc reader (docs/twoddoc.md).

    from titres.core import twoddoc

    text = twoddoc.encode("A8", {"A1": "AB-123-CD", "A4": vin, ...})
    result = twoddoc.verify(text)        # result.status, result.authentic,
                                         # result.fields (named), result.message
    twoddoc.datamatrix.draw(pdf_document, text, x, y, 30 * mm)
    png_bytes = twoddoc.datamatrix.png(text)

Document types and their fields: twoddoc.get_type("A8").fields,
twoddoc.FIELDS["A1"].name; another app registers its own type with
twoddoc.register(twoddoc.DocumentType(...)).
"""

from . import datamatrix
from .codec import MESSAGES, EncodingError, Status, VerificationResult, encode, verify, visible
from .doctypes import CEPC, CESSION, CPI, SITUATION, DocumentType, all_types, get_type, register
from .fields import FIELDS, FieldDef
from .message import GS, US, DecodedField

__all__ = [
    "CEPC",
    "CESSION",
    "CPI",
    "SITUATION",
    "FIELDS",
    "GS",
    "MESSAGES",
    "US",
    "DecodedField",
    "DocumentType",
    "EncodingError",
    "FieldDef",
    "Status",
    "VerificationResult",
    "all_types",
    "datamatrix",
    "encode",
    "get_type",
    "register",
    "verify",
    "visible",
]
