"""How one 2D-Doc field value is written and read (ANTS specification,
"Identifiants de données": each identifier has a length, fixed or bounded,
and a format).

A format turns a Python value into the characters of the message
(`to_text`) and back (`parse`), and says why a text is not acceptable
(`FieldFormatError`). Every character of a message belongs to the C40
character set of the DataMatrix (upper-case letters, digits, space and the
punctuation of ASCII 33-95); lower-case letters and accents do not exist
there, so `normalize` uppercases and strips accents before a value is
checked against its format.
"""

import datetime as dt
import re
import unicodedata

EPOCH = dt.date(2000, 1, 1)
# Header dates and hexadecimal date fields: days since 2000-01-01 in 4
# hexadecimal digits; "FFFF" means "no date".
NO_DATE = "FFFF"
# What a field value may contain at most (C40 basic + shift 2 sets, without
# the control characters that separate fields and the signature).
C40_TEXT = re.compile(r"[ -_]*")


class FieldFormatError(ValueError):
    """A value that its field's format does not accept; `str()` is French."""


def normalize(value: str) -> str:
    """Upper case, no accents, single spaces: "Frédéric  Lévy" -> "FREDERIC LEVY".
    Typographic apostrophes and dashes become their ASCII forms."""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("Œ", "OE").replace("œ", "oe").replace("Æ", "AE").replace("æ", "ae")
    text = text.replace("ß", "ss")
    return " ".join(text.upper().split())


def hex_days(day: dt.date | None) -> str:
    """A date as 4 hexadecimal digits of days since 2000-01-01 (None: FFFF)."""
    if day is None:
        return NO_DATE
    if isinstance(day, dt.datetime):
        day = day.date()
    days = (day - EPOCH).days
    if not 0 <= days < 0xFFFF:
        raise FieldFormatError(f"date hors de la plage du 2D-Doc : {day.isoformat()}")
    return f"{days:04X}"


def parse_hex_days(text: str) -> dt.date | None:
    if text == NO_DATE:
        return None
    if not re.fullmatch(r"[0-9A-F]{4}", text):
        raise FieldFormatError(f"date hexadécimale illisible : « {text} »")
    return EPOCH + dt.timedelta(days=int(text, 16))


class Format:
    """Base: a text field whose characters match `pattern` (a character
    class, already upper case), written as it is."""

    label = "texte"
    pattern = re.compile(r"[ -_]*")
    # Names lose their hyphens and apostrophes ("Jean-François" -> "JEAN
    # FRANCOIS") in the formats that only allow letters and spaces, as the
    # specification's examples do.
    soften = False

    def to_text(self, value) -> str:
        text = normalize(value)
        if self.soften:
            text = " ".join(re.sub(r"[-'.]", " ", text).split())
        return text

    def check(self, text: str) -> None:
        if not self.pattern.fullmatch(text):
            raise FieldFormatError(f"caractères non admis ({self.label}) : « {text} »")

    def parse(self, text: str):
        self.check(text)
        return text

    def display(self, value) -> str:
        return str(value)


class Letters(Format):
    label = "lettres"
    pattern = re.compile(r"[A-Z]*")


class LettersSpace(Format):
    label = "lettres et espaces"
    pattern = re.compile(r"[A-Z ]*")
    soften = True


class LettersSpaceSlash(Format):
    """Lists of first names, separated by "/" (field 60)."""

    label = "lettres, espaces et « / »"
    pattern = re.compile(r"[A-Z /]*")

    def to_text(self, value) -> str:
        if isinstance(value, list | tuple):
            value = "/".join(" ".join(re.sub(r"[-'.]", " ", normalize(v)).split()) for v in value)
            return value
        text = normalize(value)
        return " ".join(re.sub(r"[-'.]", " ", text).split())


class Alnum(Format):
    label = "lettres et chiffres"
    pattern = re.compile(r"[A-Z0-9]*")


