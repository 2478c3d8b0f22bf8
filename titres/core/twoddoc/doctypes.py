"""The registry of 2D-Doc document types: which fields each type carries,
in which order, which are mandatory, and which field says until when the
document is valid.

Types of the national specification (perimeter 01) keep their code and their
fields exactly; a type the portal defines for itself (the CPI) uses a code
outside the specification's list and identifiers the specification already
defines, so that any reader can split and name its fields. Another app adds
its own with `register(DocumentType(...))` at start-up (its AppConfig.ready).
"""

from dataclasses import dataclass
from functools import cached_property

from .fields import COMPLEMENTARY, FIELDS, FieldDef


@dataclass(frozen=True)
class DocumentType:
    code: str
    name: str
    # Field identifiers in the order they are written.
    fields: tuple[str, ...]
    required: frozenset[str] = frozenset()
    # Groups of which at least one field must be present (a holder is a
    # person, 62, or a company, 5M).
    required_any: tuple[tuple[str, ...], ...] = ()
    perimeter: str = "01"
    # Fields whose date ends the document's validity.
    expiry_fields: tuple[str, ...] = ("08",)
    # The header's emission date ("Date d'émission" column of the spec).
    emission_date_required: bool = True
    # False for the specification's types; True for the portal's own.
    portal_defined: bool = False
    source: str = ""

    def __post_init__(self):
        unknown = [i for i in self.fields if i not in FIELDS]
        if unknown:
            raise ValueError(f"Identifiants inconnus dans le type {self.code} : {unknown}")
        if not self.required <= set(self.fields):
            raise ValueError(f"Champ obligatoire hors de la liste du type {self.code}")

    @cached_property
    def allowed(self) -> tuple[str, ...]:
        """Every identifier the type may carry, in writing order: its own,
        then the complementary fields it does not already list."""
        return self.fields + tuple(i for i in COMPLEMENTARY if i not in self.fields)

    @cached_property
    def _allowed_set(self) -> frozenset[str]:
        return frozenset(self.allowed)

    def field(self, ident: str) -> FieldDef | None:
        return FIELDS[ident] if ident in self._allowed_set else None


_REGISTRY: dict[tuple[str, str], DocumentType] = {}


def register(doc_type: DocumentType) -> DocumentType:
    key = (doc_type.perimeter, doc_type.code)
    existing = _REGISTRY.get(key)
    if existing is not None and existing != doc_type:
        raise ValueError(f"Type de 2D-Doc {doc_type.code} déjà enregistré autrement")
    _REGISTRY[key] = doc_type
    return doc_type


def get_type(code: str, perimeter: str = "01") -> DocumentType | None:
    return _REGISTRY.get((perimeter, code))


def all_types() -> list[DocumentType]:
    return sorted(_REGISTRY.values(), key=lambda t: (t.portal_defined, t.perimeter, t.code))


# Certificat de cession électronique: the fields of the specification's
# table for A8, in the order of its worked example.
CESSION = register(
    DocumentType(
        code="A8",
        name="Certificat de cession électronique",
        fields=(
            "A1",
            "A4",
            "AA",
            "AN",
            "C1",
            "C2",
            "C3",
            "C4",
            "C6",
            "C7",
            "C8",
            "C9",
            "CA",
            "CB",
            "CC",
            "C0",
            "C5",
        ),
        required=frozenset(
            {"A1", "A4", "AA", "C1", "C3", "C4", "C6", "C8", "C9", "CA", "CB", "CC"}
        ),
        source="Spécifications techniques 2D-Doc, type A8 (exemple p. 181 de la v3.3.7.2)",
    )
)

# Certificat de réussite à l'examen du permis de conduire.
CEPC = register(
    DocumentType(
        code="AD",
        name="Certificat de réussite à l’examen du permis de conduire (CEPC)",
        fields=("60", "62", "69", "D3", "E9", "EA", "EC", "ED", "D4", "EB", "EE", "EF"),
        required=frozenset({"60", "62", "69", "D3", "E9", "EA", "EC", "ED", "D4"}),
        expiry_fields=("08", "D4"),
        source="Spécifications techniques 2D-Doc, type AD (exemple p. 214 de la v3.3.7.2)",
    )
)

# Certificat provisoire d'immatriculation: the portal's own type (the
# specification has none for it). Identifiers are the specification's.
CPI = register(
    DocumentType(
        code="Z1",
        name="Certificat provisoire d’immatriculation (CPI)",
        fields=(
            "01",
            "A0",
            "A1",
            "A4",
            "A2",
            "A3",
            "AA",
            "A6",
            "62",
            "60",
            "5M",
            "6W",
            "6X",
            "6N",
            "08",
        ),
        required=frozenset({"01", "A1", "A4", "6N", "08"}),
        required_any=(("62", "5M"),),
        portal_defined=True,
        source="Type propre au portail Titres (docs/twoddoc.md)",
    )
)

# Certificat de situation administrative (non-gage) of a vehicle: the
# portal's own type; the situation itself is in the portal identifiers ZA
# (inscriptions, or AUCUNE) and ZB (number of successive holders).
SITUATION = register(
    DocumentType(
        code="Z2",
        name="Certificat de situation administrative d’un véhicule",
        fields=("01", "A0", "A1", "A4", "A2", "A3", "AA", "6N", "08", "ZB", "ZA"),
        required=frozenset({"01", "A1", "A4", "AA", "ZA", "ZB", "6N", "08"}),
        portal_defined=True,
        source="Type propre au portail Titres (docs/twoddoc.md)",
    )
)
