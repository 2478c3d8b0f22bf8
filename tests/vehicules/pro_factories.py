"""Professional files built directly (for lists and downloads): a filed
change of holder for a client, as the mandate journey leaves it."""

from datetime import timedelta

from django.utils import timezone

from titres.core import numbering
from titres.procedures.enums import Status
from titres.procedures.models import Demarche
from titres.vehicules.changement.procedure import CODE, one_month_after
from titres.vehicules.models import ChangeOfHolder

from .factories import VehicleFactory


def client_file(
    owner,
    *,
    last_name="MERCIER",
    first_names="Pierre",
    status=Status.EN_COURS,
    vehicle=None,
    days_ago=0,
    postal_code="69002",
):
    vehicle = vehicle or VehicleFactory()
    when = timezone.now() - timedelta(days=days_ago)
    filed = status != Status.BROUILLON
    demarche = Demarche.objects.create(
        procedure_code=CODE,
        owner=owner,
        number=numbering.generate(length=11),
        status=status,
        submitted_at=when if filed else None,
        answers={
            "pour-commencer": {"pour_qui": "mandat", "vehicule": vehicle.pk},
            "nouveau-titulaire": {
                "nom_naissance": last_name,
                "prenoms": first_names,
                "adresse": "3 place Bellecour",
                "code_postal": postal_code,
                "commune": "Lyon",
            },
        },
        acting_for={
            "nom": last_name,
            "prenoms": first_names,
            "qualite": "professionnel_mandataire",
            "professionnel": "Garage du Centre",
            "habilitation": "SIV-08-0001",
        },
    )
    Demarche.objects.filter(pk=demarche.pk).update(created_at=when, updated_at=when)
    demarche.refresh_from_db()
    ChangeOfHolder.objects.create(
        demarche=demarche,
        vehicle=vehicle,
        old_plate=vehicle.plate,
        paid_at=when if filed else None,
        amount_cents=22876,
        cpi_number=numbering.generate(prefix="CP", length=9) if filed else "",
        cpi_valid_until=one_month_after(when.date()) if filed else None,
    )
    return demarche
