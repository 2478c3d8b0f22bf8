"""Licence request: the receipt, who sees what (citizen, driving school)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from titres.procedures.models import Demarche

from .factories import UserFactory
from .wizard_helpers import fill_until_documents, post, stamp, start, step_url, submit, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_clamav(settings):
    settings.CLAMAV_URL = ""


def _submitted(client, motif="vol"):
    demarche = start(client)
    fill_until_documents(client, demarche, motif)
    codes = ["domicile", "identite"] + (["recepisse_vol"] if motif == "vol" else [])
    for code in codes:
        upload(client, demarche, code)
    if motif in ("vol", "perte"):
        post(client, demarche, "paiement", {"numero_timbre": stamp().number})
    assert submit(client, demarche).status_code == 302
    demarche.refresh_from_db()
    return demarche


def test_receipt_pdf_parses_and_holds_the_number(client):
    client.force_login(UserFactory())
    demarche = _submitted(client)
    url = reverse("permis:request_receipt", args=[demarche.number])
    page = client.get(reverse("permis:request_confirmation", args=[demarche.number]))
    assert url in page.text and "Télécharger le justificatif de la pré-demande" in page.text
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"justificatif-pre-demande-{demarche.number}.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert demarche.display_number in text
    assert "Justificatif de la pré-demande" in text
    assert "CORNEILLE" in text and "Vol du titre" in text
    assert "Récépissé de déclaration de vol" in text
    assert demarche.payment_reference in text and "25,00" in text
    assert reader.metadata.subject == demarche.number
    # The page holds an image: the QR code.
    assert any(p.images for p in reader.pages)
    # The file's page (engine) shows the frozen answers and links the receipt.
    page = client.get(reverse("procedures:detail", args=[demarche.number]))
    assert page.status_code == 200
    assert "La demande du titre est effectuée à la suite du vol du précédent titre." in page.text
    assert f'href="{url}" download>Justificatif de la pré-demande' in page.text


def test_qr_code_holds_the_number(client, monkeypatch):
    import segno

    from titres.core import pdf

    encoded = []
    original = segno.make

    def make(content, **kwargs):
        encoded.append(content)
        return original(content, **kwargs)

    monkeypatch.setattr(pdf.segno, "make", make)
    client.force_login(UserFactory())
    demarche = _submitted(client, motif="expiration")
    client.get(reverse("permis:request_receipt", args=[demarche.number]))
    assert encoded == [demarche.number]


def test_no_receipt_for_a_draft(client):
    client.force_login(UserFactory())
    demarche = start(client)
    assert client.get(reverse("permis:request_receipt", args=[demarche.number])).status_code == 404
    response = client.get(reverse("permis:request_confirmation", args=[demarche.number]))
    assert response.url == reverse("procedures:resume", args=[demarche.number])
    page = client.get(reverse("procedures:detail", args=[demarche.number]))
    assert "Justificatif de la pré-demande" not in page.text


def test_another_citizen_gets_404(client):
    client.force_login(UserFactory())
    demarche = _submitted(client, motif="expiration")
    draft = start(client)
    client.force_login(UserFactory())
    for name in ["request_receipt", "request_confirmation", "stamp_return"]:
        assert client.get(reverse(f"permis:{name}", args=[demarche.number])).status_code == 404
    assert submit(client, draft).status_code == 404
    assert client.get(step_url(draft, "motif")).status_code == 404
    assert client.get(reverse("procedures:detail", args=[demarche.number])).status_code == 404


def test_driving_school_files_for_a_candidate_and_sees_only_its_own(client):
    school = UserFactory(profile="auto_ecole")
    client.force_login(school)
    demarche = _submitted(client, motif="expiration")
    assert demarche.owner == school
    assert demarche.acting_for["type"] == "candidat"
    assert demarche.acting_for["nom_naissance"] == "CORNEILLE"
    assert demarche.acting_for["prenoms"] == ["Pierre"]
    page = client.get(reverse("permis:candidates"))
    assert demarche.display_number in page.text and "CORNEILLE Pierre" in page.text
    assert client.get(reverse("permis:request_receipt", args=[demarche.number])).status_code == 200

    other_school = UserFactory(profile="auto_ecole")
    client.force_login(other_school)
    page = client.get(reverse("permis:candidates"))
    assert demarche.display_number not in page.text
    assert client.get(reverse("permis:request_receipt", args=[demarche.number])).status_code == 404
    assert client.get(reverse("procedures:detail", args=[demarche.number])).status_code == 404

    # The candidates page is for driving schools only.
    client.force_login(UserFactory())
    assert client.get(reverse("permis:candidates")).status_code == 404


def test_driving_school_address_email_is_not_prefilled(client):
    school = UserFactory(profile="auto_ecole", email="ecole@example.fr")
    client.force_login(school)
    demarche = start(client)
    page = client.get(step_url(demarche, "adresse"))
    assert "ecole@example.fr" not in page.text
    client.force_login(UserFactory(email="moi@example.fr"))
    mine = start(client)
    assert "moi@example.fr" in client.get(step_url(mine, "adresse")).text


def test_other_profiles_cannot_start(client):
    client.force_login(UserFactory(profile="pro_siv"))
    response = client.post(reverse("procedures:start", args=["permis-de-conduire"]))
    assert response.status_code == 302
    assert not Demarche.objects.filter(procedure_code="permis-de-conduire").exists()
