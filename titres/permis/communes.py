"""The reference table of postal codes and communes, and what the request
form needs from it: validation, autocompletion, default prefecture.

The table is loaded from data/communes.csv.gz and data/departements.csv
(built by scripts/build_communes.py) by the data migration and by
`manage.py load_communes`. Tests that flush the database (transactional
tests, browser journeys) call `load_reference_data()` again."""

import csv
import gzip
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from titres.core.normalisation import normalise_commune

DATA_DIR = Path(__file__).resolve().parent / "data"
COMMUNES_FILE = DATA_DIR / "communes.csv.gz"
DEPARTEMENTS_FILE = DATA_DIR / "departements.csv"
POSTAL_CODE_RE = re.compile(r"^[0-9]{5}$")


def read_communes():
    with gzip.open(COMMUNES_FILE, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def read_departements():
    with open(DEPARTEMENTS_FILE, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@transaction.atomic
def load_reference_data(commune_model=None, departement_model=None) -> tuple[int, int]:
    """Replace the tables' content with the committed files. The model
    arguments let the data migration pass its historical models."""
    if commune_model is None or departement_model is None:
        from .models import Commune, Departement

        commune_model, departement_model = Commune, Departement
    departement_model.objects.all().delete()
    departement_model.objects.bulk_create(
        departement_model(
            code=row["code"],
            name=row["nom"],
            prefecture_insee_code=row["code_insee_prefecture"],
            prefecture_name=row["prefecture"],
        )
        for row in read_departements()
    )
    commune_model.objects.all().delete()
    communes = [
        commune_model(
            postal_code=row["code_postal"],
            insee_code=row["code_insee"],
            name=row["nom"],
            name_normalised=normalise_commune(row["nom"]),
            departement_code=row["departement"],
        )
        for row in read_communes()
    ]
    commune_model.objects.bulk_create(communes, batch_size=2000)
    return len(communes), departement_model.objects.count()


def ensure_reference_data() -> None:
    """Load the tables if they are empty (after a test flush, for example)."""
    from .models import Commune

    if not Commune.objects.exists():
        load_reference_data()


def commune_name_by_insee(code: str) -> str | None:
    """The commune of an INSEE code (for titres.core.cog)."""
    from .models import Commune

    return Commune.objects.filter(insee_code=code).values_list("name", flat=True).first()


def communes_for_postal_code(postal_code: str):
    from .models import Commune

    return Commune.objects.filter(postal_code=(postal_code or "").strip()).order_by("name")


def search_communes(query: str, *, limit: int = 20):
    """Communes whose name starts with `query` (accents and case ignored),
    or whose postal code starts with it when it is made of digits."""
    from .models import Commune

    query = (query or "").strip()
    if query.isdigit():
        qs = Commune.objects.filter(postal_code__startswith=query)
    else:
        normalised = normalise_commune(query)
        if len(normalised) < 2:
            return Commune.objects.none()
        qs = Commune.objects.filter(name_normalised__startswith=normalised)
    return qs.order_by("name", "postal_code")[:limit]


def validate_postal_code_commune(code_postal: str, commune: str):
    """Check that `commune` (a name, in any case, with or without accents,
    or an INSEE code) lies in `code_postal`; return the Commune row.

    Raises ValidationError with the message to show next to the field."""
    code_postal = (code_postal or "").strip()
    commune = (commune or "").strip()
    if not POSTAL_CODE_RE.match(code_postal):
        raise ValidationError(
            _("Le code postal doit comporter 5 chiffres."), code="postal_code_format"
        )
    candidates = list(communes_for_postal_code(code_postal))
    if not candidates:
        raise ValidationError(
            _("Le code postal %(code)s n’existe pas.") % {"code": code_postal},
            code="postal_code_unknown",
        )
    wanted = normalise_commune(commune)
    for candidate in candidates:
        if commune == candidate.insee_code or wanted == candidate.name_normalised:
            return candidate
    raise ValidationError(
        _(
            "La commune « %(commune)s » ne correspond pas au code postal %(code)s. "
            "Communes de ce code postal : %(choices)s."
        )
        % {
            "commune": commune,
            "code": code_postal,
            "choices": ", ".join(c.name for c in candidates[:10]),
        },
        code="postal_code_commune_mismatch",
    )


def departement_for_postal_code(code_postal: str) -> str | None:
    first = communes_for_postal_code(code_postal).first()
    return first.departement_code if first else None


def default_prefecture(departement_code: str | None):
    """The département (with its prefecture) a resident belongs to by default."""
    from .models import Departement

    if not departement_code:
        return None
    return Departement.objects.filter(code=departement_code).first()


def prefecture_choices() -> list[tuple[str, str]]:
    """(département code, "Préfecture de X (NN)") for a select field."""
    from .models import Departement

    return [(d.code, d.prefecture_label) for d in Departement.objects.order_by("code")]
