"""An anonymous candidate looks up her driving-test results (NEPH + birth
date): a wrong birth date first (the message of an unknown NEPH, nothing
about her), then the ETG and the practical tests, failed then passed;
downloads the CEPC, and its 2D-Doc (the PDF's page rendered to an image,
as a phone would photograph it) reads "Authentique" on the portal's
verification page."""

from datetime import date, timedelta

import pypdfium2
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.permis.factories import LicenceRecordFactory
from titres.permis import exams
from titres.permis.enums import LicenceState

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def _candidate():
    record = LicenceRecordFactory(
        birth_name="LEFÈVRE",
        first_names="Anne, Marie",
        birth_date=date(2005, 4, 9),
        state=LicenceState.EN_FORMATION,
        points_balance=0,
    )
    today = timezone.localdate()
    exams.record_theory_test(
        record=record, taken_on=today - timedelta(days=60), passed=True, centre="Nancy"
    )
    exams.record_practical_test(
        record=record,
        category="B",
        taken_on=today - timedelta(days=25),
        passed=False,
        centre="Laxou",
    )
    passed = exams.record_practical_test(
        record=record, category="B", taken_on=today - timedelta(days=5), passed=True, centre="Laxou"
    )
    return record, passed


def test_candidate_reads_her_results_and_verifies_her_cepc(page, check_a11y, tmp_path):
    record, passed = _candidate()
    page.goto("/permis/resultats/")
    expect(page.locator("h1")).to_have_text("Résultats du permis de conduire")
    check_a11y(page)

    page.get_by_label("Numéro de dossier (NEPH)").fill(record.neph)
    page.get_by_label("Date de naissance").fill("10/04/2005")
    page.get_by_role("button", name="Consulter mes résultats").click()
    expect(page.locator("#error-summary")).to_contain_text(
        "Aucun résultat ne correspond à ce numéro de dossier (NEPH) et à cette date de naissance"
    )
    expect(page.get_by_text("Laxou")).to_have_count(0)
    check_a11y(page)

    page.get_by_label("Date de naissance").fill("09/04/2005")
    page.get_by_role("button", name="Consulter mes résultats").click()
    expect(page.locator("h1")).to_have_text("Vos résultats du permis de conduire")
    expect(page.locator("#titre-etg")).to_be_visible()
    pratique = page.get_by_role("table", name="Épreuves pratiques")
    expect(pratique.get_by_role("row")).to_have_count(3)
    expect(pratique.get_by_role("row").nth(2)).to_contain_text("Défavorable")
    expect(pratique.get_by_role("row").nth(1)).to_contain_text("Favorable")
    check_a11y(page)

    with page.expect_download() as download_info:
        page.locator(f"#telecharger-cepc-{passed.pk}").click()
    pdf_path = tmp_path / "cepc.pdf"
    download_info.value.save_as(pdf_path)
    image = pypdfium2.PdfDocument(pdf_path)[0].render(scale=2).to_pil()
    photo = tmp_path / "photo.png"
    image.save(photo)

    page.get_by_role("link", name="Vérifier un 2D-Doc").click()
    expect(page.locator("h1")).to_have_text("Vérifier un 2D-Doc")
    page.get_by_label("Ou une photo ou un scan du code").set_input_files(str(photo))
    page.get_by_role("button", name="Vérifier").click()
    result = page.locator("#resultat")
    expect(result.get_by_role("heading", name="Authentique")).to_be_visible()
    expect(result).to_contain_text("AD — Certificat de réussite à l’examen du permis de conduire")
    expect(page.locator("#champs")).to_contain_text(passed.cepc_number)
    check_a11y(page)
