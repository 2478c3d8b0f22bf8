import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.accounts.conftest import verified_login
from tests.accounts.factories import UserFactory
from titres.annuaire import announcements, services
from titres.annuaire.enums import AnnouncementKind, Audience
from titres.annuaire.models import Announcement
from titres.core.models import AuditEvent

from .factories import AnnouncementFactory

pytestmark = pytest.mark.django_db


def home(client):
    announcements.forget_cached()
    return client.get(reverse("core:home")).content.decode()


def test_publish_is_journaled(operator):
    announcement = services.publish_announcement(
        actor=operator,
        kind=AnnouncementKind.ALERTE,
        audience=Audience.USAGERS,
        title="Délais allongés",
        body="Les cartes d’identité sont fabriquées en 3 semaines.",
    )
    event = AuditEvent.objects.get(event="annuaire.announcement_published")
    assert event.actor_id == operator.pk
    assert event.object_id == str(announcement.pk)
    assert event.data == {"kind": "alerte", "audience": "usagers"}


def test_planned_maintenance_needs_its_work_dates_in_order(operator):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.publish_announcement(
            actor=operator,
            kind=AnnouncementKind.MAINTENANCE,
            audience=Audience.TOUS,
            title="Travaux",
            body="Coupure.",
        )
    assert error.value.message_dict["work_starts_at"] == ["Indiquez le début des travaux."]
    assert error.value.message_dict["work_ends_at"] == ["Indiquez la fin des travaux."]
    with pytest.raises(ValidationError) as error:
        services.publish_announcement(
            actor=operator,
            kind=AnnouncementKind.MAINTENANCE,
            audience=Audience.TOUS,
            title="Travaux",
            body="Coupure.",
            work_starts_at=now + datetime.timedelta(hours=2),
            work_ends_at=now + datetime.timedelta(hours=1),
        )
    assert error.value.message_dict["work_ends_at"] == [
        "La fin des travaux doit être après leur début."
    ]
    with pytest.raises(ValidationError) as error:
        services.publish_announcement(
            actor=operator,
            kind=AnnouncementKind.MAINTENANCE,
            audience=Audience.TOUS,
            title="Travaux",
            body="Coupure.",
            starts_at=now + datetime.timedelta(days=2),
            work_starts_at=now + datetime.timedelta(days=1),
            work_ends_at=now + datetime.timedelta(days=1, hours=2),
        )
    assert error.value.message_dict["starts_at"] == [
        "Une maintenance s’annonce avant le début des travaux, pas après."
    ]
    assert not Announcement.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="annuaire.").exists()


def test_display_dates_in_order_and_work_dates_only_for_maintenance(operator):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.publish_announcement(
            actor=operator,
            kind=AnnouncementKind.INFORMATION,
            audience=Audience.TOUS,
            title="Info",
            body="Texte",
            starts_at=now,
            ends_at=now - datetime.timedelta(hours=1),
        )
    assert error.value.message_dict["ends_at"] == [
        "La fin de l’affichage doit être après son début."
    ]
    with pytest.raises(ValidationError) as error:
        services.publish_announcement(
            actor=operator,
            kind=AnnouncementKind.INFORMATION,
            audience=Audience.TOUS,
            title="Info",
            body="Texte",
            work_starts_at=now,
        )
    assert error.value.message_dict["kind"] == [
        "Seule une maintenance programmée a des dates de travaux."
    ]


def test_a_maintenance_is_shown_until_the_end_of_the_work_by_default(operator):
    now = timezone.now()
    announcement = services.publish_announcement(
        actor=operator,
        kind=AnnouncementKind.MAINTENANCE,
        audience=Audience.TOUS,
        title="Travaux",
        body="Coupure.",
        work_starts_at=now + datetime.timedelta(days=1),
        work_ends_at=now + datetime.timedelta(days=1, hours=2),
    )
    assert announcement.ends_at == announcement.work_ends_at


def test_home_shows_current_announcements_only(client):
    AnnouncementFactory(title="Annonce en cours")
    AnnouncementFactory(title="Annonce de demain", future=True)
    AnnouncementFactory(title="Annonce finie", ended=True)
    AnnouncementFactory(title="Annonce retirée", withdrawn=True)
    page = home(client)
    assert "Annonce en cours" in page
    assert "Annonce de demain" not in page
    assert "Annonce finie" not in page
    assert "Annonce retirée" not in page


