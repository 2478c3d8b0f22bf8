import pytest
from django.core.exceptions import ValidationError

from titres.vehicules import plates
from titres.vehicules.enums import PlateSystem


def message(value, **kwargs):
    with pytest.raises(ValidationError) as raised:
        plates.parse_plate(value, **kwargs)
    return raised.value.messages[0]


@pytest.mark.parametrize(
    "typed, canonical, display",
    [
        ("AB-123-CD", "AB123CD", "AB-123-CD"),
        ("ab-123-cd", "AB123CD", "AB-123-CD"),
        ("AB 123 CD", "AB123CD", "AB-123-CD"),
        ("  AB123CD ", "AB123CD", "AB-123-CD"),
        ("AB–123–CD", "AB123CD", "AB-123-CD"),
    ],
)
def test_siv_numbers_are_normalised_for_lookup(typed, canonical, display):
    plate = plates.parse_plate(typed)
    assert plate.system == PlateSystem.SIV
    assert plate.canonical == canonical
    assert plate.display == display


@pytest.mark.parametrize(
    "typed, canonical, display",
    [
        ("123 AB 01", "123AB01", "123 AB 01"),
        ("1 A 75", "1A75", "1 A 75"),
        ("9999 ZZZ 95", "9999ZZZ95", "9999 ZZZ 95"),
        ("456 CD 2A", "456CD2A", "456 CD 2A"),
        ("78 EF 2b", "78EF2B", "78 EF 2B"),
        ("1234 AB 971", "1234AB971", "1234 AB 971"),
        ("12-AB-976", "12AB976", "12 AB 976"),
    ],
)
def test_fni_numbers(typed, canonical, display):
    plate = plates.parse_plate(typed)
    assert plate.system == PlateSystem.FNI
    assert (plate.canonical, plate.display) == (canonical, display)


def test_siv_letters_i_o_u_refused():
    for value in ("AI-123-CD", "AB-123-OD", "UB-123-CD"):
        assert message(value) == (
            "Les lettres I, O et U ne sont jamais utilisées dans un numéro SIV : vérifiez le "
            "numéro (chiffre 1 ou 0, lettre V ?)."
        )


def test_siv_pair_ss_refused_on_either_side():
    expected = "La combinaison de lettres SS n’est jamais attribuée dans le SIV."
    assert message("SS-123-AB") == expected
    assert message("AB-123-SS") == expected


def test_siv_number_000_refused():
    assert message("AB-000-CD") == "Le nombre au centre d’un numéro SIV va de 001 à 999."


def test_ww_temporary_and_w_garage_refused_for_a_change_of_holder():
    assert message("WW-123-AB") == (
        "Les numéros commençant par WW sont des immatriculations provisoires : indiquez le "
        "numéro définitif inscrit sur votre carte grise."
    )
    assert message("WA-123-AB").startswith("Les numéros commençant par W sont des immatriculations")
    assert message("1234 W 75").startswith("Les numéros FNI en W (1234 W 75)")
    # The registry itself may hold them.
    assert plates.parse_plate("WW-123-AB", allow_special=True).canonical == "WW123AB"


@pytest.mark.parametrize("value", ["123 AB 00", "123 AB 96", "123 AB 977", "123 AB 970"])
def test_fni_departement_refused(value):
    assert message(value) == (
        "Le département d’un numéro FNI (123 AB 01) doit être compris entre 01 et 95, ou être "
        "2A, 2B ou 971 à 976."
    )


@pytest.mark.parametrize(
    "value",
    ["", "AB-12-CD", "A-123-CD", "12345 AB 01", "AB-123-C", "ABCD", "123 1234 01", "12 AB 2C"],
)
def test_malformed_numbers(value):
    assert message(value) == (
        "Numéro d’immatriculation invalide : notez-le exactement comme il est inscrit sur "
        "votre carte grise, au format AB-123-CD (SIV) ou 123 AB 01 (FNI)."
    )


def test_foreign_characters_and_long_input_refused():
    expected = (
        "Le numéro d’immatriculation ne peut contenir que des lettres, des chiffres, des tirets "
        "et des espaces."
    )
    assert message("AB/123/CD") == expected
    assert message("A" * 21) == expected


def test_sequence_order_number_then_right_pair_then_left_pair():
    assert plates.plate_at(0) == "AA001AA"
    assert plates.plate_at(1) == "AA002AA"
    assert plates.plate_at(998) == "AA999AA"
    assert plates.plate_at(999) == "AA001AB"
    assert plates.plate_at(999 * 529) == "AB001AA"
    for key in ("AA001AA", "AB123CD", "ZZ999ZZ", "HA500QR"):
        assert plates.plate_at(plates.index_of(key)) == key
    assert plates.SEQUENCE_LENGTH == 529 * 529 * 999


def test_allottable_skips_ss_and_w_blocks():
    ss_right = plates.index_of("AA001SS")
    assert plates.plate_at(plates.next_allottable_index(ss_right)) == "AA001ST"
    ss_left = plates.index_of("SS001AA")
    assert plates.plate_at(plates.next_allottable_index(ss_left)) == "ST001AA"
    w_left = plates.index_of("VZ999ZZ") + 1
    assert plates.plate_at(w_left) == "WA001AA"
    # W… left pairs run to WZ, then XA starts.
    assert plates.plate_at(plates.next_allottable_index(w_left)) == "XA001AA"
    assert not plates.allottable("WW001AA")
    assert plates.allottable("AW001WW")


def test_end_of_sequence():
    with pytest.raises(OverflowError):
        plates.next_allottable_index(plates.SEQUENCE_LENGTH)
