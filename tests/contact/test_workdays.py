"""Working days: weekends and French public holidays are not counted.

The counting is tested with the calendar passed explicitly (the 2026-2027
French holidays as the law fixes them), and the same expectations against
the maintained library when it is installed."""

from datetime import date

import pytest

from titres.contact import workdays

# Test data: the French public holidays around the cases below.
FR = frozenset(
    {
        date(2026, 4, 6),  # lundi de Pâques
        date(2026, 5, 1),
        date(2026, 5, 8),
        date(2026, 5, 14),  # Ascension
        date(2026, 5, 25),  # lundi de Pentecôte
        date(2026, 7, 14),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
        date(2027, 1, 1),
    }
)

CASES = [
    # filed                due after 15 working days        why
    (date(2026, 7, 13), date(2026, 8, 4)),  # Monday before 14 July (a Tuesday)
    (date(2026, 12, 24), date(2027, 1, 18)),  # Christmas Eve: 25 Dec and 1 Jan skipped
    (date(2026, 4, 3), date(2026, 4, 27)),  # Friday before Easter Monday
    (date(2026, 7, 4), date(2026, 7, 27)),  # a Saturday: counting starts Monday, 14 July skipped
    (date(2026, 4, 30), date(2026, 5, 27)),  # May: 1, 8, Ascension, Whit Monday
    (date(2026, 7, 14), date(2026, 8, 4)),  # filed on the holiday itself
    (date(2026, 3, 2), date(2026, 3, 23)),  # no holiday: three weeks exactly
]


@pytest.mark.parametrize(("filed", "due"), CASES)
def test_fifteen_working_days_skip_weekends_and_holidays(filed, due):
    assert workdays.add_working_days(filed, 15, FR) == due


def test_a_holiday_is_not_a_working_day_nor_a_weekend():
    assert not workdays.is_working_day(date(2026, 7, 14), FR)
    assert not workdays.is_working_day(date(2026, 7, 18), FR)  # Saturday
    assert workdays.is_working_day(date(2026, 7, 15), FR)


def test_count_must_be_positive():
    with pytest.raises(ValueError):
        workdays.add_working_days(date(2026, 7, 13), 0, FR)


def test_without_holidays_only_weekends_are_skipped():
    assert workdays.add_working_days(date(2026, 7, 13), 15, frozenset()) == date(2026, 8, 3)


@pytest.mark.parametrize(("filed", "due"), CASES)
def test_the_library_calendar_gives_the_same_deadlines(filed, due):
    pytest.importorskip("holidays", reason="the 'holidays' library is not installed")
    workdays.public_holidays.cache_clear()
    assert workdays.add_working_days(filed, 15) == due


def test_the_library_knows_the_moving_holidays():
    pytest.importorskip("holidays", reason="the 'holidays' library is not installed")
    assert {date(2026, 4, 6), date(2026, 5, 14), date(2027, 3, 29)} <= (
        workdays.public_holidays(2026) | workdays.public_holidays(2027)
    )
