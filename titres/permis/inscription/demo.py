"""Demo of the inscription: the demo driving school's candidates, one
waiting for the prefecture, one registered (NEPH attributed) who passed
the theory test and the practical test B ten days ago, so the school can
request the title. Idempotent (keyed by the candidates' names)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from titres.core.demo import DemoCredential

from ..enums import LicenceState
from ..identifiers import format_neph
from ..models import LicenceRecord, LicenceRequest, PracticalTest, TheoryTest, add_years
from .procedure import CODE, MOTIF

SCHOOL = "demo-autoecole"
CENTRE = "Centre d’examen de Charleville-Mézières"
CANDIDATES = [
    # (birth name, first name, sex, years old, registered)
    ("DUBOIS", "Léa", "F", 17, True),
    ("MOREL", "Hugo", "M", 18, False),
]


def _answers(name, first_name, sex, birth: date) -> dict:
    return {
        "etat_civil": {
            "nom_naissance": name,
            "nom_usage": "",
            "sexe": sex,
            "prenoms": [first_name],
            "date_naissance": birth.isoformat(),
            "lieu_naissance": "france",
            "commune_naissance": "Charleville-Mézières",
            "departement_naissance": "08",
            "pays_naissance": "",
        },
        "adresse": {
            "numero": "3",
            "extension": "",
            "type_voie": "place",
            "nom_voie": "Ducale",
            "complement": "",
            "code_postal": "08000",
            "commune": "Charleville-Mézières",
            "prefecture": "08",
            "email": f"{first_name.lower()}.{name.lower()}@demo.titres.localhost",
            "mobile": "",
            "consentement_information": "non",
        },
        "categories": {"categories": ["B"], "aac": False},
        "photo": {"mode_photo": "talon", "code_ephoto": "", "sans_code_depuis": None},
        "pieces": {},
    }


def load() -> list[DemoCredential]:
    from django.contrib.auth import get_user_model

    from titres.procedures.demo_support import record_submission
    from titres.procedures.enums import Role, Status
    from titres.procedures.models import Demarche, StatusChange

    from ..procedure import authority_for_departement
    from .services import next_neph

    school = get_user_model().objects.filter(username=SCHOOL).first()
    if school is None:
        return []
    credentials = []
    today = timezone.localdate()
    authority = authority_for_departement("08")
    for name, first_name, sex, age, registered in CANDIDATES:
        existing = (
            LicenceRequest.objects.filter(
                motif=MOTIF,
                demarche__owner=school,
                demarche__acting_for__nom_naissance=name,
            )
            .select_related("record")
            .first()
        )
        if existing is None:
            birth = add_years(today, -age) - timedelta(days=40)
            answers = _answers(name, first_name, sex, birth)
            demarche = Demarche.objects.create(
                procedure_code=CODE,
                owner=school,
                status=Status.VALIDEE if registered else Status.EN_COURS,
                answers=answers,
                authority=authority,
                acting_for={"type": "candidat", "nom_naissance": name, "prenoms": [first_name]},
                submitted_at=timezone.now() - timedelta(days=60 if registered else 2),
                decided_at=timezone.now() - timedelta(days=50) if registered else None,
                taken_at=timezone.now() - timedelta(days=50) if registered else None,
            )
            record_submission(demarche, school)
            existing = LicenceRequest.objects.create(
                demarche=demarche, motif=MOTIF, categories=["B"], match_method="aucune"
            )
            if registered:
                StatusChange.objects.create(
                    demarche=demarche, from_status=Status.EN_COURS, to_status=Status.VALIDEE,
                    event="valider", label="Demande validée", actor=None, actor_role=Role.SYSTEME,
                )  # fmt: skip
                record = LicenceRecord.objects.create(
                    neph=next_neph(year=today.year, departement="08"),
                    birth_name=name,
                    first_names=first_name,
                    sex=sex,
                    birth_date=birth,
                    birth_commune="Charleville-Mézières",
                    birth_departement="08",
                    state=LicenceState.EN_FORMATION,
                    state_since=today - timedelta(days=50),
                    points_balance=0,
                )
                existing.record = record
                existing.neph_attributed_at = timezone.now() - timedelta(days=50)
                existing.save(update_fields=["record", "neph_attributed_at"])
                Demarche.objects.filter(pk=demarche.pk).update(
                    answers={**answers, "neph": record.neph}
                )
                etg_day = today - timedelta(days=30)
                TheoryTest.objects.create(
                    record=record, taken_on=etg_day, passed=True, centre=CENTRE,
                    valid_until=add_years(etg_day, 5),
                )  # fmt: skip
        record = existing.record
        if record is not None and not record.practical_tests.exists():
            from ..exams import cepc_valid_until

            # A first attempt failed, then the pass: the public results
            # page (/permis/resultats/) shows both.
            PracticalTest.objects.create(
                record=record, category="B", taken_on=today - timedelta(days=20), passed=False,
                centre=CENTRE,
            )  # fmt: skip
            day = today - timedelta(days=10)
            test = PracticalTest.objects.create(
                record=record, category="B", taken_on=day, passed=True, centre=CENTRE,
                cepc_valid_until=cepc_valid_until(day),
            )  # fmt: skip
            test.cepc_number = f"CEPC{day:%y}{test.pk:08d}"
            test.save(update_fields=["cepc_number"])
        if record is not None:
            credentials.append(
                DemoCredential(
                    role="École de conduite : candidate en formation, permis B réussi",
                    identifier=f"NEPH {format_neph(record.neph)}",
                    secret=f"née le {record.birth_date:%d/%m/%Y}",
                    note=(
                        f"{SCHOOL} : Nouvelle demande > Permis > fabrication du titre ; "
                        "résultats et CEPC sans compte sur /permis/resultats/"
                    ),
                )
            )
    return credentials
