import pytest
from django.core.exceptions import ValidationError

from titres.vehicules.identifiers import validate_formule, validate_vin


def vin_message(value):
    with pytest.raises(ValidationError) as raised:
        validate_vin(value)
    return raised.value.messages[0]


def test_valid_vin():
    validate_vin("VF1RJA00067123456")
    validate_vin("vf1rja00067123456")  # case does not matter


def test_vin_length():
    expected = "Le numéro d’identification (VIN, champ E) comporte exactement 17 caractères."
    assert vin_message("VF1RJA0006712345") == expected
    assert vin_message("VF1RJA000671234567") == expected


def test_vin_forbidden_letters():
    for value in ("VF1RJA0006712345I", "VF1RJA0006712345O", "VF1RJA0006712345Q"):
        assert vin_message(value) == "Le numéro VIN ne contient jamais les lettres I, O et Q."


def test_vin_other_characters():
    assert (
        vin_message("VF1RJA00067123_56")
        == "Le numéro VIN ne contient que des lettres et des chiffres."
    )


@pytest.mark.parametrize("value", ["2019AB12345", "19AB12345", "209AB12345"])
def test_valid_formule(value):
    validate_formule(value)


@pytest.mark.parametrize(
    "value", ["2019A12345", "20190AB12345", "2019AB1234", "AB201912345", "2019ab123456"]
)
def test_invalid_formule(value):
    with pytest.raises(ValidationError) as raised:
        validate_formule(value)
    assert raised.value.messages == [
        "Le numéro de formule comporte 2 à 4 chiffres, 2 lettres puis 5 chiffres (par exemple 2019AB12345)."
    ]
