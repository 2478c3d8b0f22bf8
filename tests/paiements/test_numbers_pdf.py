import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from stdnum import luhn

from titres.paiements.numbers import clean_card_number, clean_stamp_number, generate_stamp_number
from titres.paiements.pdf import render_stamp_pdf

from .factories import StampFactory


def test_generated_numbers_have_sixteen_digits_and_a_luhn_check_digit():
    for _ in range(200):
        number = generate_stamp_number()
        assert len(number) == 16 and number.isdigit()
        assert number[0] != "0"
        assert luhn.is_valid(number)
        assert number[-1] == luhn.calc_check_digit(number[:-1])


def test_one_wrong_digit_is_detected():
    number = generate_stamp_number()
    wrong = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
    with pytest.raises(ValidationError) as exc:
        clean_stamp_number(wrong)
    assert exc.value.messages == [
        "Ce numéro de timbre n’est pas valide (clé de contrôle incorrecte)."
    ]


def test_clean_stamp_number_accepts_spaces_and_dashes():
    number = generate_stamp_number()
    assert (
        clean_stamp_number(f" {number[:4]} {number[4:8]}-{number[8:12]} {number[12:]} ") == number
    )


def test_card_numbers():
    assert clean_card_number("4970 1000 0000 0006") == "4970100000000006"
    with pytest.raises(ValidationError):
        clean_card_number("4970 1000 0000 0007")
    with pytest.raises(ValidationError):
        clean_card_number("abcd")


@pytest.mark.django_db
def test_pdf_parses_and_holds_number_purpose_amount_validity_and_qr():
    stamp = StampFactory(purpose="passeport_majeur")
    reader = PdfReader(io.BytesIO(render_stamp_pdf(stamp)))
    text = reader.pages[0].extract_text()
    assert stamp.number in text
    assert "Passeport majeur" in text
    assert "86,00 €" in text
    assert "Valable jusqu'au" in text
    assert reader.metadata.title == f"Timbre fiscal électronique {stamp.number}"
