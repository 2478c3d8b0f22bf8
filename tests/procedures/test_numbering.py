import random

import pytest

from titres.core import numbering


def test_generated_numbers_are_valid_and_readable():
    for _ in range(200):
        number = numbering.generate(prefix="25", length=9)
        assert len(number) == 12 and number.startswith("25")
        assert set(number) <= set(numbering.ALPHABET)
        assert numbering.is_valid(number)


def test_every_single_character_typo_is_caught():
    rng = random.Random(4)
    for _ in range(100):
        number = numbering.generate()
        for i, original in enumerate(number):
            for replacement in numbering.ALPHABET:
                if replacement != original:
                    typo = number[:i] + replacement + number[i + 1 :]
                    assert not numbering.is_valid(typo), (number, typo)
        rng.random()


def test_every_adjacent_transposition_is_caught():
    for _ in range(300):
        number = numbering.generate()
        for i in range(len(number) - 1):
            if number[i] != number[i + 1]:
                swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
                assert not numbering.is_valid(swapped), (number, swapped)


def test_typed_forms_are_normalised():
    number = numbering.generate()
    shown = numbering.format_number(number)
    assert "-" in shown
    assert numbering.normalize(shown.lower()) == number
    assert numbering.is_valid(" " + shown.lower() + " ")
    assert numbering.normalize("1o-il") == "1011"
    assert not numbering.is_valid("")
    assert not numbering.is_valid("*")


@pytest.mark.parametrize(
    "typed", ["ab12cd34", "AB12-CD34", " ab 12 cd 34 ", "ÀB12", "abO1", "", "a_b", "١٢٣", "Ⅻ12"]
)
def test_normalize_fast_path_gives_the_same_as_the_general_one(typed):
    from titres.core.numbering import _TYPO_MAP

    general = "".join(char for char in typed if char.isalnum()).upper().translate(_TYPO_MAP)
    assert numbering.normalize(typed) == general
