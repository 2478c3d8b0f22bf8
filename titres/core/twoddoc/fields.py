"""The field identifiers of perimeter 01 (ANTS, C40) that the portal writes
or reads, with their names, lengths and formats as the specification lays
them out ("Identifiants de données"). Only the identifiers of the document
types in doctypes.py (and the complementary fields every type may carry)
are listed: a message holding any other identifier is refused as unknown.
"""

from dataclasses import dataclass

from . import formats as f


@dataclass(frozen=True)
class FieldDef:
    """One identifier: two characters, a French name, a length (fixed when
    `min_length == max_length`, else at most `max_length`, None meaning
    unbounded) and a format."""

    ident: str
    name: str
    min_length: int
    max_length: int | None
    format: f.Format

    @property
    def fixed(self) -> bool:
        return self.max_length is not None and self.min_length == self.max_length

    def describe_length(self) -> str:
        if self.fixed:
            return f"{self.max_length} (fixe)"
        if self.max_length is None:
            return f"{self.min_length} à ∞ (variable)"
        return f"{self.min_length} à {self.max_length} (variable)"


# The codes written in ZA (titres/vehicules/situation.py writes them; core
# cannot import the vehicles app), with the label the verification page shows.
SITUATION_CODES = {
    "AUCUNE": "Aucune inscription",
    "ANNULEE": "Immatriculation annulée",
    "GAGE": "Gage",
    "OTCI": "Opposition au transfert du certificat",
    "VOL": "Vol",
    "SUSPENSION": "Suspension",
    "VE": "Véhicule endommagé",
    "VGE": "Véhicule gravement endommagé",
}


def _fields(*defs: FieldDef) -> dict[str, FieldDef]:
    table = {}
    for d in defs:
        assert len(d.ident) == 2 and d.ident not in table, d.ident
        table[d.ident] = d
    return table


D = FieldDef

FIELDS: dict[str, FieldDef] = _fields(
    # Complementary fields of any 2D-Doc (§ "Identifiants de données
    # complémentaires du code 2D-DOC"): every type may carry them.
    D("01", "Identifiant unique du document", 0, None, f.Any()),
    D("02", "Catégorie de document", 0, None, f.Any()),
    D("03", "Sous-catégorie de document", 0, None, f.Any()),
    D("04", "Application de composition", 0, None, f.Any()),
    D("05", "Version de l’application de composition", 0, None, f.Any()),
    D("06", "Date de l’association entre le document et le code 2D-Doc", 4, 4, f.HexDate()),
    D("07", "Heure de l’association entre le document et le code 2D-Doc", 6, 6, f.Digits(6)),
    D("08", "Date d’expiration du document", 4, 4, f.HexDate()),
    D("09", "Nombre de pages du document", 4, 4, f.Digits(4)),
    D("0A", "Éditeur du 2D-Doc", 9, 9, f.Digits(9)),
    D("0B", "Intégrateur du 2D-Doc", 9, 9, f.Digits(9)),
    # Identity.
    D("5M", "Dénomination sociale", 0, 38, f.AlnumSpace()),
    D("60", "Liste des prénoms", 0, 60, f.LettersSpaceSlash()),
    D("61", "Prénom", 0, 20, f.LettersSpace()),
    D("62", "Nom patronymique", 0, 38, f.LettersSpace()),
    D("63", "Nom d’usage", 0, 38, f.LettersSpace()),
    D("68", "Genre", 1, 1, f.Letters()),
    D("69", "Date de naissance", 8, 8, f.Date()),
    D("6A", "Lieu de naissance", 0, 32, f.AlnumSpace()),
    D("6N", "Date de début de validité", 8, 8, f.Date()),
    D("6O", "Date de fin de validité", 8, 8, f.Date()),
    D("6W", "Code postal de l’adresse postale du domicile", 5, 5, f.Digits(5)),
    D("6X", "Commune de l’adresse postale du domicile", 0, 32, f.AlnumSpace()),
    # Vehicles.
    D("A0", "Pays ayant émis l’immatriculation du véhicule", 2, 2, f.Letters()),
    D("A1", "Immatriculation du véhicule", 0, 17, f.AlnumDash()),
    D("A2", "Marque du véhicule", 0, 17, f.AlnumSpace()),
    D("A3", "Nom commercial du véhicule", 0, 17, f.AlnumSpace()),
    D("A4", "Numéro de série du véhicule (VIN)", 17, 17, f.Alnum()),
    D("A6", "Carburant", 2, 2, f.Alnum()),
    D("AA", "Date de première immatriculation du véhicule", 8, 8, f.Date()),
    D("AN", "Kilométrage", 8, 8, f.Digits(8)),
    # Electronic transfer certificate (certificat de cession, type A8).
    D("C0", "Genre du vendeur", 1, 1, f.Letters()),
    D("C1", "Nom patronymique du vendeur", 0, 38, f.LettersSpace()),
    D("C2", "Prénom du vendeur", 0, 20, f.LettersSpace()),
    D("C3", "Date et heure de la cession", 12, 12, f.DateTime()),
    D("C4", "Date de la signature du vendeur", 8, 8, f.Date()),
    D("C5", "Genre de l’acheteur", 1, 1, f.Letters()),
    D("C6", "Nom patronymique de l’acheteur", 0, 38, f.LettersSpace()),
    D("C7", "Prénom de l’acheteur", 0, 20, f.LettersSpace()),
    D("C8", "Ligne 4 de la norme adresse postale du domicile de l’acheteur", 0, 38, f.AlnumSpace()),
    D("C9", "Code postal ou code cedex du domicile de l’acheteur", 5, 5, f.Digits(5)),
    D("CA", "Commune du domicile de l’acheteur", 0, 45, f.LettersSpace()),
    D("CB", "N° d’enregistrement", 10, 10, f.Digits(10)),
    D("CC", "Date et heure d’enregistrement dans le SIV", 12, 12, f.DateTime()),
    # Validity (shared with the customs group of the specification).
    D("D3", "Date de début de validité", 8, 8, f.Date()),
    D("D4", "Date de fin de validité", 8, 8, f.Date()),
    # Driving-test certificate (CEPC, type AD): identifiers, lengths and
    # formats as in the specification's worked example; see docs/twoddoc.md.
    D("E9", "Référence du certificat d’examen", 0, 19, f.Any()),
    D("EA", "Nature de l’épreuve", 1, 1, f.Letters()),
    D("EB", "Code de l’expert", 5, 5, f.Alnum()),
    D("EC", "Date de l’examen", 8, 8, f.Date()),
    D("ED", "Catégorie obtenue", 0, 5, f.Alnum()),
    D("EE", "Mentions additionnelles codifiées", 0, 60, f.AlnumSpaceSlash()),
    D("EF", "Indicateur complémentaire", 1, 1, f.Digits()),
    # The portal's own identifiers (type Z2, docs/twoddoc.md): the
    # specification defines none for a vehicle's administrative situation.
    # The Z range is unused by it, so they cannot clash with a future one.
    D("ZA", "Inscriptions au fichier du véhicule", 0, 60, f.CodeList(SITUATION_CODES)),
    D("ZB", "Nombre de titulaires successifs", 2, 2, f.Digits(2)),
)

# Fields any document type may add (ANTS: "l'ensemble des champs [...]
# complémentaires du code 2D-DOC peuvent être utilisés en tant que champ
# facultatif").
COMPLEMENTARY = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "0A", "0B")
