"""The rows' fast paths (issue 17, seventh pass) give what Django gives."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Engine, Template
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from titres.core import numbering
from titres.core.rows import Since, day, day_time, esc

TRICKY = ["", "plain", "<b>&amp;\"'>", "Éloïse d’Artagnan", "a&b<c>d\"e'f", "&&<<", "\x00\n\t"]


@pytest.mark.parametrize("value", [*TRICKY, mark_safe("<i>sûr</i>"), 12, None, 1.5])
def test_esc_is_conditional_escape(value):
    assert esc(value) == str(conditional_escape(value))


def test_esc_of_a_lazy_string():
    with translation.override("fr"):
        assert esc(translation.gettext_lazy("Voir")) == "Voir"


@pytest.mark.parametrize(
    "value", ["ABCD1234EFGH", "abcd-1234-efgh", "ABC", "ABCD12345", "ABCD1234EFGH1", ""]
)
def test_format_number_groups_of_four(value):
    number = numbering.normalize(value)
    expected = "-".join(number[i : i + 4] for i in range(0, len(number), 4))
    assert numbering.format_number(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # the night clocks go forward in Paris
        datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # already next year in Paris
        datetime(2026, 6, 1, 12, 0),  # naive: shown as it is
        date(2026, 2, 28),
        None,
    ],
)
def test_dates_with_the_zone_read_once(value):
    with timezone.override("Europe/Paris"):
        zone = timezone.get_current_timezone()
        expected = Template('{{ v|date:"d/m/Y" }}').render(Context({"v": value}))
        assert day(value) == day(value, zone) == expected
        if value is None or isinstance(value, datetime):
            expected = Template('{{ v|date:"d/m/Y H:i" }}').render(Context({"v": value}))
            assert day_time(value) == day_time(value, zone) == expected


def _since_cases():
    """(value, now) pairs: every unit and pair of units, month ends and leap
    days, Paris's daylight-saving nights, values after now, naive values
    and dates, and a value in another zone than now's."""
    paris = ZoneInfo("Europe/Paris")
    nows = [
        datetime(2026, 12, 4, 18, 5, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=UTC),  # Paris: 03:30, just after 02:00 → 03:00
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # Paris: 02:30, the hour that repeats
        datetime(2028, 3, 1, 0, 0, tzinfo=UTC),  # after a leap day
        datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC),
    ]
    offsets = [
        timedelta(0),
        timedelta(seconds=59),
        timedelta(minutes=1),
        timedelta(minutes=61),
        timedelta(hours=23, minutes=59),
        timedelta(days=1),
        timedelta(days=6, hours=23),
        timedelta(days=7),
        timedelta(days=13, hours=5),
        timedelta(days=29),
        timedelta(days=31),
        timedelta(days=45, minutes=3),
        timedelta(days=364),
        timedelta(days=366),
        timedelta(days=800, hours=7),
        timedelta(seconds=-30),  # in the future: "0 minute"
        timedelta(days=-3),
    ]
    cases = []
    for now in nows:
        for offset in offsets:
            value = now - offset
            cases.append((value, now))
            cases.append((value.astimezone(paris), now))  # another zone than now's
            cases.append((value.astimezone(paris), now.astimezone(paris)))
        cases.append((datetime(2026, 1, 31, 12, 0), datetime(2026, 3, 1, 11, 0)))  # naive
        cases.append((date(2024, 2, 29), now))  # a date against an aware now
    return cases


@pytest.mark.parametrize("language", ["fr", "en"])
def test_since_is_the_timesince_filter(language):
    template = Template("{{ v|timesince:now }}", engine=Engine(autoescape=False))
    with translation.override(language), timezone.override("Europe/Paris"):
        by_now = {}
        for value, now in _since_cases():
            since = by_now.setdefault(now, Since(now))
            assert since(value) == template.render(Context({"v": value, "now": now})), (
                value,
                now,
            )


def test_since_keeps_each_language_apart():
    now = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)
    value = now - timedelta(days=9, hours=2)
    with translation.override("fr"):
        french = Since(now)(value)
    with translation.override("en"):
        english = Since(now)(value)
    assert (french, english) == ("1\xa0semaine, 2\xa0jours", "1\xa0week, 2\xa0days")
