"""The national licence file in the operators' admin: opened and corrected
under the journal, never deleted."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import verified_login
from tests.accounts.factories import UserFactory
from tests.permis.factories import LicenceRecordFactory
from titres.core.models import AuditEvent
from titres.permis.models import LicenceRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(client):
    operator = UserFactory(is_staff=True, is_superuser=True)
    verified_login(client, operator)
    return client, operator


def test_opening_a_record_is_journaled(operator_client):
    client, operator = operator_client
    record = LicenceRecordFactory()
    response = client.get(reverse("admin:permis_licencerecord_change", args=[record.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(event="permis.snpc_viewed_admin")
    assert event.actor_id == operator.pk
    assert event.object_id == str(record.pk)


def test_a_correction_is_journaled_with_the_changed_fields(operator_client):
    client, operator = operator_client
    record = LicenceRecordFactory(points_balance=12)
    url = reverse("admin:permis_licencerecord_change", args=[record.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "points_balance": 9,
            "birth_date": record.birth_date.isoformat(),
            "categories-TOTAL_FORMS": 0,
            "categories-INITIAL_FORMS": 0,
            "titles-TOTAL_FORMS": 0,
            "titles-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.points_balance == 9
    event = AuditEvent.objects.get(event="permis.snpc_changed_admin")
    assert "points_balance" in event.data["champs"]
    assert event.actor_id == operator.pk


def test_records_cannot_be_deleted_from_the_admin(operator_client):
    client, _ = operator_client
    record = LicenceRecordFactory()
    response = client.post(
        reverse("admin:permis_licencerecord_delete", args=[record.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert LicenceRecord.objects.filter(pk=record.pk).exists()
