"""Working days (jours ouvrés) for the answer deadlines of seed 000 §1.15.

A working day is Monday to Friday except the French public holidays of
metropolitan France (the agency answers from Charleville-Mézières, so the
extra Alsace-Moselle days do not apply). The holidays come from the
maintained `holidays` library (DESIGN §3), never from a hand-written list:
Easter Monday, Ascension and Whit Monday move every year.

When the library is not installed, `public_holidays` knows no holiday and
the system check contact.W001 says so at every start: the deadlines are
then counted on weekends only (a few days early, never late).
"""

from datetime import date, timedelta
from functools import lru_cache

try:  # pragma: no cover - depends on the environment
    import holidays as holidays_library
except ImportError:  # pragma: no cover
    holidays_library = None


def library_available() -> bool:
    return holidays_library is not None


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """The French public holidays of `year`."""
    if holidays_library is None:
        return frozenset()
    return frozenset(holidays_library.country_holidays("FR", years=year).keys())


def is_working_day(day: date, holidays: frozenset[date] | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    closed = public_holidays(day.year) if holidays is None else holidays
    return day not in closed


def add_working_days(start: date, count: int, holidays: frozenset[date] | None = None) -> date:
    """The `count`-th working day after `start` (the day of receipt does not
    count, whatever day it is: a request received on a Saturday or on
    14 July starts counting on the next working day).

    `holidays` replaces the library's calendar (tests of the counting)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day = start
    left = count
    while left:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
