import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from tests.permis.factories import LicenceRecordFactory
from titres.core.models import AuditEvent
from titres.partenaires import retirements
from titres.partenaires.enums import Scope
from titres.partenaires.models import CallLog, Retirement

from .factories import PartnerFactory, issue
from .helpers import error, get

pytestmark = pytest.mark.django_db

VEHICLE_URL = "/api/v1/vehicule"


@pytest.fixture(autouse=True)
def _no_cached_retirements():
    retirements.forget_cache()
    yield
    retirements.forget_cache()


def _used(partner_siret, path, days_ago):
    token, secret = issue(PartnerFactory(siret=partner_siret), scopes=list(Scope.values))
    CallLog.objects.create(
        token=token,
        at=timezone.now() - dt.timedelta(days=days_ago),
        method="GET",
        path=path,
        params_hash="0" * 64,
        status_code=200,
        latency_ms=3,
        request_id="r" * 8,
    )
    return token, secret


def in_months(months, days=0):
    return retirements.months_later(timezone.now(), months).date() + dt.timedelta(days=days)


def test_schedule_tells_recent_users_only(mailoutbox, django_capture_on_commit_callbacks):
    _used("13002526500013", VEHICLE_URL, days_ago=10)
    _used("21540395700008", "/api/v1/permis-de-conduire", days_ago=10)  # another endpoint
    _used("21690123100011", VEHICLE_URL, days_ago=120)  # not in the last 90 days
    with django_capture_on_commit_callbacks(execute=True):
        retirement = retirements.schedule_retirement(
            target=VEHICLE_URL,
            sunset_on=in_months(6),
            note="Remplacé par /api/v2/vehicule.",
            actor=None,
        )
    [mail] = mailoutbox
    assert mail.subject == (
        f"retrait de {VEHICLE_URL} de l’API Titres le {retirement.sunset_on:%d/%m/%Y}"
    )
    assert sorted(mail.to) == ["metier@exemple.fr", "technique@exemple.fr"]
    assert "Remplacé par /api/v2/vehicule." in mail.body
    event = AuditEvent.objects.get(event="partenaires.retirement_scheduled")
    assert event.data["partenaires"] == 1


def test_six_months_notice_and_an_api_path():
    with pytest.raises(ValidationError) as refused:
        retirements.schedule_retirement(target=VEHICLE_URL, sunset_on=in_months(6, -1), actor=None)
    assert "six mois à l’avance" in refused.value.message_dict["sunset_on"][0]
    with pytest.raises(ValidationError):
        retirements.schedule_retirement(target="/vehicules/", sunset_on=in_months(7), actor=None)
    assert not Retirement.objects.exists()


def test_answers_carry_deprecation_and_sunset(client):
    token, secret = issue(scopes=list(Scope.values))
    with freeze_time("2026-12-01 10:00:00+00:00"):
        retirements.schedule_retirement(
            target="/api/v1/", sunset_on=dt.date(2027, 7, 1), actor=None
        )
        retirements.schedule_retirement(
            target=VEHICLE_URL, sunset_on=dt.date(2027, 6, 15), actor=None
        )
    retirements.forget_cache()
    vehicle = get(client, VEHICLE_URL, secret, {"immatriculation": "AB-123-CD"})
    # The endpoint's own date wins over its version's.
    assert vehicle["Sunset"] == "Mon, 14 Jun 2027 22:00:00 GMT"
    assert (
        vehicle["Deprecation"] == f"@{int(dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC).timestamp())}"
    )
    licence = get(client, "/api/v1/permis-de-conduire", secret, {})
    assert licence["Sunset"] == "Wed, 30 Jun 2027 22:00:00 GMT"


def test_no_headers_without_retirement(client):
    _, secret = issue()
    response = get(client, "/api/v1/permis-de-conduire", secret, {})
    assert "Sunset" not in response and "Deprecation" not in response


def test_after_sunset_the_endpoint_is_gone(client):
    LicenceRecordFactory()
    _, secret = issue()
    with freeze_time("2026-01-01"):
        retirements.schedule_retirement(
            target="/api/v1/permis-de-conduire", sunset_on=dt.date(2026, 7, 1), actor=None
        )
    retirements.forget_cache()
    with freeze_time("2026-07-01 08:00:00+02:00"):
        response = get(client, "/api/v1/permis-de-conduire", secret, {})
    assert response.status_code == 404
    assert error(response)["code"] == "00404"
    assert error(response)["detail"] == "Ce point d’accès a été retiré le 01/07/2026."


def test_reminder_one_month_before_once(mailoutbox, django_capture_on_commit_callbacks):
    _used("13002526500013", VEHICLE_URL, days_ago=1)
    retirement = retirements.schedule_retirement(
        target=VEHICLE_URL, sunset_on=in_months(6), actor=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_retirements")  # five months early: nothing
    assert mailoutbox == []
    remind_at = timezone.make_aware(
        dt.datetime.combine(retirement.sunset_on - dt.timedelta(days=30), dt.time(9))
    )
    with freeze_time(remind_at), django_capture_on_commit_callbacks(execute=True):
        call_command("remind_retirements")
        call_command("remind_retirements")  # a rerun sends nothing more
    [mail] = mailoutbox
    assert mail.subject.startswith("Rappel : retrait de /api/v1/vehicule")
    retirement.refresh_from_db()
    assert retirement.reminder_sent_at is not None
