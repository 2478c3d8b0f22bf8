"""Demo of the exchange and the extension (issue 19): a citizen whose
German licence exchange waits for the prefecture, and a holder whose
request to add BE (practical test passed ten days ago) waits too. Both
accounts use the demo password; idempotent (keyed by username)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from titres.core.demo import DemoCredential

from .identifiers import format_neph, make_neph

EXCHANGE_CITIZEN = "demo-echange"
EXTENSION_CITIZEN = "demo-extension"
CENTRE = "Centre d’examen de Nancy-Laxou"
ADDRESS = {
    "numero": "8", "extension": "", "type_voie": "rue", "nom_voie": "Stanislas",
    "complement": "", "code_postal": "54000", "commune": "Nancy", "prefecture": "54",
    "mobile": "", "consentement_information": "non",
}  # fmt: skip
TALON = {"mode_photo": "talon", "code_ephoto": "", "sans_code_depuis": None}


def _citizen(username, first_name, last_name):
    from django.contrib.auth import get_user_model

    from titres.accounts.demo import PASSWORD

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model()(
            username=username,
            email=f"{username}@demo.titres.localhost",
            first_name=first_name,
            last_name=last_name,
            profile="particulier",
            email_verified_at=timezone.now(),
        )
        user.set_password(PASSWORD)
        user.save()
    return user


def _submitted(code, owner, answers, days):
    from titres.procedures.demo_support import record_submission
    from titres.procedures.enums import Status
    from titres.procedures.models import Authority, Demarche

    demarche = Demarche.objects.create(
        procedure_code=code,
        owner=owner,
        status=Status.EN_COURS,
        answers=answers,
        authority=Authority.objects.get(code="543"),
        submitted_at=timezone.now() - timedelta(days=days),
    )
    record_submission(demarche, owner)
    return demarche


def _exchange() -> str:
    from .echange.procedure import CODE, MOTIF
    from .models import LicenceRequest

    owner = _citizen(EXCHANGE_CITIZEN, "Ingrid", "Schmidt")
    request = LicenceRequest.objects.filter(motif=MOTIF, demarche__owner=owner).first()
    if request is None:
        today = timezone.localdate()
        answers = {
            "etat_civil": {
                "nom_naissance": "SCHMIDT", "nom_usage": "", "sexe": "F",
                "prenoms": ["Ingrid"], "date_naissance": "1988-04-17", "lieu_naissance": "etranger",
                "commune_naissance": "Stuttgart", "departement_naissance": "",
                "pays_naissance": "Allemagne", "neph": "",
            },
            "adresse": {**ADDRESS, "email": owner.email},
            "permis_etranger": {
                "pays": "DE", "numero": "B072RRE2I55", "date_delivrance": "2010-06-12",
                "date_fin_validite": None,
                "date_installation": (today - timedelta(days=200)).isoformat(),
                "residence_normale": True, "date_B": "2010-06-12", "date_BE": "2014-09-03",
            },
            "photo": TALON,
            "pieces": {},
        }  # fmt: skip
        demarche = _submitted(CODE, owner, answers, days=3)
        request = LicenceRequest.objects.create(
            demarche=demarche, motif=MOTIF, categories=["B", "BE"], match_method="aucune",
            match={"method": "aucune", "exact": False},
        )  # fmt: skip
    return request.demarche.number


def _extension():
    from .exams import cepc_valid_until
    from .extension import CODE, MOTIF, licence_civil_status
    from .models import (
        LicenceCategory,
        LicenceHolderLink,
        LicenceRecord,
        LicenceRequest,
        PracticalTest,
    )

    owner = _citizen(EXTENSION_CITIZEN, "Julien", "Mercier")
    today = timezone.localdate()
    record, created = LicenceRecord.objects.get_or_create(
        neph=make_neph(year=2012, departement="54", sequence=9_000_010),
        defaults={
            "birth_name": "MERCIER", "first_names": "Julien", "sex": "M",
            "birth_date": date(1993, 11, 5), "birth_commune": "Nancy",
            "birth_departement": "54", "points_balance": 12,
        },
    )  # fmt: skip
    if created:
        LicenceCategory.objects.create(record=record, category="B", obtained_on=date(2012, 7, 9))
    LicenceHolderLink.objects.get_or_create(user=owner, defaults={"record": record})
    request = LicenceRequest.objects.filter(motif=MOTIF, record=record).first()
    if request is None:
        day = today - timedelta(days=10)
        test = PracticalTest.objects.create(
            record=record, category="BE", taken_on=day, passed=True, centre=CENTRE,
            cepc_valid_until=cepc_valid_until(day),
        )  # fmt: skip
        test.cepc_number = f"CEPC{day:%y}{test.pk:08d}"
        test.save(update_fields=["cepc_number"])
        match = {
            "method": "neph", "exact": True,
            "cepc": [{"categorie": "BE", "numero": test.cepc_number, "date": day.isoformat()}],
            "date": timezone.now().isoformat(),
        }  # fmt: skip
        answers = {
            "permis": {
                "neph": record.neph, "date_naissance": record.birth_date.isoformat(),
                "categories": ["BE"],
            },
            "adresse": {**ADDRESS, "email": owner.email},
            "photo": TALON,
            "pieces": {},
            "etat_civil": licence_civil_status(record),
            "_snpc": match,
        }  # fmt: skip
        demarche = _submitted(CODE, owner, answers, days=1)
        request = LicenceRequest.objects.create(
            demarche=demarche, motif=MOTIF, categories=["BE"], record=record,
            match_method="neph", match=match,
        )  # fmt: skip
    return request.demarche.number, record


def load() -> list[DemoCredential]:
    from titres.accounts.demo import PASSWORD

    exchange = _exchange()
    extension, record = _extension()
    return [
        DemoCredential(
            role="Particulier : échange d’un permis allemand en attente",
            identifier=EXCHANGE_CITIZEN,
            secret=PASSWORD,
            note=f"demande {exchange} (B, BE) à instruire par la préfecture 543",
        ),
        DemoCredential(
            role="Particulier : extension de catégorie BE en attente",
            identifier=EXTENSION_CITIZEN,
            secret=PASSWORD,
            note=(
                f"demande {extension}, NEPH {format_neph(record.neph)} ; "
                "épreuve BE réussie il y a dix jours"
            ),
        ),
    ]
