import io

import pytest
from cryptography import x509
from django.urls import reverse
from PIL import Image

from titres.core import ratelimit, twoddoc
from titres.core.twoddoc import forms, keys

from .factories import cession_fields, cpi_fields

pytestmark = pytest.mark.django_db

URL = "/2d-doc/verifier/"


@pytest.fixture(autouse=True)
def _fresh_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


def _png(picture: Image.Image, name="code.png", fmt="PNG"):
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt)
    buffer.seek(0)
    buffer.name = name
    return buffer


def test_urls_are_stable():
    assert reverse("core:twoddoc_verify") == URL
    assert reverse("core:twoddoc_certificates") == "/2d-doc/certificats/"
    assert reverse("core:twoddoc_trust_list") == "/2d-doc/certificats.pem"


def test_page_is_public(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Vérifier un 2D-Doc" in response.content.decode()


def test_pasted_text_authentic_shows_named_fields(client):
    text = twoddoc.encode("A8", cession_fields())
    response = client.post(URL, {"texte": twoddoc.visible(text)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Authentique : la signature est valide et émise par le portail." in page
    assert "fr-alert--success" in page
    assert "Nom patronymique de l’acheteur" in page and "DUBOIS" in page
    assert "A8 — Certificat de cession électronique" in page
    assert response.context["result"].authentic


def test_uploaded_photo_of_the_code(client):
    text = twoddoc.encode("Z1", cpi_fields())
    picture = twoddoc.datamatrix.image(text).convert("RGB")
    response = client.post(URL, {"image": _png(picture, "photo.jpg", "JPEG")})
    assert response.context["result"].authentic
    assert "Certificat provisoire d’immatriculation (CPI)" in response.content.decode()


def test_forged_text_says_why_and_hides_the_fields(client):
    text = twoddoc.encode("A8", cession_fields()).replace("C6DUBOIS", "C6DUPONT")
    response = client.post(URL, {"texte": text})
    page = response.content.decode()
    assert "Signature invalide : le contenu a été modifié" in page
    assert "fr-alert--error" in page
    assert 'id="champs"' not in page


def test_unknown_certificate_message(client):
    other, _ = keys.generate_development_key("FR00", "XX99")
    from titres.core.twoddoc.header import Header
    from titres.core.twoddoc.message import US, encode
    from titres.core.twoddoc.signature import sign

    body = Header(4, "FR00", "XX99", None, None, "A8").to_text()
    body += encode(twoddoc.CESSION, cession_fields())
    response = client.post(URL, {"texte": body + US + sign(other, body)})
    page = response.content.decode()
    assert "Certificat inconnu : ce 2D-Doc n’a pas été signé" in page
    assert "autorité FR00, certificat XX99" in page


def test_expired_document_is_shown_with_a_warning(client):
    import datetime as dt

    text = twoddoc.encode(
        "Z1", cpi_fields(**{"08": dt.date(2020, 1, 1)}), emission_date=dt.date(2019, 12, 1)
    )
    page = client.post(URL, {"texte": text}).content.decode()
    assert "le document est expiré" in page
    assert "fin de validité le 01/01/2020" in page
    assert "fr-alert--warning" in page
    assert 'id="champs"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Collez le texte du 2D-Doc ou joignez une photo du code."),
        ({"texte": "   "}, "Collez le texte du 2D-Doc ou joignez une photo du code."),
        (
            {"texte": "X" * 4001},
            "Assurez-vous que cette valeur comporte au plus 4000 caractères (actuellement 4001).",
        ),
    ],
)
def test_bad_input_messages(client, data, message):
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["result"] is None


def test_text_and_photo_together_are_refused(client):
    text = twoddoc.encode("A8", cession_fields())
    picture = twoddoc.datamatrix.image(text)
    response = client.post(URL, {"texte": text, "image": _png(picture)})
    assert "Choisissez l’un ou l’autre : le texte ou la photo du code." in response.content.decode()


def test_unreadable_text_is_explained(client):
    page = client.post(URL, {"texte": "bonjour"}).content.decode()
    assert "Texte illisible : ce n’est pas un 2D-Doc conforme." in page
    assert "le texte ne commence pas par « DC » (marqueur 2D-Doc)" in page


def test_photo_without_code(client):
    response = client.post(URL, {"image": _png(Image.new("RGB", (300, 300), "white"))})
    assert str(forms.NO_CODE) in response.content.decode()
    assert response.context["result"] is None


def test_file_that_is_not_an_image(client):
    upload = io.BytesIO(b"%PDF-1.4 not an image")
    upload.name = "document.pdf"
    response = client.post(URL, {"image": upload})
    assert "Ce fichier n’est pas une image PNG, JPEG ou WebP." in response.content.decode()


def test_gif_is_not_accepted(client):
    response = client.post(URL, {"image": _png(Image.new("L", (40, 40), 255), "a.gif", "GIF")})
    assert "Ce fichier n’est pas une image PNG, JPEG ou WebP." in response.content.decode()


def test_too_many_pixels_is_refused_before_decoding(client):
    # 5000 x 4000 white pixels compress to a few kilobytes.
    response = client.post(URL, {"image": _png(Image.new("L", (5000, 4000), 255))})
    assert (
        "L’image dépasse 16 millions de pixels : recadrez-la sur le code."
        in response.content.decode()
    )


def test_file_over_5_mb_is_refused(client, settings):
    noise = Image.frombytes("L", (2400, 2400), __import__("os").urandom(2400 * 2400))
    upload = _png(noise)
    assert len(upload.getvalue()) > forms.MAX_UPLOAD_BYTES
    response = client.post(URL, {"image": upload})
    assert response.status_code == 413
    assert (
        "La photo dépasse 5 Mo : réduisez-la ou recadrez-la sur le code."
        in response.content.decode()
    )


def test_oversize_check_of_the_form_itself(client, monkeypatch):
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 1000)
    text = twoddoc.encode("A8", cession_fields())
    upload = _png(twoddoc.datamatrix.image(text))
    assert len(upload.getvalue()) > 1000
    response = client.post(URL, {"image": upload})
    assert "La photo dépasse 5 Mo" in response.content.decode()


