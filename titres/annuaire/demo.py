"""Demonstration data of the directory: photographers, photo booths and
digital assistance points imported from data/demo_lieux.csv (also an
example of the import format), the address of the demo SIV garage, and the
town halls of the identite demo. Idempotent (the import updates by
identifier; the garage's address is set once)."""

from titres.core.demo import DemoCredential

from . import geo, sync
from .directory_import import import_directory_csv
from .enums import EntrySource
from .models import DirectoryEntry

DEMO_CSV = geo.DATA_DIR / "demo_lieux.csv"
GARAGE = {
    "address": "12 avenue Jean Jaurès",
    "postal_code": "08000",
    "commune": "Charleville-Mézières",
    "insee_code": "08105",
    "departement_code": "08",
    "latitude": 49.7650,
    "longitude": 4.7270,
    "phone": "03 24 56 00 42",
    "opening_hours": "du lundi au vendredi 8:00–12:00, 14:00–18:00",
}


def load() -> list[DemoCredential]:
    geo.ensure_commune_centres()
    if not DirectoryEntry.objects.filter(source=EntrySource.IMPORT).exists():
        import_directory_csv(actor=None, content=DEMO_CSV.read_bytes(), filename=DEMO_CSV.name)
    sync.sync_all()
    for entry in DirectoryEntry.objects.filter(source=EntrySource.HABILITATION, address=""):
        for name, value in GARAGE.items():
            setattr(entry, name, value)
        entry.save()
    shown = DirectoryEntry.objects.filter(is_active=True, latitude__isnull=False).count()
    return [
        DemoCredential(
            "Annuaire géolocalisé",
            "/annuaire/?lieu=08000",
            "",
            f"{shown} lieux (Charleville-Mézières, Sedan, Reims, Lyon, Paris) ; "
            "import CSV : /gestion/annuaire/importreport/importer/ (exemple : "
            "titres/annuaire/data/demo_lieux.csv)",
        )
    ]
