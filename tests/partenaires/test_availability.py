"""Availability (seed 004 §3, 99.5 % of the month): the probe job stores the
portal's health, the public page and /api/v1/status show the current and
previous months from those probes."""

import datetime as dt

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from titres.jobs.schedule import job_named
from titres.partenaires import availability
from titres.partenaires.endpoints import status as status_endpoint
from titres.partenaires.models import AvailabilityProbe

from .helpers import logged_calls

pytestmark = pytest.mark.django_db


def _local(*args):
    # Months are counted in the portal's time zone (Europe/Paris).
    return timezone.make_aware(dt.datetime(*args))


NOW = _local(2026, 12, 2, 12, 0)


class _Answer:
    def __init__(self, status):
        self.status_code = status


def _probes(start, count, failed=0):
    AvailabilityProbe.objects.bulk_create(
        AvailabilityProbe(at=start + dt.timedelta(minutes=i), ok=i >= failed, latency_ms=3)
        for i in range(count)
    )


def test_probe_records_success_and_failures(monkeypatch, settings):
    settings.PARTENAIRES_PROBE_URL = "http://portail.test/readyz"
    asked = []

    def fake_get(url, timeout):
        asked.append((url, timeout))
        return _Answer(200)

    monkeypatch.setattr(availability.requests, "get", fake_get)
    call_command("probe_availability")
    monkeypatch.setattr(availability.requests, "get", lambda url, timeout: _Answer(503))
    availability.probe()

    def unreachable(url, timeout):
        raise requests.ConnectionError("refused")

    monkeypatch.setattr(availability.requests, "get", unreachable)
    availability.probe()
    assert asked == [("http://portail.test/readyz", 5)]
    rows = list(AvailabilityProbe.objects.order_by("pk").values_list("ok", "detail"))
    assert rows == [(True, ""), (False, "HTTP 503"), (False, "ConnectionError")]


def test_probe_defaults_to_the_sites_readyz_and_drops_old_probes(monkeypatch, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    asked = []
    monkeypatch.setattr(
        availability.requests, "get", lambda url, timeout: asked.append(url) or _Answer(200)
    )
    AvailabilityProbe.objects.create(at=NOW - dt.timedelta(days=401), ok=True, latency_ms=1)
    availability.probe(now=NOW)
    assert asked == ["http://127.0.0.1:8123/readyz"]
    assert AvailabilityProbe.objects.count() == 1


def test_probe_is_scheduled_every_minute():
    job = job_named("probe_availability")
    assert (job.command, job.period) == ("probe_availability", 60)


def test_month_figures_from_the_probes():
    # Last month: every minute probed, 0.4 % failed (commitment held).
    november = _local(2026, 11, 1)
    _probes(november, 30 * 24 * 60, failed=173)
    # This month so far: 12 h out of 36 probed, 1 % failed.
    december = _local(2026, 12, 1)
    _probes(december, 720, failed=72)
    AvailabilityProbe.objects.create(at=NOW + dt.timedelta(minutes=1), ok=False, latency_ms=1)
    with freeze_time(NOW):
        report = availability.report(now=NOW)
    assert report["engagement"] == 99.5
    previous, current = report["mois_precedent"], report["mois_en_cours"]
    assert previous["mois"] == "2026-11" and previous["termine"] is True
    assert (previous["sondes"], previous["echecs"]) == (43200, 173)
    assert previous["disponibilite"] == 99.6 and previous["engagement_tenu"] is True
    assert previous["couverture"] == 100.0
    assert current["mois"] == "2026-12" and current["termine"] is False
    assert (current["sondes"], current["echecs"]) == (720, 72)
    assert current["disponibilite"] == 90.0 and current["engagement_tenu"] is False
    assert current["couverture"] == 33.3  # 720 of the 2160 minutes since the 1st


def test_a_month_without_probes_is_not_a_perfect_month():
    report = availability.report(now=NOW)
    assert report["mois_precedent"]["disponibilite"] is None
    assert report["mois_precedent"]["engagement_tenu"] is None
    assert report["mois_precedent"]["couverture"] == 0.0


def test_status_endpoint_is_public_and_in_the_contract(client):
    _probes(timezone.now() - dt.timedelta(minutes=10), 5, failed=1)
    response = client.get("/api/v1/status")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["engagement"] == 99.5
    assert data["mois_en_cours"]["sondes"] == 5 and data["mois_en_cours"]["echecs"] == 1
    assert data["mois_en_cours"]["disponibilite"] == 80.0
    assert response["X-Request-ID"]
    assert not logged_calls().exists()  # not a partner call
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/status" in spec["paths"]
    assert spec["paths"]["/api/v1/status"]["get"].get("security") in (None, [])


def test_status_endpoint_ceiling_per_ip(client, monkeypatch):
    # Same code path as 5/second; a minute cannot be outrun by a slow machine.
    monkeypatch.setattr(status_endpoint, "IP_LIMIT", "5/minute")
    codes = [client.get("/api/v1/status").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    response = client.get("/api/v1/status")
    assert response.json()["errors"][0]["code"] == "00429"
    assert response["Retry-After"] == "1"


def test_status_page_shows_both_months(client):
    _probes(timezone.now() - dt.timedelta(minutes=10), 4, failed=0)
    response = client.get("/partenaires/disponibilite/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "99,5 %" in page
    assert "100,000 %" in page and "Tenu" in page
    assert "Pas de mesure" in page  # the previous month was not probed
