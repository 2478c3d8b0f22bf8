"""Demo files of the demo garage (accounts' `demo-garage`, habilitation
SIV-08-2024-0042): a few clients' changes of holder in several states,
created once then left alone (make demo-reset reloads them)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from titres.core import numbering
from titres.core.demo import DemoCredential
from titres.procedures.enums import Role, Status
from titres.procedures.models import Demarche, StatusChange

from ..changement import state
from ..changement.procedure import CODE, one_month_after, resolve_authority
from ..models import ChangeOfHolder, Vehicle

GARAGE_USERNAME = "demo-garage"
# (client last name, first names, birth date, postal code, commune, status, days ago)
CLIENTS = [
    ("LEROY", "Julie", "1984-05-21", "08000", "Charleville-Mézières", Status.EN_COURS, 2),
    ("FONTAINE", "Marc", "1962-11-03", "51100", "Reims", Status.TERMINEE, 20),
    ("GARNIER", "Nadia", "1995-07-14", "08200", "Sedan", Status.EN_ATTENTE_USAGER, 6),
    ("ROUSSEAU", "Paul", "1978-02-28", "75011", "Paris", Status.BROUILLON, 0),
]


def _answers(client, vehicle):
    last, first, birth, postal_code, commune, _status, _days = client
    return {
        state.START: {
            "pour_qui": state.POUR_MANDAT,
            "titulaire_nom": last,
            "titulaire_prenoms": first,
            "titulaire_date_naissance": birth,
            "titulaire_email": "",
            "immatriculation": vehicle.plate_display,
            "a_code_cession": "non",
            "code_cession": "",
            "numero_formule": vehicle.formule_number,
            "date_ci": vehicle.ci_date.isoformat(),
            "vehicule": vehicle.pk,
        },
        state.HOLDER: {
            "ancien_titulaire_verifie": True,
            "nom_naissance": last,
            "prenoms": first,
            "date_naissance": birth,
            "sexe": "F" if first in ("Julie", "Nadia") else "M",
            "adresse": "1 place de la Gare",
            "code_postal": postal_code,
            "commune": commune,
            "usage": "personnel",
            "kilometrage": 62_000,
        },
    }


def load() -> list[DemoCredential]:
    garage = get_user_model().objects.filter(username=GARAGE_USERNAME).first()
    habilitation = getattr(garage, "habilitation", None) if garage else None
    if habilitation is None:
        return []
    credentials = [
        DemoCredential(
            "Professionnel habilité SIV : espace professionnel",
            GARAGE_USERNAME,
            "/vehicules/professionnel/",
            f"{habilitation.organisation_name}, habilitation {habilitation.number}",
        )
    ]
    if Demarche.objects.filter(owner=garage, procedure_code=CODE).exists():
        return credentials
    busy = ChangeOfHolder.objects.values_list("vehicle_id", flat=True)
    vehicles = (
        Vehicle.objects.exclude(pk__in=busy)
        .exclude(formule_number="")
        .filter(situations__isnull=True)
        .order_by("-pk")[: len(CLIENTS)]
    )
    authority = resolve_authority(None)
    for client, vehicle in zip(CLIENTS, vehicles, strict=False):
        last, first, _birth, _pc, _commune, status, days = client
        when = timezone.now() - timedelta(days=days)
        filed = status != Status.BROUILLON
        demarche = Demarche.objects.create(
            procedure_code=CODE,
            owner=garage,
            number=numbering.generate(length=11),
            status=status,
            answers=_answers(client, vehicle),
            acting_for={
                "nom": last,
                "prenoms": first,
                "date_naissance": client[2],
                "qualite": "professionnel_mandataire",
                "email": "",
                "professionnel": habilitation.organisation_name,
                "habilitation": habilitation.number,
            },
            authority=authority if filed else None,
            submitted_at=when if filed else None,
        )
        ChangeOfHolder.objects.create(
            demarche=demarche,
            vehicle=vehicle,
            old_plate=vehicle.plate,
            paid_at=when if filed else None,
            cpi_number=numbering.generate(prefix="CP", length=9) if filed else "",
            cpi_valid_until=one_month_after(when.date()) if filed else None,
        )
        if filed:
            StatusChange.objects.create(
                demarche=demarche,
                from_status=Status.BROUILLON,
                to_status=Status.EN_COURS,
                event="soumettre",
                label="Demande déposée",
                actor=garage,
                actor_role=Role.USAGER,
            )
    return credentials
