from datetime import date

import pytest
from django.urls import reverse

from titres.core.models import AuditEvent
from titres.permis.models import LicenceHolderLink

from .factories import (
    LicenceCategoryFactory,
    LicenceHolderLinkFactory,
    LicenceRecordFactory,
    LicenceTitleFactory,
    PhotographerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _link(client, neph, birth_date="01/01/1956"):
    return client.post(reverse("permis:my_licence"), {"neph": neph, "birth_date": birth_date})


def _errors(response):
    form = response.context["form"]
    return [e for errors in form.errors.values() for e in errors]


def test_link_form_is_shown_when_not_linked(client, citizen):
    response = client.get(reverse("permis:my_licence"))
    assert response.status_code == 200
    assert "Rattacher mon dossier" in response.content.decode()


def test_link_then_see_the_record(client, citizen):
    record = LicenceRecordFactory(points_balance=9)
    LicenceCategoryFactory(
        record=record, category="C", obtained_on=date(2020, 1, 1), valid_until=date(2030, 1, 1)
    )
    LicenceCategoryFactory(record=record, category="B", obtained_on=date(1974, 6, 12))
    LicenceTitleFactory(record=record, number="17AA00042", issued_on=date(2017, 3, 8))
    response = _link(client, record.neph_display)
    assert response.status_code == 302
    assert response.url == reverse("permis:record", kwargs={"neph": record.neph})
    assert LicenceHolderLink.objects.get(user=citizen).record == record
    event = AuditEvent.objects.get(event="permis.rattachement_created")
    assert event.actor == citizen and event.data == {"neph": record.neph}

    page = client.get(response.url).content.decode()
    assert "9 / 12 points" in page
    assert "17AA00042" in page
    assert "08/03/2032" in page  # card valid 15 years
    assert "01/01/2030" in page  # heavy category end of validity
    assert page.index(">B<") < page.index(">C<")  # categories in legal order
    # Once linked, /mon-permis/ goes straight to the record.
    assert client.get(reverse("permis:my_licence")).url == response.url


def test_wrong_birth_date_is_refused(client, citizen):
    record = LicenceRecordFactory()
    response = _link(client, record.neph, "02/01/1956")
    assert response.status_code == 200
    assert _errors(response) == [
        "Aucun dossier ne correspond à ce numéro et à cette date de naissance. "
        "Vérifiez le numéro indiqué sur votre permis (rubrique 5)."
    ]
    assert not LicenceHolderLink.objects.exists()
    assert AuditEvent.objects.filter(event="permis.rattachement_refused").count() == 1


def test_wrong_neph_is_refused(client, citizen):
    LicenceRecordFactory()
    response = _link(client, "123456789012")
    assert _errors(response) == [
        "Le numéro de dossier (NEPH) doit comporter 12 chiffres et être valide."
    ]
    other = LicenceRecordFactory.build(neph="000000000000")  # well formed, not on file
    response = _link(client, other.neph)
    assert "Aucun dossier ne correspond" in _errors(response)[0]


def test_future_birth_date_is_refused(client, citizen):
    response = _link(client, LicenceRecordFactory().neph, "01/01/2999")
    assert _errors(response) == ["La date de naissance doit être dans le passé."]


def test_attempts_are_limited(client, citizen):
    record = LicenceRecordFactory()
    for _ in range(5):
        _link(client, record.neph, "02/02/1956")
    response = _link(client, record.neph)  # right pair, but too late
    assert _errors(response) == ["Trop de tentatives infructueuses. Réessayez dans une heure."]
    assert not LicenceHolderLink.objects.exists()


def test_record_already_linked_to_another_account(client, citizen):
    link = LicenceHolderLinkFactory()
    response = _link(client, link.record.neph)
    assert _errors(response) == [
        "Ce dossier est déjà rattaché à un autre compte. Si vous pensez qu’il s’agit "
        "d’une erreur, contactez l’agence."
    ]


def test_another_users_record_gives_404(client, citizen):
    other = LicenceHolderLinkFactory()
    response = client.get(reverse("permis:record", kwargs={"neph": other.record.neph}))
    assert response.status_code == 404
    unlinked = LicenceRecordFactory()
    response = client.get(reverse("permis:record", kwargs={"neph": unlinked.neph}))
    assert response.status_code == 404


def test_record_page_requires_login(client):
    link = LicenceHolderLinkFactory()
    response = client.get(reverse("permis:record", kwargs={"neph": link.record.neph}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_suspended_record_shows_the_reason(client, citizen):
    record = LicenceHolderLinkFactory(
        user=citizen, record=LicenceRecordFactory(suspended=True)
    ).record
    page = client.get(reverse("permis:record", kwargs={"neph": record.neph})).content.decode()
    assert "suspension en cours d’exécution" in page
    assert "Suspendu" in page


def test_unlink(client, citizen):
    LicenceHolderLinkFactory(user=citizen)
    response = client.post(reverse("permis:unlink"))
    assert response.status_code == 302
    assert not LicenceHolderLink.objects.exists()
    assert AuditEvent.objects.filter(event="permis.rattachement_deleted").exists()


def test_dashboard_section(client, citizen):
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Rattacher mon permis de conduire" in page
    LicenceHolderLinkFactory(user=citizen, record=LicenceRecordFactory(points_balance=7))
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "7 / 12" in page


def test_dashboard_section_absent_for_professionals(rf):
    from titres.permis.dashboard import dashboard_section

    request = rf.get("/")
    request.user = UserFactory(profile="pro_siv")
    assert dashboard_section(request) is None


def test_dashboard_section_of_a_driving_school(client):
    client.force_login(UserFactory(profile="auto_ecole"))
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "Demandes de permis de vos candidats" in page
    assert reverse("permis:candidates") in page


def test_photographers_page_is_public_and_filters_by_departement(client):
    PhotographerFactory(name="Photo Stanislas")
    PhotographerFactory(
        name="Studio Bastille", departement_code="75", commune="Paris", postal_code="75011"
    )
    PhotographerFactory(name="Ancien studio", is_active=False)
    page = client.get(reverse("permis:photographers")).content.decode()
    assert "Photo Stanislas" in page and "Studio Bastille" in page
    assert "Ancien studio" not in page
    page = client.get(reverse("permis:photographers"), {"departement": "54"}).content.decode()
    assert "Photo Stanislas" in page and "Studio Bastille" not in page
    assert "Meurthe-et-Moselle (54)" in page
    page = client.get(reverse("permis:photographers"), {"departement": "2A"}).content.decode()
    assert "Aucun photographe ni cabine agréé dans ce département." in page


def test_photographers_page_query_count(client, django_assert_max_num_queries):
    for _ in range(20):
        PhotographerFactory()
    with django_assert_max_num_queries(6):
        client.get(reverse("permis:photographers"), {"departement": "54"})


def test_attempts_are_limited_while_redis_is_down(client, citizen, settings):
    # Issue 16: the counter was on the default cache, which raises when
    # Redis is down (a 503 page); the limiter degrades to counting here.
    from titres.core.caches import cache_settings

    settings.CACHES = cache_settings(
        "redis://127.0.0.1:1/0", prefix="panne", connect_timeout=0.2, socket_timeout=0.2
    )
    record = LicenceRecordFactory()
    for _ in range(5):
        response = _link(client, record.neph, "02/02/1956")
        assert "Aucun dossier ne correspond" in _errors(response)[0]
    response = _link(client, record.neph)
    assert _errors(response) == ["Trop de tentatives infructueuses. Réessayez dans une heure."]
    assert not LicenceHolderLink.objects.exists()


def test_the_record_shows_the_points_history_newest_first(client, citizen):
    from titres.permis.models import PointsCredit

    record = LicenceRecordFactory(points_balance=7)
    LicenceHolderLinkFactory(user=citizen, record=record)
    PointsCredit.objects.create(
        record=record, delta=2, balance_after=8, reason="probatoire", on=date(2024, 6, 1)
    )
    PointsCredit.objects.create(
        record=record, delta=-3, balance_after=5, reason="infraction", on=date(2025, 2, 10)
    )
    PointsCredit.objects.create(
        record=record, delta=2, balance_after=7, reason="stage", on=date(2025, 9, 20)
    )
    PointsCredit.objects.create(
        record=record, delta=-1, balance_after=6, reason="snpc_code_inconnu", on=date(2025, 10, 1)
    )
    page = client.get(reverse("permis:record", kwargs={"neph": record.neph})).content.decode()
    assert "Historique des points" in page
    rows = [
        "01/10/2025</td><td>Retrait de points</td><td>−1</td><td>6 points",
        "20/09/2025</td><td>Stage de sensibilisation à la sécurité routière</td><td>+2</td>"
        "<td>7 points",
        "10/02/2025</td><td>Retrait de points (infraction)</td><td>−3</td><td>5 points",
        "01/06/2024</td><td>Crédit annuel du permis probatoire</td><td>+2</td><td>8 points",
    ]
    positions = [page.index(row) for row in rows]
    assert positions == sorted(positions)
    assert "snpc_code_inconnu" not in page


def test_a_record_without_movement_says_so(client, citizen):
    record = LicenceRecordFactory()
    LicenceHolderLinkFactory(user=citizen, record=record)
    page = client.get(reverse("permis:record", kwargs={"neph": record.neph})).content.decode()
    assert "Aucun mouvement de points enregistré." in page
