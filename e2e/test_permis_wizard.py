"""Browser journeys of the téléprocédure "Permis de conduire" (seed 002):
a theft with documents and a stamp bought on the way through the shop and
the local bank with the 3-D Secure test card, received in the dev mailbox,
then used for the request and the receipt; an expiration (free, the payment
step passed through); a loss declared inside step 5. Always "Étape n sur 8"."""

import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.journeys import sample_pdf, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

CARD_3DS = "4970 1000 0000 0022"  # titres/paiements/localbank/cards.py
EMAIL = "pierre.corneille@example.fr"


@pytest.fixture(autouse=True)
def _setup(settings):
    from titres.permis.demo import load_authorities

    load_authorities()
    settings.CLAMAV_URL = ""
    settings.PAYMENT_PROVIDER = "local"


def _holder():
    """Pierre CORNEILLE's account, his licence in the national file."""
    from tests.permis.factories import LicenceRecordFactory, holder_user

    LicenceRecordFactory(neph="745490000015")
    return holder_user(email=EMAIL)


def _photo():
    from tests.permis.factories import PhotographerFactory
    from titres.permis.models import EPhoto
    from titres.permis.services import register_photo

    photographer = PhotographerFactory(approval_number="PH-54-9999", name="Photo Stanislas")
    photo = register_photo(photographer=photographer)
    assert EPhoto.objects.filter(pk=photo.pk).exists()
    return photo


def _next(page):
    page.get_by_role("button", name="Étape suivante").click()


def _expect_step(page, number, title):
    """Seed 002: always "Étape n sur 8" with the seed's titles."""
    expect(page.locator(".fr-stepper__state")).to_have_text(f"Étape {number} sur 8")
    expect(page.locator(".fr-stepper__title")).to_contain_text(title)


def _fill_first_steps(page, check_a11y, motif_label, photo):
    page.goto("/demarches/nouvelle/permis/")
    check_a11y(page)
    page.get_by_role(
        "button", name="Commencer — Permis de conduire : demande de renouvellement"
    ).click()
    # Step 1: motif.
    _expect_step(page, 1, "Motif de demande")
    check_a11y(page)
    page.get_by_text(motif_label, exact=True).click()
    _next(page)

    # Step 2: état civil, with "+ Ajouter un prénom".
    _expect_step(page, 2, "État civil")
    check_a11y(page)
    page.get_by_label("Nom de naissance").fill("Corneille")
    page.get_by_text("Homme", exact=True).click()
    page.get_by_label("1er prénom").fill("Pierre")
    expect(page.get_by_label("3ème prénom (Optionnel)")).to_be_hidden()
    page.get_by_role("button", name="+ Ajouter un prénom").click()
    expect(page.get_by_label("3ème prénom (Optionnel)")).to_be_focused()
    page.get_by_label("Date de naissance").fill("01/01/2999")
    page.get_by_label("Commune de naissance").fill("Nancy")
    page.get_by_label("Département de naissance").select_option("54")
    _next(page)
    expect(
        page.get_by_text("La date de naissance doit être une date passée.").first
    ).to_be_visible()
    check_a11y(page)
    page.get_by_label("Date de naissance").fill("01/01/1956")
    _next(page)

    # Step 3: adresse — the commune comes from the postal code.
    _expect_step(page, 3, "Adresse et contact")
    check_a11y(page)
    page.get_by_label("N° de la voie").fill("66")
    page.get_by_label("Type de voie (avenue, boulevard, etc)").select_option("rue")
    page.get_by_label("Nom de la voie").fill("du Pas")
    page.get_by_label("Code postal", exact=True).fill("54000")
    expect(page.locator("#id_commune")).to_have_value("Nancy")
    expect(page.get_by_label("Votre préfecture de rattachement")).to_have_value("54")
    page.get_by_label("Téléphone portable").fill("06 12 34 56 78")
    page.locator("label[for=id_consentement_information_1]").click()
    _next(page)

    # Step 4: photo / signature.
    _expect_step(page, 4, "Photo / Signature")
    check_a11y(page)
    expect(
        page.get_by_role(
            "link", name="Trouver une cabine ou un photographe agréé près de chez vous"
        )
    ).to_have_attribute("href", "/permis/photographes/")
    page.get_by_label("Code « photo numérique »").fill(photo.code_display)
    _next(page)


