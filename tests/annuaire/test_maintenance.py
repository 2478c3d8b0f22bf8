import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import verified_login
from tests.accounts.factories import UserFactory
from titres.annuaire import maintenance, services
from titres.annuaire.models import MaintenanceMode
from titres.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def switch_on(operator, **kwargs):
    services.switch_maintenance(actor=operator, on=True, **kwargs)
    maintenance.forget_cached_state()


def test_off_by_default_the_portal_answers(client):
    assert client.get(reverse("core:home")).status_code == 200


def test_on_a_visitor_gets_the_french_503_page_with_retry_after(client, operator):
    switch_on(operator, message="Mise à jour du portail en cours.")
    response = client.get(reverse("core:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "Portail en maintenance" in body
    assert "Mise à jour du portail en cours." in body
    assert 'lang="fr"' in body


def test_on_a_signed_in_citizen_and_a_professional_get_it_too(operator):
    for profile in ("particulier", "pro_siv", "mairie"):
        client = Client()
        client.force_login(UserFactory(profile=profile))
        switch_on(operator)
        assert client.get(reverse("procedures:list")).status_code == 503, profile


def test_retry_after_follows_the_announced_return_within_bounds(operator, client):
    switch_on(operator, expected_end=timezone.now() + datetime.timedelta(minutes=20))
    response = client.get(reverse("core:home"))
    assert 1190 <= int(response["Retry-After"]) <= 1200
    assert "Retour prévu le" in response.content.decode()
    state = maintenance.MaintenanceState(
        is_on=True, expected_end=timezone.now() - datetime.timedelta(hours=1)
    )
    assert maintenance.retry_after_seconds(state) == 60
    state = maintenance.MaintenanceState(
        is_on=True, expected_end=timezone.now() + datetime.timedelta(days=3)
    )
    assert maintenance.retry_after_seconds(state) == maintenance.MAX_RETRY_AFTER


def test_the_partner_api_gets_its_json_error(client, operator):
    switch_on(operator)
    response = client.get("/api/v1/permis/", HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    error = response.json()["errors"][0]
    assert error["code"] == "00503"
    assert error["title"] == "Service en maintenance"


def test_health_probes_and_the_operators_admin_keep_working(client, operator):
    switch_on(operator)
    assert client.get(reverse("core:healthz")).status_code == 200
    # The readiness probe answers its own JSON (200 or 503 by its checks).
    assert "checks" in client.get(reverse("core:readyz")).json()
    assert client.get("/gestion/login/").status_code == 200
    assert client.get(reverse("instruction:login")).status_code == 200


def test_an_operator_works_everywhere(operator):
    client = Client()
    verified_login(client, operator)
    switch_on(operator)
    assert client.get(reverse("core:home")).status_code == 200
    assert client.get("/gestion/annuaire/maintenancemode/").status_code == 200


def test_an_agent_keeps_working_in_the_back_office(operator):
    from tests.instruction.factories import AgentMembershipFactory

    agent = AgentMembershipFactory().user
    client = Client()
    client.force_login(agent)
    switch_on(operator)
    assert maintenance.may_pass(_request("/demarches/", agent))
    assert client.get(reverse("core:home")).status_code == 200
    # The back office itself answers (its second-factor step, not the 503).
    assert client.get(reverse("instruction:home")).status_code != 503


def _request(path, user):
    from django.test import RequestFactory

    request = RequestFactory().get(path)
    request.user = user
    return request


def test_the_environment_variable_turns_it_on_without_a_row(client, settings):
    settings.MAINTENANCE_MODE = True
    assert not MaintenanceMode.objects.exists()
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 503
    assert "Le portail est momentanément indisponible" in response.content.decode()
    assert client.get(reverse("core:healthz")).status_code == 200


def test_switching_on_and_off_is_journaled_with_the_operator(operator, client):
    end = timezone.now() + datetime.timedelta(hours=1)
    services.switch_maintenance(actor=operator, on=True, message="Travaux", expected_end=end)
    services.switch_maintenance(actor=operator, on=False, message="ignoré")
    maintenance.forget_cached_state()
    events = list(
        AuditEvent.objects.filter(event__startswith="annuaire.maintenance").order_by("id")
    )
    assert [e.event for e in events] == ["annuaire.maintenance_on", "annuaire.maintenance_off"]
    assert all(e.actor_id == operator.pk for e in events)
    assert events[0].data["expected_end"] == end.isoformat()
    row = MaintenanceMode.objects.get()
    assert not row.is_on and row.message == "" and row.expected_end is None
    assert client.get(reverse("core:home")).status_code == 200


def test_the_switch_is_read_once_per_interval_not_per_request(
    client, operator, django_assert_num_queries
):
    maintenance.current_state()  # reads and caches the row
    with django_assert_num_queries(0):
        maintenance.current_state()
        maintenance.current_state()


def test_operator_switches_it_in_the_admin_and_it_is_journaled(operator):
    client = Client()
    verified_login(client, operator)
    response = client.post(
        "/gestion/annuaire/maintenancemode/add/",
        {
            "is_on": "on",
            "message": "Migration de la base",
            "expected_end_0": "",
            "expected_end_1": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MaintenanceMode.objects.get().is_on
    assert AuditEvent.objects.filter(event="annuaire.maintenance_on", actor_id=operator.pk).exists()
    maintenance.forget_cached_state()
    assert Client().get(reverse("core:home")).status_code == 503
    # Only one switch: no second row.
    assert client.get("/gestion/annuaire/maintenancemode/add/").status_code == 403


def test_a_citizen_cannot_reach_the_switch(citizen, client):
    response = client.get("/gestion/annuaire/maintenancemode/")
    assert response.status_code == 302
    assert "/gestion/login/" in response["Location"]
