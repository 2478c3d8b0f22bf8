"""Yearly points of the probationary licence (issue 19): +2 a year (+3 with
AAC) at each anniversary without a withdrawal, capped at 12, credited once,
written in the SNPC history and journaled; boundary dates."""

from datetime import date

import pytest
from django.core.management import call_command

from titres.core.models import AuditEvent
from titres.jobs.schedule import job_named
from titres.jobs.scheduler import run_job
from titres.permis import probation
from titres.permis.enums import LicenceState
from titres.permis.models import PointsCredit

from .factories import LicenceRecordFactory

pytestmark = pytest.mark.django_db


def _probatory(start, *, aac=False, points=6, **kwargs):
    return LicenceRecordFactory(
        probation_start=start, probation_aac=aac, points_balance=points, **kwargs
    )


def _history(record):
    return list(
        PointsCredit.objects.filter(record=record, reason="probatoire")
        .order_by("on")
        .values_list("reference", "delta", "balance_after", "on")
    )


def test_nothing_the_day_before_the_first_anniversary():
    record = _probatory(date(2024, 3, 10))
    assert probation.credit_probation_points(date(2025, 3, 9)) == 0
    record.refresh_from_db()
    assert record.points_balance == 6
    assert _history(record) == []


def test_two_points_on_the_anniversary_day_once():
    record = _probatory(date(2024, 3, 10))
    assert probation.credit_probation_points(date(2025, 3, 10)) == 1
    assert probation.credit_probation_points(date(2025, 3, 10)) == 0  # second run
    assert probation.credit_probation_points(date(2025, 6, 1)) == 0  # later run
    record.refresh_from_db()
    assert record.points_balance == 8
    assert _history(record) == [("probatoire:1", 2, 8, date(2025, 3, 10))]
    event = AuditEvent.objects.get(event="permis.probation_points_credited")
    assert event.data["neph"] == record.neph
    assert (event.data["avant"], event.data["apres"], event.data["anniversaire"]) == (6, 8, 1)
    assert event.actor_role == "systeme"


def test_three_years_without_aac_reach_twelve():
    record = _probatory(date(2022, 5, 2))
    for day, balance in ((date(2023, 5, 2), 8), (date(2024, 5, 2), 10), (date(2025, 5, 2), 12)):
        probation.credit_probation_points(day)
        record.refresh_from_db()
        assert record.points_balance == balance
    assert probation.credit_probation_points(date(2026, 5, 2)) == 0
    assert [row[0] for row in _history(record)] == [f"probatoire:{n}" for n in (1, 2, 3)]


def test_aac_gains_three_a_year_and_twelve_after_two_years():
    record = _probatory(date(2023, 9, 1), aac=True)
    probation.credit_probation_points(date(2024, 9, 1))
    record.refresh_from_db()
    assert record.points_balance == 9
    probation.credit_probation_points(date(2025, 9, 1))
    record.refresh_from_db()
    assert record.points_balance == 12
    assert probation.credit_probation_points(date(2026, 9, 1)) == 0
    assert len(_history(record)) == 2


def test_a_late_run_credits_every_missed_anniversary_once_in_order():
    record = _probatory(date(2022, 1, 15))
    assert probation.credit_probation_points(date(2024, 2, 1)) == 2
    record.refresh_from_db()
    assert record.points_balance == 10
    assert _history(record) == [
        ("probatoire:1", 2, 8, date(2023, 1, 15)),
        ("probatoire:2", 2, 10, date(2024, 1, 15)),
    ]


def test_licence_issued_on_29_february():
    record = _probatory(date(2024, 2, 29))
    assert probation.credit_probation_points(date(2025, 2, 27)) == 0
    assert probation.credit_probation_points(date(2025, 2, 28)) == 1
    record.refresh_from_db()
    assert record.points_balance == 8
    assert _history(record)[0][3] == date(2025, 2, 28)
    # The fourth year falls in a leap year again: 29 February 2028.
    probation.credit_probation_points(date(2026, 2, 28))
    assert probation.credit_probation_points(date(2027, 2, 28)) == 1
    record.refresh_from_db()
    assert record.points_balance == 12


def test_the_credit_never_passes_the_ceiling():
    # Points already regained (a stage): 6 + 4 = 10, ceiling 8 after a year.
    record = _probatory(date(2024, 4, 1), points=10)
    probation.credit_probation_points(date(2025, 4, 1))
    record.refresh_from_db()
    assert record.points_balance == 10  # never lowered either
    assert _history(record) == [("probatoire:1", 0, 10, date(2025, 4, 1))]


def test_a_withdrawal_during_the_year_blocks_that_year_only():
    record = _probatory(date(2023, 6, 1))
    PointsCredit.objects.create(
        record=record, delta=-1, balance_after=5, reason="infraction", on=date(2024, 5, 31)
    )
    record.points_balance = 5
    record.save()
    probation.credit_probation_points(date(2024, 6, 1))
    record.refresh_from_db()
    assert record.points_balance == 5
    event = AuditEvent.objects.get(event="permis.probation_points_credited")
    assert event.data["retrait_le"] == "2024-05-31"
    # The next year has no withdrawal (the one of 31/05/2024 is a year old).
    probation.credit_probation_points(date(2025, 6, 1))
    record.refresh_from_db()
    assert record.points_balance == 7


def test_a_withdrawal_on_the_previous_anniversary_belongs_to_the_year_before():
    record = _probatory(date(2023, 6, 1))
    PointsCredit.objects.create(
        record=record, delta=-1, balance_after=5, reason="infraction", on=date(2024, 6, 1)
    )
    record.points_balance = 5
    record.save()
    probation.credit_probation_points(date(2025, 6, 1))
    record.refresh_from_db()
    # Year 1 (to 01/06/2024) had the withdrawal, year 2 did not.
    assert [row[1] for row in _history(record)] == [0, 2]
    assert record.points_balance == 7


@pytest.mark.parametrize("state", [LicenceState.SUSPENDU, LicenceState.ANNULE])
def test_no_credit_for_a_licence_not_valid(state):
    record = _probatory(date(2024, 3, 10), state=state)
    assert probation.credit_probation_points(date(2025, 3, 10)) == 0
    record.refresh_from_db()
    assert record.points_balance == 6


def test_a_full_licence_is_not_touched():
    record = LicenceRecordFactory(points_balance=9)
    assert probation.credit_probation_points(date(2026, 1, 1)) == 0
    record.refresh_from_db()
    assert record.points_balance == 9


def test_settled_anniversaries_of_an_exchanged_licence_are_not_credited():
    record = _probatory(date(2024, 3, 10), points=8)
    probation.settle_elapsed(record, date(2025, 4, 1))
    assert _history(record) == [("probatoire:1", 0, 8, date(2025, 3, 10))]
    assert probation.credit_probation_points(date(2025, 4, 2)) == 0
    probation.credit_probation_points(date(2026, 3, 10))
    record.refresh_from_db()
    assert record.points_balance == 10


def test_the_scheduler_runs_the_daily_command():
    record = _probatory(date(2020, 1, 1))  # past the window: nothing
    assert job_named("credit_probation_points").period == 24 * 3600
    call_command("credit_probation_points")
    record.refresh_from_db()
    assert record.points_balance == 6
    from titres.jobs import lease

    assert lease.acquire("a")
    run = run_job("credit_probation_points", instance="a")
    assert run.output.strip() == "0 anniversaire(s) de permis probatoire traité(s)."
