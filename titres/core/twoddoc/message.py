"""The message: fields one after another, each as its two-character
identifier followed by its value. A fixed-length value ends by its length;
a variable-length one ends by GS (0x1D), unless it reaches its maximum
length or is the last field of the message (then US or the end follows).
"""

from dataclasses import dataclass

from .doctypes import DocumentType
from .fields import FieldDef
from .formats import C40_TEXT, FieldFormatError

GS = "\x1d"  # end of a variable-length field
RS = "\x1e"
US = "\x1f"  # start of the signature


class MessageError(ValueError):
    """Fields that cannot be written or read; `str()` is French."""


@dataclass(frozen=True)
class DecodedField:
    ident: str
    name: str
    raw: str
    value: object
    display: str


def _value_text(definition: FieldDef, value) -> str:
    try:
        text = definition.format.to_text(value)
        definition.format.check(text)
    except FieldFormatError as exc:
        raise MessageError(f"champ {definition.ident} ({definition.name}) : {exc}")
    _check_length(definition, text)
    return text


def _check_length(definition: FieldDef, text: str) -> None:
    if definition.fixed and len(text) != definition.max_length:
        raise MessageError(
            f"champ {definition.ident} ({definition.name}) : {definition.max_length} "
            f"caractères attendus, {len(text)} reçus (« {text} »)"
        )
    if len(text) < definition.min_length or (
        definition.max_length is not None and len(text) > definition.max_length
    ):
        raise MessageError(
            f"champ {definition.ident} ({definition.name}) : longueur {len(text)} hors de "
            f"{definition.describe_length()} (« {text} »)"
        )
    if not C40_TEXT.fullmatch(text):
        raise MessageError(f"champ {definition.ident} : caractère hors du jeu C40")


def _check_presence(doc_type: DocumentType, present: set[str]) -> None:
    missing = sorted(doc_type.required - present)
    if missing:
        raise MessageError(
            f"champs obligatoires absents pour le type {doc_type.code} : {', '.join(missing)}"
        )
    for group in doc_type.required_any:
        if not present & set(group):
            raise MessageError(f"un de ces champs est obligatoire : {', '.join(group)}")


def encode(doc_type: DocumentType, values: dict[str, object]) -> str:
    """The message for `values` ({identifier: value}); None or "" values are
    left out. Fields are written in the type's order whatever the dict's."""
    unknown = sorted(set(values) - set(doc_type.allowed))
    if unknown:
        raise MessageError(
            f"identifiants non admis pour le type {doc_type.code} : {', '.join(unknown)}"
        )
    parts: list[tuple[FieldDef, str]] = []
    for ident in doc_type.allowed:
        value = values.get(ident)
        if value is None or value == "":
            continue
        definition = doc_type.field(ident)
        text = _value_text(definition, value)
        if text == "" and not definition.fixed:
            continue
        parts.append((definition, text))
    _check_presence(doc_type, {d.ident for d, _ in parts})
    out = []
    for index, (definition, text) in enumerate(parts):
        out.append(definition.ident + text)
        last = index == len(parts) - 1
        if not definition.fixed and not last and len(text) != definition.max_length:
            out.append(GS)
    return "".join(out)


def parse(doc_type: DocumentType, text: str) -> list[DecodedField]:
    """The fields of `text` (the message only, between header and US),
    each checked against its definition."""
    fields: list[DecodedField] = []
    seen: set[str] = set()
    pos = 0
    while pos < len(text):
        ident = text[pos : pos + 2]
        if len(ident) < 2:
            raise MessageError("identifiant de champ tronqué en fin de message")
        definition = doc_type.field(ident)
        if definition is None:
            raise MessageError(
                f"identifiant « {ident} » inconnu ou non admis pour le type {doc_type.code}"
            )
        if ident in seen:
            raise MessageError(f"champ {ident} présent deux fois")
        seen.add(ident)
        pos += 2
        if definition.fixed:
            raw = text[pos : pos + definition.max_length]
            pos += len(raw)
        else:
            end = text.find(GS, pos)
            end = len(text) if end < 0 else end
            if definition.max_length is not None:
                end = min(end, pos + definition.max_length)
            raw = text[pos:end]
            pos = end
            if pos < len(text) and text[pos] == GS:
                pos += 1
        if GS in raw or US in raw or RS in raw:
            raise MessageError(f"champ {ident} ({definition.name}) : séparateur mal placé")
        _check_length(definition, raw)
        try:
            value = definition.format.parse(raw)
        except FieldFormatError as exc:
            raise MessageError(f"champ {ident} ({definition.name}) : {exc}")
        fields.append(
            DecodedField(ident, definition.name, raw, value, definition.format.display(value))
        )
    _check_presence(doc_type, seen)
    return fields
