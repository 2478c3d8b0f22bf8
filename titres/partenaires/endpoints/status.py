"""Public: the measured availability of the current and the previous month
against the 99.5 % commitment (seed 004 §3), from the stored probes. No
token (it is what a partner checks when its calls fail), a ceiling per IP."""

import datetime as dt

from ninja import Field, Router, Schema

from titres.core import ratelimit
from titres.core.journal import client_ip

from .. import availability, errors
from .common import ErrorResponse

router = Router(tags=["Disponibilité"])

IP_LIMIT = "5/second"


class Month(Schema):
    mois: str = Field(description="AAAA-MM")
    debut: dt.datetime
    fin: dt.datetime = Field(description="Fin du mois, ou l’instant présent pour le mois en cours.")
    disponibilite: float | None = Field(
        description="Pourcentage de sondes réussies ; null sans aucune sonde."
    )
    sondes: int
    echecs: int
    couverture: float = Field(description="Pourcentage des sondes attendues (une par minute).")
    engagement_tenu: bool | None
    termine: bool


class Status(Schema):
    engagement: float = Field(description="Disponibilité mensuelle promise, en pourcentage.")
    periode_sondes_secondes: int
    mois_en_cours: Month
    mois_precedent: Month


class StatusResponse(Schema):
    data: Status


@router.get("/status", auth=None, response={200: StatusResponse, 429: ErrorResponse})
def status(request):
    """Disponibilité mesurée du mois en cours et du mois précédent (sondes du
    portail, une par minute), face à l'engagement de 99,5 %."""
    if not ratelimit.hit("partenaires:status", client_ip(request) or "-", IP_LIMIT):
        raise errors.ApiError(
            errors.OVER_QUOTA,
            "Trop de requêtes depuis cette adresse IP : réessayez dans une seconde.",
            headers={"Retry-After": "1"},
        )
    return {"data": availability.report()}
