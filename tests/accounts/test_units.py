import pytest
from django.core.exceptions import ValidationError

from titres.accounts import lockout
from titres.accounts.validators import (
    CnilPasswordValidator,
    national_phone,
    normalise_approval_number,
    normalise_phone,
    normalise_siret,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("06 12 34 56 78", "+33612345678"), ("01.23.45.67.89", "+33123456789")],
)
def test_phone(typed, stored):
    assert normalise_phone(typed) == stored
    assert national_phone(stored).replace(" ", "") == typed.replace(" ", "").replace(".", "")


@pytest.mark.parametrize("typed", ["0612345", "+33612345678", "0012345678", "06123456789"])
def test_phone_refused(typed):
    with pytest.raises(ValidationError):
        normalise_phone(typed)


def test_siret():
    assert normalise_siret("732 829 320 00074") == "73282932000074"
    with pytest.raises(ValidationError):
        normalise_siret("73282932000075")


@pytest.mark.parametrize(
    ("typed", "profile", "stored"),
    [
        ("E0207500010", "auto_ecole", "E 02 075 0001 0"),
        ("e 24 02a 0012 3", "auto_ecole", "E 24 02A 0012 3"),
        ("R 13 013 0004 0", "centre_sensibilisation", "R 13 013 0004 0"),
        ("R-19-974-0001-0", "centre_sensibilisation", "R 19 974 0001 0"),
    ],
)
def test_approval_number(typed, profile, stored):
    assert normalise_approval_number(typed, profile) == stored


@pytest.mark.parametrize(
    ("typed", "profile"),
    [
        ("E 02 075 0001", "auto_ecole"),
        ("E 02 980 0001 0", "auto_ecole"),
        ("R 02 075 0001 0", "auto_ecole"),
        ("X 02 075 0001 0", "centre_sensibilisation"),
    ],
)
def test_approval_number_refused(typed, profile):
    with pytest.raises(ValidationError):
        normalise_approval_number(typed, profile)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Demo-Titres-2026!", True),
        ("Abcdefghijk1!", True),
        ("Abcdefgh1!", False),  # too short
        ("abcdefghijk1!", False),  # no upper case
        ("ABCDEFGHIJK1!", False),  # no lower case
        ("Abcdefghijkl!", False),  # no digit
        ("Abcdefghijk12", False),  # no special character
    ],
)
def test_cnil_policy(password, ok):
    validator = CnilPasswordValidator()
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError):
            validator.validate(password)


@pytest.mark.django_db
def test_lockout_caps_duration(settings):
    settings.ACCOUNT_LOCKOUT_THRESHOLD = 1
    settings.ACCOUNT_LOCKOUT_BASE_SECONDS = 60
    settings.ACCOUNT_LOCKOUT_MAX_SECONDS = 300
    for _ in range(10):
        lock = lockout.register_failure("x", None)
    assert 299 <= lock.seconds_left <= 300
    lockout.clear_account("x")
    assert lockout.current_lock("x", None) is None
