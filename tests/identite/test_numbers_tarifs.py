import datetime
import re

import pytest

from titres.identite import numbers, tarifs
from titres.identite.enums import Motif, TitleKind


def test_number_is_ten_characters_with_a_check_character():
    for _ in range(200):
        number = numbers.generate()
        assert re.fullmatch(r"[A-Z0-9]{10}", number)
        assert numbers.is_well_formed(number)


def test_a_typo_is_caught_by_the_check_character():
    number = numbers.generate()
    substituted = number[:3] + ("A" if number[3] != "A" else "B") + number[4:]
    swapped = number[:4] + number[5] + number[4] + number[6:]
    assert not numbers.is_well_formed(substituted)
    if number[4] != number[5]:
        assert not numbers.is_well_formed(swapped)
    assert not numbers.is_well_formed(number[:9])
    assert numbers.is_well_formed(" " + number.lower()[:5] + "-" + number[5:])


TODAY = datetime.date(2026, 12, 1)


def born(years_ago: int, days_after_birthday: int = 0) -> datetime.date:
    return datetime.date(TODAY.year - years_ago, TODAY.month, TODAY.day) - datetime.timedelta(
        days=days_after_birthday
    )


@pytest.mark.parametrize(
    ("title", "motif", "birth_date", "cents"),
    [
        (TitleKind.PASSEPORT, Motif.PREMIERE, born(40), 8600),
        (TitleKind.PASSEPORT, Motif.RENOUVELLEMENT, born(18), 8600),
        (TitleKind.PASSEPORT, Motif.VOL, born(17, 364), 4200),
        (TitleKind.PASSEPORT, Motif.PERTE, born(15), 4200),
        (TitleKind.PASSEPORT, Motif.PREMIERE, born(14, 364), 1700),
        (TitleKind.PASSEPORT, Motif.ETAT_CIVIL, born(2), 1700),
        (TitleKind.CNI, Motif.PERTE, born(40), 2500),
        (TitleKind.CNI, Motif.VOL, born(10), 2500),
        (TitleKind.CNI, Motif.RENOUVELLEMENT, born(40), 0),
        (TitleKind.CNI, Motif.PREMIERE, born(5), 0),
        (TitleKind.CNI, Motif.ADRESSE, born(30), 0),
        (TitleKind.CNI, Motif.ETAT_CIVIL, born(30), 0),
    ],
)
def test_stamp_amount_by_title_reason_and_age(title, motif, birth_date, cents):
    assert (
        tarifs.stamp_amount_cents(title=title, motif=motif, birth_date=birth_date, on=TODAY)
        == cents
    )


def test_the_day_before_the_eighteenth_birthday_is_still_a_minor():
    eve = datetime.date(TODAY.year - 18, TODAY.month, TODAY.day) + datetime.timedelta(days=1)
    assert tarifs.age_on(eve, TODAY) == 17
    assert (
        tarifs.stamp_purpose(
            title=TitleKind.PASSEPORT, motif=Motif.PREMIERE, birth_date=eve, on=TODAY
        )
        == "passeport_mineur_15_17"
    )