def test_theft_with_documents_and_a_stamp_bought_on_the_way(
    page, login_as, check_a11y, mailbox, tmp_path
):
    from titres.paiements.enums import StampState
    from titres.paiements.models import Stamp
    from titres.procedures.models import Demarche

    photo = _photo()
    login_as(page, _holder())
    _fill_first_steps(page, check_a11y, "Vol du titre", photo)

    # Step 5: documents, theft receipt included.
    _expect_step(page, 5, "Pièces justificatives")
    expect(page.get_by_text("Déclaration de perte")).to_have_count(0)
    check_a11y(page)
    upload(
        page, "Justificatif de domicile de moins de 3 mois", sample_pdf(tmp_path, "facture.pdf", 2)
    )
    upload(page, "Pièce d’identité", sample_pdf(tmp_path, "cni.pdf", 2))
    upload(page, "Récépissé de déclaration de vol", sample_pdf(tmp_path, "recepisse.pdf"))
    expect(page.get_by_text("Document valide")).to_have_count(3)
    check_a11y(page)
    _next(page)

    # Step 6: no stamp yet: buy one at the shop without leaving the journey.
    _expect_step(page, 6, "Paiement")
    check_a11y(page)
    page.get_by_role("link", name="Acheter un timbre fiscal électronique (25 €)").click()
    expect(page.locator("h1")).to_have_text("Acheter un timbre fiscal électronique")
    check_a11y(page)
    expect(page.get_by_label("Adresse e-mail à laquelle envoyer le timbre")).to_have_value(EMAIL)
    page.get_by_role("button", name="Payer par carte bancaire").click()
    expect(page.locator("h1")).to_have_text("Paiement sécurisé")
    check_a11y(page)
    page.get_by_label("Numéro de carte").fill(CARD_3DS)
    page.get_by_label("Expire fin : mois").select_option("12")
    page.get_by_label("Expire fin : année").select_option(str(timezone.localdate().year + 1))
    page.get_by_label("Numéro de contrôle au dos de la carte").fill("123")
    page.get_by_role("button", name="Valider").click()
    # 3-D Secure challenge (the local bank shows the code in development).
    expect(page.locator("h1")).to_have_text("Authentification de votre paiement")
    check_a11y(page)
    page.get_by_label("Code de confirmation").fill(page.locator("#code-3ds").inner_text())
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("Paiement accepté : votre timbre est prêt")).to_be_visible()
    check_a11y(page)
    number = page.locator("#numero-timbre").get_attribute("data-numero")
    # The stamp arrived in the dev mailbox, its PDF attached.
    mail = mailbox.last_to(EMAIL)
    assert mail is not None and number in mail.subject
    assert f'filename="timbre-{number}.pdf"' in mail.raw
    page.get_by_role("link", name="Continuer ma démarche avec ce timbre").click()

    # The way back asks before reserving (a link never reserves a stamp).
    expect(page.locator("h1")).to_have_text("Timbre fiscal électronique")
    expect(page.get_by_text(f"Utiliser le timbre n° {number} pour cette demande ?")).to_be_visible()
    check_a11y(page)
    assert Stamp.objects.get(number=number).state != StampState.RESERVE
    page.get_by_role("button", name="Utiliser ce timbre").click()

    # Back at step 6 with the stamp reserved for this request.
    _expect_step(page, 6, "Paiement")
    expect(
        page.get_by_text(f"Le timbre n° {number} est enregistré pour votre demande.")
    ).to_be_visible()
    expect(page.get_by_label("Numéro du timbre fiscal électronique")).to_have_value(number)
    check_a11y(page)
    assert Stamp.objects.get(number=number).state == StampState.RESERVE
    _next(page)

    # Step 7: récapitulatif, collapsible sections, sworn statement.
    _expect_step(page, 7, "Récapitulatif")
    check_a11y(page)
    expect(page.locator(".fr-accordion")).to_have_count(6)
    page.get_by_role("button", name="Adresse de la personne concernée").click()
    expect(page.get_by_text("54000")).to_be_visible()
    page.get_by_role("button", name="Valider ma demande").click()
    expect(page.locator(".fr-error-text, .fr-messages-group").first).to_be_visible()
    check_a11y(page)
    page.locator("label[for=id_attestation]").click()
    page.get_by_role("button", name="Valider ma demande").click()

    # Step 8: confirmation and receipt.
    expect(page.get_by_text("Demande confirmée et consultable")).to_be_visible()
    _expect_step(page, 8, "Confirmation")
    check_a11y(page)
    demarche = Demarche.objects.get(procedure_code="permis-de-conduire")
    assert demarche.status == "EN_COURS"
    expect(page.locator("#numero-demande")).to_contain_text(demarche.display_number)
    assert Stamp.objects.get(number=number).state == StampState.CONSOMME
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le justificatif de la pré-demande").click()
    download = download_info.value
    from pypdf import PdfReader

    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "".join(p.extract_text() for p in reader.pages)
    assert demarche.display_number in text and number in text

    # The file's page links the receipt too.
    page.get_by_role("link", name="Suivre ma démarche").click()
    expect(page.get_by_role("link", name="Justificatif de la pré-demande PDF")).to_have_attribute(
        "href", f"/permis/demandes/{demarche.number}/justificatif.pdf"
    )
    check_a11y(page)

    # Frozen: a step URL now leads to the file's page.
    page.goto(f"/demarches/{demarche.number}/etapes/motif/")
    expect(
        page.get_by_text("Cette démarche a été validée : elle ne peut plus être modifiée.")
    ).to_be_visible()
    check_a11y(page)


