"""Helpers for the long tables built in Python (the citizen's "Mes
démarches", the agents' work list): the same values the template engine
gives — `{% url %}`, `|date:"d/m/Y"`, autoescaping — for a fraction of its
cost per row.

Issue 17 measured a 50-row work list at 0.05× a bare Django view, the
template engine resolving some thirty variables, filters and tags per row.
Rows are f-strings whose every value goes through `esc` (Django's escaping
without its lazy-object checks), joined and marked safe once."""

import html
from collections.abc import Callable
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.html import avoid_wrapping
from django.utils.safestring import SafeData
from django.utils.timesince import TIME_STRINGS
from django.utils.translation import get_language, gettext

_PLACEHOLDER = "TITRESROWNUMBER"


# html.escape's five replacements in one pass over the string: the same
# result, since each character is replaced by what html.escape gives it and
# no replacement is escaped again (html.escape does "&" first for that).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def esc(value) -> str:
    """`conditional_escape(value)`: safe strings as they are, anything else
    as `str()` then HTML-escaped (the same characters as Django's `escape`)."""
    if type(value) is str:  # most cells: no SafeData, no str() (issue 17)
        return value.translate(_ESCAPES)
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def number_url(viewname: str) -> Callable[[str], str]:
    """`reverse(viewname, args=[number])` for many numbers at the cost of one
    reverse. Démarche numbers are upper-case letters and digits, which
    `reverse` leaves as they are; anything else goes through `reverse`."""
    prefix, suffix = reverse(viewname, args=[_PLACEHOLDER]).split(_PLACEHOLDER)

    def url(number: str) -> str:
        if number.isascii() and number.isalnum():
            return f"{prefix}{number}{suffix}"
        return reverse(viewname, args=[number])

    return url


def _local(value, zone=None):
    # What the template engine does before `|date`: an aware datetime is
    # shown in the current time zone (Europe/Paris). A list passes `zone`
    # (timezone.get_current_timezone(), read once for its rows).
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return value.astimezone(zone or timezone.get_current_timezone())
    return value


def day(value: date | datetime | None, zone=None) -> str:
    """`{{ value|date:"d/m/Y" }}`."""
    if not value:
        return ""
    if type(value) is not date:  # a date (a birth date) is shown as it is
        value = _local(value, zone)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def day_time(value: datetime | None, zone=None) -> str:
    """`{{ value|date:"d/m/Y H:i" }}`."""
    if not value:
        return ""
    value = _local(value, zone)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d} {value.hour:02d}:{value.minute:02d}"


# The unit strings of `timesince` as its cells show them ("3\xa0jours"):
# Django's lazy plural resolved and `avoid_wrapping` applied once per
# process, language, unit and count, not on every cell.
_UNITS: dict[tuple[str | None, str, int], str] = {}
_MONTHS_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_CHUNKS = (60 * 60 * 24 * 7, 60 * 60 * 24, 60 * 60, 60)  # week, day, hour, minute
_NAMES = ("year", "month", "week", "day", "hour", "minute")


class Since:
    """`{{ value|timesince:now }}` for the cells of one list (one `now`, the
    language read once): Django's `timesince` computation (depth 2, the
    same steps in the same order) without its per-cell `is_aware`,
    `avoid_wrapping`, lazy plurals and `gettext(", ")`, about fifty calls
    a cell of the work list (docs/capacity.md, eighth pass (b)).
    tests/core/test_rows_fast_paths.py compares it with the filter."""

    def __init__(self, now: datetime):
        self.now = now
        self.language = get_language()
        self.separator = gettext(", ")
        self.now_aware = now.utcoffset() is not None
        self.zone = self.now_in_zone = None

    def unit(self, name: str, num: int) -> str:
        key = (self.language, name, num)
        text = _UNITS.get(key)
        if text is None:
            if len(_UNITS) >= 10_000:  # bounded: num is a count of units
                _UNITS.clear()
            text = _UNITS[key] = avoid_wrapping(TIME_STRINGS[name] % {"num": num})
        return text

    def __call__(self, d) -> str:
        try:
            return self._since(d)
        except (ValueError, TypeError):  # what the filter shows: nothing
            return ""

    def _since(self, d) -> str:
        now = self.now
        if not isinstance(d, datetime):
            d = datetime(d.year, d.month, d.day)
        if self.now_aware and d.utcoffset() is not None:
            # now.astimezone(d.tzinfo), once per zone (the rows share one).
            if d.tzinfo is not self.zone:
                self.zone, self.now_in_zone = d.tzinfo, now.astimezone(d.tzinfo)
            now = self.now_in_zone
        delta = now - d
        since = delta.days * 24 * 60 * 60 + delta.seconds
        if since <= 0:
            return self.unit("minute", 0)
        total_months = (now.year - d.year) * 12 + (now.month - d.month)
        if d.day > now.day or (d.day == now.day and d.time() > now.time()):
            total_months -= 1
        years, months = divmod(total_months, 12)
        if years or months:
            pivot_year = d.year + years
            pivot_month = d.month + months
            if pivot_month > 12:
                pivot_month -= 12
                pivot_year += 1
            pivot = datetime(
                pivot_year,
                pivot_month,
                min(_MONTHS_DAYS[pivot_month - 1], d.day),
                d.hour,
                d.minute,
                d.second,
                tzinfo=d.tzinfo,
            )
        else:
            pivot = d
        remaining = (now - pivot).total_seconds()
        partials = [years, months]
        for chunk in _CHUNKS:
            count = int(remaining // chunk)
            partials.append(count)
            remaining -= chunk * count
        i = 0  # the first unit that is not zero
        while i < 6 and partials[i] == 0:  # six units, _NAMES
            i += 1
        if i == 6:
            return self.unit("minute", 0)
        first = self.unit(_NAMES[i], partials[i])
        if i < 5 and partials[i + 1] != 0:  # depth 2
            return f"{first}{self.separator}{self.unit(_NAMES[i + 1], partials[i + 1])}"
        return first
