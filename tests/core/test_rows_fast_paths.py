"""The rows' fast paths (issue 17, seventh pass) give what Django gives."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from titres.core import numbering
from titres.core.rows import day, day_time, esc

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
