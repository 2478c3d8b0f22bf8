"""Browser journeys of the national licence file: a citizen attaches their
licence and reads their points; the public list of approved photographers;
the communes autocompletion script."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_citizen_links_their_licence_and_sees_the_points(page, login_as, check_a11y):
    from tests.permis.factories import (
        LicenceCategoryFactory,
        LicenceRecordFactory,
        LicenceTitleFactory,
        holder_user,
    )

    record = LicenceRecordFactory(neph="745490000015", points_balance=11)
    LicenceCategoryFactory(record=record)
    LicenceTitleFactory(record=record, number="17AA00001")
    login_as(page, holder_user())

    page.goto("/permis/mon-permis/")
    expect(page.locator("h1")).to_have_text("Mon permis de conduire")
    check_a11y(page)

    # A wrong date of birth is refused with the reason.
    page.get_by_label("Numéro de dossier (NEPH)").fill("7454 9000 0015")
    page.get_by_label("Date de naissance").fill("02/01/1956")
    page.get_by_role("button", name="Rattacher mon dossier").click()
    expect(page.get_by_text("Aucun dossier ne correspond à ce numéro").first).to_be_visible()
    check_a11y(page)

    page.get_by_label("Date de naissance").fill("01/01/1956")
    page.get_by_role("button", name="Rattacher mon dossier").click()
    expect(page.get_by_text("Votre dossier de permis de conduire est rattaché.")).to_be_visible()
    expect(page.locator("#points-balance")).to_have_text("11 / 12 points")
    expect(page.get_by_role("cell", name="17AA00001")).to_be_visible()
    check_a11y(page)

    # The communes script fills suggestions for a postal code (as the
    # wizard's address step will use it).
    page.evaluate(
        """() => {
          const form = document.createElement('form');
          form.innerHTML = '<label for="id_cp">Code postal</label>'
            + '<input id="id_cp" data-communes-url="/permis/communes/" data-communes-target="id_commune">'
            + '<label for="id_commune">Commune</label><input id="id_commune">';
          document.querySelector('main').appendChild(form);
        }"""
    )
    page.add_script_tag(url="/static/permis/communes.js")
    page.locator("#id_cp").fill("54000")
    expect(page.locator("#id_commune")).to_have_value("Nancy")
    expect(page.locator("#id_commune-communes option")).to_have_count(1)
    page.locator("#id_commune").fill("")
    page.locator("#id_cp").fill("54110")
    expect(page.locator("#id_commune-communes option").nth(5)).to_be_attached()

    page.goto("/tableau-de-bord/")
    expect(page.get_by_text("Solde de points : 11 / 12")).to_be_visible()
    check_a11y(page)


def test_photographers_list_filtered_by_departement(page, check_a11y):
    from tests.permis.factories import PhotographerFactory
    from titres.permis.models import Photographer

    PhotographerFactory(approval_number="PH-54-0002", name="Photo Stanislas")
    Photographer.objects.create(
        kind="cabine",
        approval_number="CB-75-0001",
        name="Cabine photo — gare de Lyon",
        address="Place Louis-Armand",
        postal_code="75012",
        commune="Paris",
        departement_code="75",
    )
    page.goto("/permis/photographes/")
    expect(page.locator("h1")).to_have_text("Où faire votre photo / signature numérique ?")
    expect(page.get_by_role("cell", name="Photo Stanislas")).to_be_visible()
    expect(page.get_by_role("cell", name="Cabine photo — gare de Lyon")).to_be_visible()
    check_a11y(page)

    page.get_by_label("Département").select_option("54")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("cell", name="Photo Stanislas")).to_be_visible()
    expect(page.get_by_role("cell", name="Cabine photo — gare de Lyon")).to_have_count(0)
    check_a11y(page)
