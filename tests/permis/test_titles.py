from datetime import date

import pytest
from django.db import IntegrityError

from titres.core.models import AuditEvent
from titres.permis.enums import LicenceState, TitleStatus
from titres.permis.models import LicenceRecord, LicenceTitle
from titres.permis.services import (
    change_licence_state,
    mark_title,
    next_title_number,
    record_new_title,
)

from .factories import LicenceRecordFactory, LicenceTitleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_title_is_valid_15_years():
    title = LicenceTitleFactory(issued_on=date(2016, 7, 1))
    assert title.valid_until == date(2031, 7, 1)
    leap = LicenceTitleFactory(issued_on=date(2016, 2, 29))
    assert leap.valid_until == date(2031, 2, 28)


@pytest.mark.parametrize(
    ("motif", "status"),
    [
        ("perte", TitleStatus.PERDU),
        ("vol", TitleStatus.VOLE),
        ("deterioration", TitleStatus.DETERIORE),
        ("expiration", TitleStatus.REMPLACE),
        ("changement_etat_civil", TitleStatus.REMPLACE),
    ],
)
def test_new_title_marks_the_old_one_by_motif(motif, status):
    agent = UserFactory(is_staff=True)
    old = LicenceTitleFactory()
    new = record_new_title(
        record=old.record,
        actor=agent,
        motif=motif,
        issued_on=date(2026, 2, 1),
        demarche_number="PC-2026-000001",
    )
    old.refresh_from_db()
    assert old.status == status
    assert old.replaced_by == new
    assert old.demarche_number == "PC-2026-000001"
    assert new.status == TitleStatus.VALIDE
    assert new.valid_until == date(2041, 2, 1)
    assert old.record.current_title == new
    events = list(AuditEvent.objects.values_list("event", flat=True))
    assert events == ["permis.titre_status_changed", "permis.titre_recorded"]
    last = AuditEvent.objects.last()
    assert last.data["remplace"] == [old.number]
    assert last.actor == agent


def test_first_title_replaces_nothing():
    record = LicenceRecordFactory()
    title = record_new_title(record=record, actor=None, issued_on=date(2026, 2, 1))
    assert title.number == "26AA00000"
    assert AuditEvent.objects.get().data["remplace"] == []


def test_mark_title_explicitly_and_never_back_to_valid():
    title = LicenceTitleFactory()
    mark_title(title=title, status=TitleStatus.VOLE, actor=None)
    title.refresh_from_db()
    assert title.status == TitleStatus.VOLE
    assert title.status_changed_at is not None
    with pytest.raises(ValueError):
        mark_title(title=title, status=TitleStatus.VALIDE, actor=None)


def test_replacing_a_title_of_another_file_is_refused():
    title = LicenceTitleFactory()
    with pytest.raises(ValueError):
        record_new_title(record=LicenceRecordFactory(), replaces=title, actor=None)
    title.refresh_from_db()
    assert title.status == TitleStatus.VALIDE
    assert LicenceTitle.objects.count() == 1


def test_title_numbers_follow_each_other():
    LicenceTitleFactory(number="26AZ99999")
    assert next_title_number(date(2026, 5, 1)) == "26BA00000"
    assert next_title_number(date(2027, 5, 1)) == "27AA00000"


def test_change_state():
    record = LicenceRecordFactory()
    change_licence_state(
        record=record, state=LicenceState.SUSPENDU, actor=None, suspension_end=date(2030, 1, 1)
    )
    record.refresh_from_db()
    assert record.state == LicenceState.SUSPENDU and record.suspension_end == date(2030, 1, 1)
    change_licence_state(record=record, state=LicenceState.INVALIDE, actor=None)
    record.refresh_from_db()
    assert record.points_balance == 0 and record.suspension_end is None
    assert AuditEvent.objects.filter(event="permis.licence_state_changed").count() == 2


def test_points_cannot_exceed_12():
    record = LicenceRecordFactory()
    with pytest.raises(IntegrityError):
        LicenceRecord.objects.filter(pk=record.pk).update(points_balance=13)
