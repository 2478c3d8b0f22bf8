"""Browser journey of the procedure engine with the toy procedure: start a
request, go through the steps, upload documents (watching the progress),
submit, then find it in "Mes démarches" with its history."""

import pytest
from playwright.sync_api import expect

from tests.procedures import samples, toy
from tests.procedures.factories import AuthorityFactory, UserFactory
from titres.procedures.registry import register_procedure, unregister_procedure

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture
def toy_procedure():
    register_procedure(toy.definition(), replace=True)
    yield toy
    unregister_procedure(toy.CODE)


@pytest.fixture
def citizen_page(page, login_as):
    return login_as(page, UserFactory(email="pierre.corneille@example.org"))


def test_new_request_to_my_procedures(citizen_page, check_a11y, toy_procedure, settings):
    settings.CLAMAV_URL = ""
    AuthorityFactory(code="543", departements=["54"])
    page = citizen_page
    progress: list[int] = []
    page.expose_function("titresProgress", lambda value: progress.append(int(value)))
    page.add_init_script(
        "document.addEventListener('titres:upload-progress',"
        " (e) => window.titresProgress(e.detail));"
    )

    page.goto("/demarches/nouvelle/")
    expect(page.locator("h1")).to_have_text("Nouvelle demande")
    check_a11y(page)
    page.get_by_role("link", name="Permis de conduire").click()
    check_a11y(page)
    page.get_by_role("button", name="Commencer — Demande de permis (procédure d’essai)").click()

    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 1 sur 6")
    check_a11y(page)
    page.get_by_text("Perte du titre").click()
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.locator(".fr-stepper__title")).to_contain_text("État civil")
    check_a11y(page)
    page.get_by_label("Nom de naissance").fill("Corneille")
    page.get_by_label("Premier prénom").fill("Pierre")
    page.get_by_label("Département de résidence").fill("54")
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.locator(".fr-stepper__title")).to_contain_text("Contact")
    check_a11y(page)
    page.get_by_role("button", name="Étape précédente").click()
    expect(page.get_by_label("Nom de naissance")).to_have_value("Corneille")  # draft kept
    page.get_by_role("button", name="Étape suivante").click()
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.locator(".fr-stepper__title")).to_contain_text("Pièces justificatives")
    check_a11y(page)
    for code, content, name in [
        ("domicile", samples.pdf(pages=2), "facture.pdf"),
        ("identite", samples.jpeg(size=(600, 400)), "cni.jpg"),
    ]:
        page.locator(f"#file-{code}").set_input_files(
            {"name": name, "mimeType": "application/octet-stream", "buffer": content}
        )
        with page.expect_navigation():
            page.locator(f"form[action$='/pieces/{code}/'] button[type=submit]").click()
        expect(page.get_by_role("link", name=name)).to_be_visible()
    assert progress and progress[-1] == 100
    expect(page.get_by_text("Document valide")).to_have_count(2)
    check_a11y(page)

    # A bad file is refused in place with the precise message.
    page.locator("#file-identite").set_input_files(
        {"name": "cni.pdf", "mimeType": "application/pdf", "buffer": b"pas un pdf"}
    )
    page.locator("form[action$='/pieces/identite/'] button[type=submit]").click()
    expect(page.locator("#upload-error-identite")).to_have_text(
        "Format non accepté : le fichier doit être une image JPG, PNG, BMP, TIFF ou un PDF."
    )
    page.get_by_role("button", name="Étape suivante").click()

    expect(page.locator(".fr-stepper__title")).to_contain_text("Récapitulatif")
    expect(page.locator("main")).to_contain_text("Corneille")
    check_a11y(page)
    page.get_by_text("J’atteste sur l’honneur").click()
    page.get_by_role("button", name="Valider ma demande").click()

    expect(page.locator("h1")).to_have_text("Demande confirmée")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 6 sur 6")
    check_a11y(page)

    page.goto("/demarches/")
    check_a11y(page)
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("En cours / Analyse par le service instructeur")
    row.get_by_role("link").first.click()
    expect(page.locator("table")).to_contain_text("Demande déposée")
    expect(page.locator("main")).to_contain_text("Pièces justificatives")
    check_a11y(page)