class AlnumSpace(Format):
    label = "lettres, chiffres et espaces"
    pattern = re.compile(r"[A-Z0-9 ]*")

    def to_text(self, value) -> str:
        return " ".join(re.sub(r"[^A-Z0-9 ]", " ", normalize(value)).split())


class AlnumDash(Format):
    label = "lettres, chiffres et « - »"
    pattern = re.compile(r"[A-Z0-9-]*")

    def to_text(self, value) -> str:
        return normalize(value).replace(" ", "-")


class AlnumSpaceSlash(Format):
    label = "lettres, chiffres, espaces, « / » et « . »"
    pattern = re.compile(r"[A-Z0-9 /.]*")


class CodeList(AlnumSpaceSlash):
    """Codes separated by "/" (the portal's ZA: `ANNULEE/GAGE`), shown with
    their label so that a reader of the verification page is never left
    with a bare code; a code it does not know is shown as it is."""

    def __init__(self, labels: dict[str, str]):
        self.labels = labels

    def display(self, value) -> str:
        return " ; ".join(
            f"{self.labels[code]} ({code})" if code in self.labels else code
            for code in str(value).split("/")
            if code
        )


class Any(Format):
    """Any character of the C40 text set (letters, digits, space, punctuation)."""

    label = "caractères C40"
    pattern = C40_TEXT


class Digits(Format):
    """Digits, left-padded with zeros to the field's fixed length (field AN:
    1337 km -> "00001337")."""

    label = "chiffres"
    pattern = re.compile(r"[0-9]*")

    def __init__(self, width: int | None = None):
        self.width = width

    def to_text(self, value) -> str:
        text = str(value).strip()
        if self.width and text.isdigit():
            text = text.rjust(self.width, "0")
        return text

    def parse(self, text: str):
        self.check(text)
        return text

    def display(self, value) -> str:
        stripped = str(value).lstrip("0")
        return stripped or "0"


class Date(Format):
    """JJMMAAAA: 02011970 is 2 January 1970."""

    label = "date JJMMAAAA"
    pattern = re.compile(r"[0-9]{8}")

    def to_text(self, value) -> str:
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            raise FieldFormatError(f"une date est attendue, pas « {value} »")
        return value.strftime("%d%m%Y")

    def parse(self, text: str) -> dt.date:
        self.check(text)
        try:
            return dt.datetime.strptime(text, "%d%m%Y").date()
        except ValueError:
            raise FieldFormatError(f"date impossible : « {text} »")

    def display(self, value) -> str:
        return value.strftime("%d/%m/%Y")


class DateTime(Format):
    """JJMMAAAAHHMM: 020320201400 is 2 March 2020 at 14:00 (local time)."""

    label = "date et heure JJMMAAAAHHMM"
    pattern = re.compile(r"[0-9]{12}")

    def to_text(self, value) -> str:
        if not isinstance(value, dt.datetime):
            raise FieldFormatError(f"une date et une heure sont attendues, pas « {value} »")
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value)
        return value.strftime("%d%m%Y%H%M")

    def parse(self, text: str) -> dt.datetime:
        self.check(text)
        try:
            return dt.datetime.strptime(text, "%d%m%Y%H%M")
        except ValueError:
            raise FieldFormatError(f"date et heure impossibles : « {text} »")

    def display(self, value) -> str:
        return value.strftime("%d/%m/%Y %H:%M")


class HexDate(Format):
    """4 hexadecimal digits, days since 2000-01-01 (field 08, expiry)."""

    label = "date hexadécimale"
    pattern = re.compile(r"[0-9A-F]{4}")

    def to_text(self, value) -> str:
        if not isinstance(value, dt.date):
            raise FieldFormatError(f"une date est attendue, pas « {value} »")
        return hex_days(value)

    def parse(self, text: str) -> dt.date:
        self.check(text)
        day = parse_hex_days(text)
        if day is None:
            raise FieldFormatError("date absente (FFFF) dans un champ daté")
        return day

    def display(self, value) -> str:
        return value.strftime("%d/%m/%Y")
