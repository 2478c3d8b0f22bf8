from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from titres.core.models import AuditEvent
from titres.permis.identifiers import format_ephoto_code
from titres.permis.models import EPhoto
from titres.permis.services import check_ephoto_code, register_photo, use_ephoto_code

from .factories import EPhotoFactory, PhotographerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_register_photo_returns_a_code_valid_six_months():
    photographer = PhotographerFactory()
    photo = register_photo(photographer=photographer, actor=None)
    assert len(photo.code) == 22
    assert photo.expires_at - photo.created_at == timedelta(days=183)
    assert check_ephoto_code(photo.code).ok
    event = AuditEvent.objects.get(event="permis.photo_saved")
    assert event.data == {"agrement": photographer.approval_number}


def test_inactive_photographer_cannot_register():
    with pytest.raises(ValidationError) as error:
        register_photo(photographer=PhotographerFactory(is_active=False))
    assert error.value.messages == ["L’agrément de ce photographe n’est plus en cours."]


def test_valid_code_typed_with_spaces_and_lower_case():
    photo = EPhotoFactory()
    result = check_ephoto_code(format_ephoto_code(photo.code).lower())
    assert result.ok and result.error == "" and result.photo == photo


def test_empty_code():
    assert check_ephoto_code("  ").error == "Saisissez votre code photo numérique."


@pytest.mark.parametrize("code", ["ABC", "0" * 23, "ÉÉÉÉ", "DEMOVALIDE00000000001X"])
def test_invalid_format_or_checksum(code):
    result = check_ephoto_code(code)
    assert not result.ok
    assert result.error == (
        "Ce code photo numérique n’est pas valide : il comporte 22 caractères "
        "(chiffres et lettres). Vérifiez votre saisie."
    )


def test_unknown_code():
    from titres.permis.identifiers import new_ephoto_code

    result = check_ephoto_code(new_ephoto_code())
    assert result.error == (
        "Ce code photo numérique est inconnu. Vérifiez le code remis par le photographe."
    )


def test_expired_code():
    photo = EPhotoFactory(expired=True)
    result = check_ephoto_code(photo.code)
    assert not result.ok
    expected_date = timezone.localtime(photo.expires_at).strftime("%d/%m/%Y")
    assert result.error == (
        f"Ce code photo numérique a expiré le {expected_date} (validité 6 mois) : "
        "faites réaliser une nouvelle photo."
    )


def test_already_used_code():
    photo = EPhotoFactory(used=True)
    assert check_ephoto_code(photo.code).error == (
        "Ce code photo numérique a déjà été utilisé pour une autre demande."
    )


def test_use_code_once():
    photo = EPhotoFactory()
    user = UserFactory()
    used = use_ephoto_code(code=photo.code, holder=user, reference="PC-2026-000001")
    assert used.used_by == user and used.used_reference == "PC-2026-000001"
    assert used.used_at is not None
    assert AuditEvent.objects.filter(event="permis.photo_used").count() == 1
    with pytest.raises(ValidationError) as error:
        use_ephoto_code(code=photo.code, holder=UserFactory(), reference="PC-2026-000002")
    assert error.value.messages == [
        "Ce code photo numérique a déjà été utilisé pour une autre demande."
    ]
    photo.refresh_from_db()
    assert photo.used_by == user


def test_use_refuses_expired_code():
    photo = EPhotoFactory(expired=True)
    with pytest.raises(ValidationError):
        use_ephoto_code(code=photo.code, holder=UserFactory())
    assert EPhoto.objects.get(pk=photo.pk).used_at is None


def test_conditional_update_protects_against_a_race(monkeypatch):
    """Another request consumed the code between the check and the update."""
    from titres.permis import services

    photo = EPhotoFactory()
    real_check = services.check_ephoto_code

    def check_then_race(code, **kwargs):
        result = real_check(code, **kwargs)
        EPhoto.objects.filter(pk=photo.pk).update(used_at=timezone.now())
        return result

    monkeypatch.setattr(services, "check_ephoto_code", check_then_race)
    with pytest.raises(ValidationError):
        services.use_ephoto_code(code=photo.code, holder=UserFactory())
