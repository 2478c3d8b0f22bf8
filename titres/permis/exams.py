"""Exam results in the national file (SNPC): the theory test (ETG, valid
five years once passed) and the practical test of each category, whose
pass gives the certificate of examination (CEPC, valid four months as a
provisional right to drive). Recorded by the examination service (here:
the demo loader, the admin, the tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titres.core.journal import record_event

from .audit import PermisEvent
from .enums import LicenceState
from .models import LicenceRecord, PracticalTest, TheoryTest, add_years

ETG_VALIDITY_YEARS = 5
CEPC_VALIDITY_DAYS = 122  # four months


def cepc_valid_until(taken_on: date) -> date:
    """Four calendar months after the test (last day of a shorter month)."""
    month = taken_on.month + 4
    year = taken_on.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in (taken_on.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return taken_on + timedelta(days=CEPC_VALIDITY_DAYS)  # pragma: no cover


def valid_theory_test(record: LicenceRecord, on: date) -> TheoryTest | None:
    return (
        record.theory_tests.filter(passed=True, taken_on__lte=on, valid_until__gte=on)
        .order_by("-taken_on")
        .first()
    )


@transaction.atomic
def record_theory_test(
    *, record: LicenceRecord, taken_on: date, passed: bool, centre: str, actor=None, request=None
) -> TheoryTest:
    if taken_on > timezone.localdate():
        raise ValidationError(_("La date de l’épreuve ne peut pas être dans le futur."))
    test = TheoryTest.objects.create(
        record=record,
        taken_on=taken_on,
        passed=passed,
        centre=centre[:150],
        valid_until=add_years(taken_on, ETG_VALIDITY_YEARS) if passed else None,
    )
    record_event(
        PermisEvent.EXAM_RECORDED,
        actor=actor,
        request=request,
        target=test,
        data={"neph": record.neph, "epreuve": "ETG", "date": str(taken_on), "reussie": passed},
    )
    return test


@transaction.atomic
def record_practical_test(
    *,
    record: LicenceRecord,
    category: str,
    taken_on: date,
    passed: bool,
    centre: str,
    actor=None,
    request=None,
) -> PracticalTest:
    """A practical test needs a theory test passed and still valid on its
    day (refused otherwise, with the reason)."""
    if taken_on > timezone.localdate():
        raise ValidationError(_("La date de l’épreuve ne peut pas être dans le futur."))
    if valid_theory_test(record, taken_on) is None:
        raise ValidationError(
            _(
                "Aucune épreuve théorique générale (code) réussie et valable le %(date)s : "
                "l’épreuve pratique ne peut pas être enregistrée."
            )
            % {"date": taken_on.strftime("%d/%m/%Y")}
        )
    test = PracticalTest.objects.create(
        record=record,
        category=category,
        taken_on=taken_on,
        passed=passed,
        centre=centre[:150],
        cepc_valid_until=cepc_valid_until(taken_on) if passed else None,
    )
    if passed:
        test.cepc_number = f"CEPC{taken_on:%y}{test.pk:08d}"
        test.save(update_fields=["cepc_number"])
    record_event(
        PermisEvent.EXAM_RECORDED,
        actor=actor,
        request=request,
        target=test,
        data={
            "neph": record.neph,
            "epreuve": "pratique",
            "categorie": category,
            "date": str(taken_on),
            "reussie": passed,
        },
    )
    return test


@dataclass
class TitleCheck:
    """What the SNPC says about a request for the title after the exam."""

    record: LicenceRecord | None
    passes: list[PracticalTest]
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def check_for_title(record: LicenceRecord | None, *, on: date | None = None) -> TitleCheck:
    """The file may receive its first title: in training, a practical test
    passed whose CEPC is still valid. The French error says what is missing."""
    on = on or timezone.localdate()
    if record is None:
        return TitleCheck(
            None, [], _("Aucun dossier ne correspond à ce numéro et à cette date de naissance.")
        )
    if record.state != LicenceState.EN_FORMATION:
        return TitleCheck(
            record,
            [],
            _(
                "Ce dossier n’est pas celui d’un candidat en formation (état : %(state)s) : "
                "la demande de fabrication du titre concerne un premier permis."
            )
            % {"state": record.get_state_display()},
        )
    passes = list(record.practical_tests.filter(passed=True).order_by("taken_on"))
    if not passes:
        return TitleCheck(
            record,
            [],
            _(
                "Aucune réussite à l’épreuve pratique n’est enregistrée dans le fichier "
                "national pour ce dossier."
            ),
        )
    current = [p for p in passes if p.cepc_valid_until and p.cepc_valid_until >= on]
    if not current:
        last = passes[-1]
        return TitleCheck(
            record,
            passes,
            _(
                "Le certificat d’examen (CEPC) n° %(number)s du %(date)s n’est plus valable "
                "depuis le %(end)s : adressez-vous à la préfecture."
            )
            % {
                "number": last.cepc_number,
                "date": last.taken_on.strftime("%d/%m/%Y"),
                "end": last.cepc_valid_until.strftime("%d/%m/%Y"),
            },
        )
    return TitleCheck(record, current)
