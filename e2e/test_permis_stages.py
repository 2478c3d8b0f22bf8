"""Browser journey of a road-safety centre (issue 19): it declares a stage,
registers an attendee through the form (the other 19 through the service,
one of whom already attended a stage this year), closes the session: the
points are credited, capped, the repeat attendee refused with the date;
the CSV export. axe-core and the page checks on every page."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_cssr_closes_a_session_of_20(page, login_as, check_a11y):
    from django.utils import timezone

    from tests.accounts.factories import UserFactory
    from tests.permis.factories import LicenceRecordFactory
    from titres.permis.models import LicenceRecord
    from titres.permis.stages import services

    centre = UserFactory(
        username="cssr.lorraine",
        profile="centre_sensibilisation",
        organisation_name="CSSR de Lorraine",
        approval_number="R 054 0012 0",
    )
    today = timezone.localdate()
    # The repeat attendee: a stage closed four months ago.
    repeat = LicenceRecordFactory(birth_name="REPRISE", first_names="Paul", points_balance=6)
    earlier = services.create_session(
        centre=centre, starts_on=today - timedelta(days=121), ends_on=today - timedelta(days=120),
        address="1 rue Jeanne-d’Arc", postal_code="54000", commune="Nancy", facilitators="A, B",
    )  # fmt: skip
    services.add_attendee(
        session=earlier, neph=repeat.neph, birth_name="REPRISE", first_names="Paul",
        birth_date=repeat.birth_date, email="paul@example.fr", actor=centre,
    )  # fmt: skip
    services.close_session(session=earlier, actor=centre)

    login_as(page, centre)
    page.goto("/tableau-de-bord/")
    check_a11y(page)
    page.get_by_role("link", name="Vos stages").click()
    expect(page.locator("h1")).to_have_text("Stages de récupération de points")
    check_a11y(page)
    page.get_by_role("link", name="Déclarer un stage").click()
    check_a11y(page)
    page.get_by_label("Premier jour du stage").fill(
        (today - timedelta(days=2)).strftime("%d/%m/%Y")
    )
    page.get_by_label("Second jour du stage").fill((today - timedelta(days=1)).strftime("%d/%m/%Y"))
    page.get_by_label("Adresse du lieu du stage").fill("2 rue de la Paix")
    page.get_by_label("Code postal").fill("54000")
    page.get_by_label("Commune").fill("Nancy")
    page.get_by_label("Animateurs").fill("Jean Formateur (BAFM), Julie Psy (psychologue)")
    page.get_by_role("button", name="Déclarer le stage").click()
    expect(page.get_by_text("Le stage est déclaré : inscrivez ses stagiaires.")).to_be_visible()
    check_a11y(page)
    session = centre.stage_sessions.order_by("-pk").first()

    # One attendee through the form, with a wrong birth date first.
    first = LicenceRecordFactory(birth_name="MARTIN", first_names="Alice", points_balance=10)
    page.get_by_label("Numéro de dossier (NEPH)").fill(first.neph_display)
    page.get_by_label("Nom de naissance").fill("Martin")
    page.get_by_label("Prénoms").fill("Alice")
    page.get_by_label("Date de naissance").fill("02/01/1956")
    page.get_by_label("Adresse électronique du stagiaire").fill("alice@example.fr")
    page.get_by_role("button", name="Inscrire le stagiaire").click()
    expect(
        page.get_by_text("Aucun dossier du fichier national ne correspond à ce NEPH").first
    ).to_be_visible()
    check_a11y(page)
    page.get_by_label("Date de naissance").fill("01/01/1956")
    page.get_by_role("button", name="Inscrire le stagiaire").click()
    expect(page.get_by_text("MARTIN est inscrit.")).to_be_visible()

    # 18 more and the repeat attendee: 20 in all.
    for index in range(18):
        record = LicenceRecordFactory(birth_name=f"STAGIAIRE{index:02d}", points_balance=2)
        services.add_attendee(
            session=session, neph=record.neph, birth_name=record.birth_name,
            first_names=record.first_names, birth_date=record.birth_date,
            email=f"s{index}@example.fr", actor=centre,
        )  # fmt: skip
    services.add_attendee(
        session=session, neph=repeat.neph, birth_name="REPRISE", first_names="Paul",
        birth_date=repeat.birth_date, email="paul@example.fr", actor=centre,
    )  # fmt: skip
    page.reload()
    expect(page.locator("#stagiaires caption")).to_have_text("Stagiaires (20 sur 20)")
    check_a11y(page)

    page.get_by_role("button", name="Clôturer le stage et créditer les points").click()
    expect(
        page.get_by_text("Le stage est clôturé : 19 permis crédités, attestations envoyées.")
    ).to_be_visible()
    expect(
        page.get_by_text(
            f"Un stage a déjà été suivi le {earlier.ends_on:%d/%m/%Y} : un seul stage par an"
        )
    ).to_be_visible()
    check_a11y(page)
    assert LicenceRecord.objects.get(pk=first.pk).points_balance == 12  # capped
    assert LicenceRecord.objects.get(pk=repeat.pk).points_balance == 10  # only the first stage
    assert (
        LicenceRecord.objects.filter(birth_name__startswith="STAGIAIRE", points_balance=6).count()
        == 18
    )

    page.get_by_role("link", name="Tous les stages").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter les stages et stagiaires (CSV)").click()
    assert download.value.suggested_filename == "stages.csv"
    check_a11y(page)