def test_each_audience_reads_its_own(client):
    from tests.instruction.factories import AgentMembershipFactory

    AnnouncementFactory(title="Pour tous", audience=Audience.TOUS)
    AnnouncementFactory(title="Pour les usagers", audience=Audience.USAGERS)
    AnnouncementFactory(title="Pour les pros", audience=Audience.PROFESSIONNELS)
    AnnouncementFactory(title="Pour les mairies", audience=Audience.MAIRIES)
    AnnouncementFactory(title="Pour les agents", audience=Audience.AGENTS)
    expected = {
        None: {"Pour tous", "Pour les usagers"},
        "particulier": {"Pour tous", "Pour les usagers"},
        "pro_siv": {"Pour tous", "Pour les pros"},
        "auto_ecole": {"Pour tous", "Pour les pros"},
        "mairie": {"Pour tous", "Pour les mairies"},
    }
    titles = {
        "Pour tous",
        "Pour les usagers",
        "Pour les pros",
        "Pour les mairies",
        "Pour les agents",
    }
    for profile, shown in expected.items():
        client = Client()
        if profile:
            client.force_login(UserFactory(profile=profile))
        page = home(client)
        assert {t for t in titles if t in page} == shown, profile
    agent = AgentMembershipFactory().user
    assert {a.title for a in announcements.current_for(agent)} == {"Pour tous", "Pour les agents"}
    operator = UserFactory(operator=True)
    assert {a.title for a in announcements.current_for(operator)} == titles


def test_planned_maintenance_is_on_every_page_ahead_of_time(client):
    AnnouncementFactory(maintenance=True, title="Coupure de demain soir")
    AnnouncementFactory(title="Simple information")
    announcements.forget_cached()
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Coupure de demain soir" in page
    assert "fr-notice" in page
    assert "Maintenance du " in page
    assert "Simple information" not in page


def test_withdraw_hides_it_and_is_journaled_once(client, operator):
    announcement = AnnouncementFactory(title="À retirer")
    assert "À retirer" in home(client)
    assert services.withdraw_announcement(announcement=announcement, actor=operator)
    assert not services.withdraw_announcement(announcement=announcement, actor=operator)
    assert "À retirer" not in home(client)
    assert AuditEvent.objects.filter(event="annuaire.announcement_withdrawn").count() == 1


def test_the_home_page_reads_announcements_once_per_interval(client, django_assert_max_num_queries):
    AnnouncementFactory(title="Une annonce")
    home(client)
    # Anonymous home page, cached rows: no query for the announcements.
    with django_assert_max_num_queries(0):
        announcements.current_for(None)


def test_operator_publishes_and_withdraws_in_the_admin(operator):
    client = Client()
    verified_login(client, operator)
    now = timezone.localtime()
    response = client.post(
        "/gestion/annuaire/announcement/add/",
        {
            "kind": "maintenance",
            "audience": "tous",
            "title": "Maintenance du SIV",
            "body": "Les démarches d’immatriculation seront indisponibles.",
            "starts_at_0": now.strftime("%d/%m/%Y"),
            "starts_at_1": now.strftime("%H:%M:%S"),
            "ends_at_0": "",
            "ends_at_1": "",
            "work_starts_at_0": (now + datetime.timedelta(days=2)).strftime("%d/%m/%Y"),
            "work_starts_at_1": "20:00:00",
            "work_ends_at_0": (now + datetime.timedelta(days=2)).strftime("%d/%m/%Y"),
            "work_ends_at_1": "23:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    announcement = Announcement.objects.get()
    assert announcement.created_by == operator
    assert announcement.ends_at == announcement.work_ends_at
    response = client.post(
        "/gestion/annuaire/announcement/",
        {"action": "withdraw", "_selected_action": [announcement.pk]},
    )
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.withdrawn_at is not None
    codes = list(
        AuditEvent.objects.filter(event__startswith="annuaire.").values_list("event", flat=True)
    )
    assert codes == ["annuaire.announcement_published", "annuaire.announcement_withdrawn"]


def test_an_admin_form_error_is_french(operator):
    client = Client()
    verified_login(client, operator)
    response = client.post(
        "/gestion/annuaire/announcement/add/",
        {
            "kind": "maintenance",
            "audience": "tous",
            "title": "T",
            "body": "B",
            "starts_at_0": "01/01/2026",
            "starts_at_1": "10:00:00",
        },
    )
    assert response.status_code == 200
    assert "Indiquez le début des travaux." in response.content.decode()
