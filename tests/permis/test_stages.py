"""Stages de récupération de points (issue 19): sessions, attendees matched
against the SNPC, closing credits 4 points capped, one stage a year, the
centre's pages and CSV export, every role refusal."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from titres.core.models import AuditEvent
from titres.permis.enums import LicenceState
from titres.permis.models import PointsCredit, StageAttendee, add_years
from titres.permis.stages import services

from .factories import LicenceRecordFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def centre():
    return UserFactory(
        profile="centre_sensibilisation",
        organisation_name="CSSR de Lorraine",
        approval_number="R 054 0012 0",
        email="cssr@example.fr",
    )


def _session(centre, *, days_ago=3):
    end = TODAY() - timedelta(days=days_ago)
    return services.create_session(
        centre=centre,
        starts_on=end - timedelta(days=1),
        ends_on=end,
        address="2 rue de la Paix",
        postal_code="54000",
        commune="Nancy",
        facilitators="Jean Formateur (BAFM), Julie Psy (psychologue)",
    )


def _add(session, record, **kwargs):
    data = {
        "neph": record.neph,
        "birth_name": record.birth_name,
        "first_names": record.first_names,
        "birth_date": record.birth_date,
        "email": "stagiaire@example.fr",
        **kwargs,
    }
    return services.add_attendee(session=session, actor=session.centre, **data)


def test_session_needs_a_cssr_with_approval(centre):
    with pytest.raises(PermissionDenied):
        _session(UserFactory(profile="auto_ecole", approval_number="E 1"))
    centre.approval_number = ""
    with pytest.raises(ValidationError) as error:
        _session(centre)
    assert error.value.messages == [
        "Votre compte n’a pas de numéro d’agrément : il est requis pour déclarer un stage."
    ]


def test_two_consecutive_days(centre):
    with pytest.raises(ValidationError) as error:
        services.create_session(
            centre=centre, starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 3),
            address="x", postal_code="54000", commune="Nancy", facilitators="a, b",
        )  # fmt: skip
    assert error.value.messages == ["Un stage se déroule sur deux jours consécutifs."]


def test_attendee_matched_by_neph_and_birth_date(centre):
    session = _session(centre)
    record = LicenceRecordFactory(points_balance=5)
    attendee = _add(session, record)
    assert attendee.record == record and attendee.status == "inscrit"
    with pytest.raises(ValidationError) as error:
        _add(session, record)
    assert error.value.messages == ["Ce stagiaire est déjà inscrit à ce stage."]
    other = LicenceRecordFactory()
    with pytest.raises(ValidationError) as error:
        _add(session, other, birth_date=date(1956, 1, 2))
    assert error.value.messages == [
        "Aucun dossier du fichier national ne correspond à ce NEPH et à cette date de naissance."
    ]


def test_name_difference_is_reviewed_before_credit(centre):
    session = _session(centre)
    record = LicenceRecordFactory(points_balance=5)
    attendee = _add(session, record, birth_name="CORNEIL")
    assert attendee.status == "a_verifier"
    assert attendee.match["differences"][0]["field"] == "birth_name"
    services.confirm_attendee(attendee=attendee, actor=centre)
    attendee.refresh_from_db()
    assert attendee.status == "inscrit"


def test_unreviewed_difference_is_refused_at_closing(centre):
    session = _session(centre)
    record = LicenceRecordFactory(points_balance=5)
    _add(session, record, birth_name="CORNEIL")
    services.close_session(session=session, actor=centre)
    attendee = StageAttendee.objects.get()
    assert attendee.status == "refuse"
    assert attendee.refusal == "Différences avec le fichier national non vérifiées."
    record.refresh_from_db()
    assert record.points_balance == 5


def test_at_most_twenty_attendees(centre):
    session = _session(centre)
    for _ in range(20):
        _add(session, LicenceRecordFactory())
    with pytest.raises(ValidationError) as error:
        _add(session, LicenceRecordFactory())
    assert error.value.messages == ["Un stage accueille au plus 20 stagiaires."]


@pytest.mark.parametrize(("before", "after"), [(2, 6), (8, 12), (10, 12), (12, 12)])
def test_four_points_capped_at_12_for_a_full_licence(
    centre, before, after, mailoutbox, django_capture_on_commit_callbacks
):
    session = _session(centre)
    record = LicenceRecordFactory(points_balance=before)
    _add(session, record)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_session(session=session, actor=centre)
    record.refresh_from_db()
    assert record.points_balance == after
    credit = PointsCredit.objects.get(record=record)
    assert (credit.delta, credit.balance_after, credit.reason) == (after - before, after, "stage")
    assert AuditEvent.objects.filter(event="permis.points_credited").count() == 1
    mail = mailoutbox[-1]
    assert mail.to == ["stagiaire@example.fr"]
    assert f"passe de {before} à {after} points" in mail.body
    assert mail.attachments[0][0] == f"attestation-stage-{session.pk}.pdf"


def test_probationary_licence_capped_at_its_ceiling(centre):
    session = _session(centre)
    # Probation started 14 months ago without AAC: ceiling 8.
    start = add_years(TODAY(), -1) - timedelta(days=60)
    record = LicenceRecordFactory(points_balance=3, probation_start=start)
    assert record.points_ceiling(session.ends_on) == 8
    _add(session, record)
    services.close_session(session=session, actor=centre)
    record.refresh_from_db()
    assert record.points_balance == 7
    session2 = _session(centre, days_ago=1)
    fresh = LicenceRecordFactory(points_balance=4, probation_start=TODAY() - timedelta(days=30))
    _add(session2, fresh)
    services.close_session(session=session2, actor=centre)
    fresh.refresh_from_db()
    assert fresh.points_balance == 6


def test_one_stage_per_year_refused_with_the_date(centre):
    record = LicenceRecordFactory(points_balance=4)
    first = _session(centre, days_ago=200)
    _add(first, record)
    services.close_session(session=first, actor=centre)
    second = _session(centre, days_ago=3)
    _add(second, record)
    services.close_session(session=second, actor=centre)
    attendee = second.attendees.get()
    assert attendee.status == "refuse"
    assert attendee.refusal == (
        f"Un stage a déjà été suivi le {first.ends_on:%d/%m/%Y} : un seul stage par an, le "
        f"prochain est possible à partir du {add_years(first.ends_on, 1):%d/%m/%Y}."
    )
    record.refresh_from_db()
    assert record.points_balance == 8


def test_a_year_later_is_allowed(centre):
    record = LicenceRecordFactory(points_balance=4)
    first = _session(centre, days_ago=368)
    _add(first, record)
    services.close_session(session=first, actor=centre)
    second = _session(centre, days_ago=1)
    _add(second, record)
    services.close_session(session=second, actor=centre)
    record.refresh_from_db()
    assert record.points_balance == 12


def test_invalidated_licence_gets_no_points(centre):
    session = _session(centre)
    record = LicenceRecordFactory(state=LicenceState.INVALIDE, points_balance=0)
    _add(session, record)
    services.close_session(session=session, actor=centre)
    attendee = session.attendees.get()
    assert attendee.refusal.startswith("Le permis de ce stagiaire est invalidé")


def test_closed_session_is_frozen(centre):
    session = _session(centre)
    services.close_session(session=session, actor=centre)
    with pytest.raises(ValidationError) as error:
        _add(session, LicenceRecordFactory())
    assert error.value.messages == ["Ce stage est clôturé : il ne peut plus être modifié."]


def test_not_closed_before_its_last_day(centre):
    session = services.create_session(
        centre=centre, starts_on=TODAY() + timedelta(days=1), ends_on=TODAY() + timedelta(days=2),
        address="x", postal_code="54000", commune="Nancy", facilitators="a, b",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="il peut être clôturé à partir de ce jour"):
        services.close_session(session=session, actor=centre)


# --- Pages -------------------------------------------------------------------------


def test_centre_pages_and_csv(client, centre):
    client.force_login(centre)
    response = client.post(
        reverse("permis:stage_new"),
        {
            "starts_on": (TODAY() - timedelta(days=2)).strftime("%d/%m/%Y"),
            "ends_on": (TODAY() - timedelta(days=1)).strftime("%d/%m/%Y"),
            "address": "2 rue de la Paix",
            "postal_code": "54000",
            "commune": "Nancy",
            "facilitators": "Jean Formateur, Julie Psy",
        },
    )
    session = centre.stage_sessions.get()
    assert response.url == reverse("permis:stage", args=[session.pk])
    record = LicenceRecordFactory(points_balance=6)
    url = reverse("permis:stage", args=[session.pk])
    response = client.post(
        url,
        {
            "neph": record.neph_display,
            "birth_name": "Corneille",
            "first_names": "Pierre",
            "birth_date": "01/01/1956",
            "email": "pierre@example.fr",
        },
        follow=True,
    )
    assert "CORNEILLE est inscrit." in response.text
    response = client.post(reverse("permis:stage_close", args=[session.pk]), follow=True)
    assert "Le stage est clôturé : 1 permis crédités, attestations envoyées." in response.text
    assert "6 → 10" in response.text
    csv = client.get(reverse("permis:stages_export"))
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert record.neph in body and "Points crédités" in body and ";6;10;" in body
    assert reverse("permis:stage", args=[session.pk]) in client.get(reverse("permis:stages")).text


def test_another_centre_sees_nothing(client, centre):
    session = _session(centre)
    attendee = _add(session, LicenceRecordFactory())
    other = UserFactory(profile="centre_sensibilisation", approval_number="R 2")
    client.force_login(other)
    assert client.get(reverse("permis:stage", args=[session.pk])).status_code == 404
    assert client.post(reverse("permis:stage_close", args=[session.pk])).status_code == 404
    url = reverse("permis:stage_attendee", args=[session.pk, attendee.pk, "retirer"])
    assert client.post(url).status_code == 404
    assert (
        reverse("permis:stage", args=[session.pk]) not in client.get(reverse("permis:stages")).text
    )
    assert attendee.neph not in client.get(reverse("permis:stages_export")).content.decode()


@pytest.mark.parametrize("profile", ["particulier", "auto_ecole", "pro_siv", "mairie"])
def test_other_profiles_get_404(client, centre, profile):
    session = _session(centre)
    client.force_login(UserFactory(profile=profile))
    for url in [
        reverse("permis:stages"),
        reverse("permis:stage_new"),
        reverse("permis:stages_export"),
        reverse("permis:stage", args=[session.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_csv_cells_are_not_formulas(client, centre):
    session = _session(centre)
    record = LicenceRecordFactory(birth_name="=HYPERLINK")
    _add(session, record)
    client.force_login(centre)
    body = client.get(reverse("permis:stages_export")).content.decode("utf-8-sig")
    assert ";'=HYPERLINK;" in body


def test_demo_school_and_centre(settings):
    """load_demo: the demo school's candidates and the centre's stage,
    idempotent."""
    from titres.accounts import demo as accounts_demo
    from titres.permis import demo
    from titres.permis.models import LicenceRequest, StageSession

    settings.DEBUG = True
    accounts_demo.load()
    first = demo.load()
    assert demo.load() == first
    roles = [c.role for c in first]
    assert "École de conduite : candidate en formation, permis B réussi" in roles
    assert "Centre de sensibilisation : stage à clôturer" in roles
    session = StageSession.objects.get(centre__username="demo-cssr")
    assert session.attendees.count() == 3
    registered = LicenceRequest.objects.get(motif="inscription", record__isnull=False)
    from titres.permis.exams import check_for_title

    assert check_for_title(registered.record).ok
