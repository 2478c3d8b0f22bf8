"""The 2D-Doc header (C40 versions 02, 03 and 04).

    DC | version | CA id | cert id | emission | signature | type [| perimeter [| country]]
    2  |    2    |   4   |    4    |    4     |     4     |  2   |     2      |    2

Dates are days since 2000-01-01 in 4 hexadecimal digits, FFFF when absent.
Version 02: 22 characters; 03 adds the perimeter (24); 04 adds the country
(26). Version 01 (signatures of another kind) is not read.
"""

import datetime as dt
import re
from dataclasses import dataclass

from .formats import FieldFormatError, hex_days, parse_hex_days

LENGTHS = {2: 22, 3: 24, 4: 26}
_ID = re.compile(r"[A-Z0-9]{4}")


class HeaderError(ValueError):
    """An unreadable header; `str()` is French."""


@dataclass(frozen=True)
class Header:
    version: int
    ca_id: str
    cert_id: str
    emission_date: dt.date | None
    signature_date: dt.date | None
    doc_type: str
    perimeter: str = "01"
    country: str = "FR"

    def to_text(self) -> str:
        if self.version not in LENGTHS:
            raise HeaderError(f"version de 2D-Doc non prise en charge : {self.version}")
        for value in (self.ca_id, self.cert_id):
            if not _ID.fullmatch(value):
                raise HeaderError(f"identifiant d’autorité ou de certificat invalide : « {value} »")
        text = (
            f"DC{self.version:02d}{self.ca_id}{self.cert_id}"
            f"{hex_days(self.emission_date)}{hex_days(self.signature_date)}{self.doc_type}"
        )
        if self.version >= 3:
            text += self.perimeter
        if self.version >= 4:
            text += self.country
        return text

    @property
    def length(self) -> int:
        return LENGTHS[self.version]


def parse(text: str) -> Header:
    """Read the header at the start of `text` (the whole 2D-Doc is fine)."""
    if not text.startswith("DC"):
        raise HeaderError("le texte ne commence pas par « DC » (marqueur 2D-Doc)")
    version_text = text[2:4]
    if not version_text.isdigit():
        raise HeaderError(f"version illisible : « {version_text} »")
    version = int(version_text)
    if version not in LENGTHS:
        raise HeaderError(f"version de 2D-Doc non prise en charge : {version_text}")
    if len(text) < LENGTHS[version]:
        raise HeaderError("en-tête incomplet")
    ca_id, cert_id = text[4:8], text[8:12]
    if not (_ID.fullmatch(ca_id) and _ID.fullmatch(cert_id)):
        raise HeaderError("identifiant d’autorité ou de certificat illisible")
    try:
        emission = parse_hex_days(text[12:16])
        signature = parse_hex_days(text[16:20])
    except FieldFormatError as exc:
        raise HeaderError(str(exc))
    doc_type = text[20:22]
    if not re.fullmatch(r"[A-Z0-9]{2}", doc_type):
        raise HeaderError(f"type de document illisible : « {doc_type} »")
    perimeter = text[22:24] if version >= 3 else "01"
    country = text[24:26] if version >= 4 else "FR"
    if not re.fullmatch(r"[0-9]{2}", perimeter):
        raise HeaderError(f"périmètre illisible : « {perimeter} »")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise HeaderError(f"pays illisible : « {country} »")
    return Header(version, ca_id, cert_id, emission, signature, doc_type, perimeter, country)