def test_expiration_is_free_without_payment_step(page, login_as, check_a11y, tmp_path):
    from titres.procedures.models import Demarche

    photo = _photo()
    login_as(page, _holder())
    _fill_first_steps(page, check_a11y, "Expiration de la durée administrative du titre", photo)

    _expect_step(page, 5, "Pièces justificatives")
    expect(page.get_by_text("Récépissé de déclaration de vol")).to_have_count(0)
    expect(page.get_by_text("Déclaration de perte")).to_have_count(0)
    upload(page, "Justificatif de domicile de moins de 3 mois", sample_pdf(tmp_path, "facture.pdf"))
    upload(page, "Pièce d’identité", sample_pdf(tmp_path, "cni.pdf"))
    check_a11y(page)
    _next(page)

    # No payment: step 6 is passed through, the récapitulatif keeps number 7 of 8.
    _expect_step(page, 7, "Récapitulatif")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 7 sur 8")
    check_a11y(page)
    page.locator("label[for=id_attestation]").click()
    page.get_by_role("button", name="Valider ma demande").click()
    expect(page.get_by_text("Demande confirmée et consultable")).to_be_visible()
    _expect_step(page, 8, "Confirmation")
    check_a11y(page)
    demarche = Demarche.objects.get(procedure_code="permis-de-conduire")
    assert demarche.status == "EN_COURS" and demarche.payment_reference == ""
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le justificatif de la pré-demande").click()
    assert (
        download_info.value.suggested_filename == f"justificatif-pre-demande-{demarche.number}.pdf"
    )


def test_loss_is_declared_inside_the_documents_step(page, login_as, check_a11y, tmp_path):
    from titres.procedures.models import Demarche

    photo = _photo()
    login_as(page, _holder())
    _fill_first_steps(page, check_a11y, "Perte du titre", photo)

    # Step 5: the sworn loss declaration (no upload for the loss) with the documents.
    _expect_step(page, 5, "Pièces justificatives")
    expect(page.get_by_role("heading", name="Déclaration de perte")).to_be_visible()
    upload(page, "Justificatif de domicile de moins de 3 mois", sample_pdf(tmp_path, "facture.pdf"))
    upload(page, "Pièce d’identité", sample_pdf(tmp_path, "cni.pdf"))
    page.get_by_label("Date de la perte").fill("02/03/2024")
    page.get_by_label("Lieu de la perte").fill("Nancy")
    _next(page)
    expect(
        page.get_by_text("Cochez la déclaration sur l’honneur pour continuer.").first
    ).to_be_visible()
    _expect_step(page, 5, "Pièces justificatives")
    check_a11y(page)
    page.locator("label[for=id_attestation]").click()
    _next(page)

    _expect_step(page, 6, "Paiement")
    demarche = Demarche.objects.get(procedure_code="permis-de-conduire")
    assert demarche.answers["pieces"]["attestation"] is True
    assert demarche.answers["pieces"]["lieu_perte"] == "Nancy"