def test_rate_limit(client, monkeypatch):
    from titres.core.twoddoc import views

    monkeypatch.setattr(views, "VERIFY_LIMIT", "2/minute")
    text = twoddoc.encode("A8", cession_fields())
    assert client.post(URL, {"texte": text}).status_code == 200
    assert client.post(URL, {"texte": text}).status_code == 200
    response = client.post(URL, {"texte": text})
    assert response.status_code == 429
    assert "Trop de vérifications depuis votre adresse" in response.content.decode()
    assert response.context["result"] is None


def test_csrf_is_enforced():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, {"texte": "DC04"})
    assert response.status_code == 403


def test_certificates_page_and_files(client):
    own = keys.signing_key().trusted
    page = client.get("/2d-doc/certificats/")
    assert page.status_code == 200
    content = page.content.decode()
    assert own.fingerprint in content and "FR00" in content and "TD01" in content
    bundle = client.get("/2d-doc/certificats.pem")
    assert bundle["Content-Type"] == "application/x-pem-file"
    assert x509.load_pem_x509_certificates(bundle.content) == [own.certificate]
    der = client.get("/2d-doc/certificats/FR00TD01.der")
    assert der["Content-Type"] == "application/pkix-cert"
    assert x509.load_der_x509_certificate(der.content) == own.certificate
    pem = client.get("/2d-doc/certificats/fr00td01.pem")
    assert x509.load_pem_x509_certificate(pem.content) == own.certificate
    assert client.get("/2d-doc/certificats/FR00XX99.der").status_code == 404
    assert client.get("/2d-doc/certificats/FR00TD01.txt").status_code == 404
    assert client.get("/2d-doc/certificats/FR00TD011.der").status_code == 404
    assert client.post("/2d-doc/certificats.pem").status_code == 405
