"""A purchase declared without the barred certificate's scan (a batch
line) gets it afterwards from « Mon stock », checked as on the déclaration
d'achat (type, size, pixels, pages, antivirus), journaled, never replaced."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.accounts.factories import HabilitationFactory, UserFactory
from tests.procedures import samples
from tests.procedures.test_validation import _png_bomb
from titres.accounts.enums import HabilitationStatus
from titres.core.models import AuditEvent
from titres.vehicules.professionnels.models import StockVehicle

from .test_pro_list_operations import bought as bought_by_batch
from .test_pro_stock import bought, pdf_text, pro, scan

pytestmark = pytest.mark.django_db

MISSING = (
    "Déposez le scan du certificat d’immatriculation barré et signé par le vendeur "
    "(mention « vendu le … à … »)."
)
THREE_PAGES = (
    "« Certificat d’immatriculation barré » : 2 pages maximum (ce fichier en compte 3, "
    "0 déjà déposée(s))."
)


@pytest.fixture
def clamd(settings):
    """The engine's antivirus pointed at a local clamd that finds EICAR."""
    from tests.procedures.fake_clamd import FakeClamd

    server = FakeClamd()
    settings.CLAMAV_URL = server.url
    settings.CLAMAV_TIMEOUT = "5"
    yield server
    server.close()


def url(entry):
    return reverse("vehicules:pro_stock_certificat", args=[entry.pk])


def form_errors(response) -> list[str]:
    return list(response.context["form"].errors.get("certificat_barre", []))


def test_a_batch_purchase_gets_its_scan_from_the_stock(client):
    habilitation = pro(client)
    entry = bought_by_batch(habilitation)
    assert entry.by_batch and not entry.certificate_scan
    stock = client.get(reverse("vehicules:pro_stock")).content.decode()
    assert url(entry) in stock and "Ajouter le scan du certificat barré" in stock
    page = client.get(url(entry))
    assert page.status_code == 200 and entry.registration_number in page.content.decode()
    response = client.post(url(entry), {"certificat_barre": scan(pages=2, name="cg barré.pdf")})
    assert response.status_code == 302 and response.url == reverse("vehicules:pro_stock")
    entry.refresh_from_db()
    assert entry.certificate_scan and entry.certificate_scan.name.startswith("vehicules/achats/")
    assert (entry.certificate_scan_name, entry.certificate_scan_pages) == ("cg barré.pdf", 2)
    assert entry.certificate_scan_type == "application/pdf"
    assert len(entry.certificate_scan_sha256) == 64
    assert entry.certificate_scan.storage.exists(entry.certificate_scan.name)
    event = AuditEvent.objects.get(event="vehicules.purchase_scan_added")
    assert event.actor == habilitation.user and event.object_id == str(entry.pk)
    assert event.data["certificat_barre"] == {"pages": 2, "sha256": entry.certificate_scan_sha256}
    assert event.data["par_lot"] is True
    # The accusé now fingerprints it; the stock no longer offers to add it.
    accuse = pdf_text(client.get(reverse("vehicules:pro_stock_accuse", args=[entry.pk])).content)
    assert "cg barré.pdf" in accuse and entry.certificate_scan_sha256 in accuse
    assert url(entry) not in client.get(reverse("vehicules:pro_stock")).content.decode()


@pytest.mark.parametrize(
    "upload, message",
    [
        (None, MISSING),
        (
            SimpleUploadedFile("cg.txt", b"vendu le 01/12 a Garage", "text/plain"),
            "Format non accepté : le fichier doit être une image JPG, PNG, BMP, TIFF ou un PDF.",
        ),
        (SimpleUploadedFile("cg.pdf", samples.pdf(3), "application/pdf"), THREE_PAGES),
        (
            SimpleUploadedFile("cg.png", _png_bomb(30000, 30000), "image/png"),
            "L’image est trop grande (plus de 50 millions de pixels) : réduisez sa résolution "
            "avant de la déposer.",
        ),
    ],
    ids=["missing", "not-a-scan", "three-pages", "too-many-pixels"],
)
def test_scan_refusals(client, upload, message):
    habilitation = pro(client)
    entry = bought_by_batch(habilitation)
    response = client.post(url(entry), {"certificat_barre": upload} if upload else {})
    assert response.status_code == 400
    assert form_errors(response) == [message]
    entry.refresh_from_db()
    assert not entry.certificate_scan and entry.certificate_scan_pages == 0
    assert not AuditEvent.objects.filter(event="vehicules.purchase_scan_added").exists()


def test_scan_over_the_size_limit_is_refused(client, settings):
    settings.PROCEDURES_MAX_UPLOAD_BYTES = 1024 * 1024
    entry = bought_by_batch(pro(client))
    big = SimpleUploadedFile("cg.pdf", samples.pdf(1) + b"%" * (1024 * 1024), "application/pdf")
    response = client.post(url(entry), {"certificat_barre": big})
    assert form_errors(response) == ["Le fichier dépasse la taille maximale autorisée (1 Mo)."]
    entry.refresh_from_db()
    assert not entry.certificate_scan


def test_an_infected_scan_is_refused(client, clamd):
    from tests.procedures.fake_clamd import infected_png

    entry = bought_by_batch(pro(client))
    response = client.post(
        url(entry), {"certificat_barre": SimpleUploadedFile("cg.png", infected_png())}
    )
    assert form_errors(response) == [
        "« Certificat d’immatriculation barré » : un fichier infecté a été supprimé, "
        "déposez-en un autre."
    ]
    assert clamd.received
    entry.refresh_from_db()
    assert not entry.certificate_scan


def test_a_deposited_scan_is_never_replaced(client):
    habilitation = pro(client)
    entry = bought(habilitation)  # on screen, with its scan
    before = (entry.certificate_scan.name, entry.certificate_scan_sha256)
    assert url(entry) not in client.get(reverse("vehicules:pro_stock")).content.decode()
    response = client.post(url(entry), {"certificat_barre": scan(pages=1, name="autre.pdf")})
    assert response.status_code == 400
    assert form_errors(response) == [
        "Le scan du certificat barré de cet achat est déjà déposé : il ne peut pas être remplacé."
    ]
    entry.refresh_from_db()
    assert (entry.certificate_scan.name, entry.certificate_scan_sha256) == before
    assert not AuditEvent.objects.filter(event="vehicules.purchase_scan_added").exists()


def test_another_professionals_purchase_is_404(client):
    pro(client)
    theirs = bought_by_batch(HabilitationFactory(organisation_name="Autre garage"))
    assert client.get(url(theirs)).status_code == 404
    assert client.post(url(theirs), {"certificat_barre": scan()}).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.certificate_scan


def test_a_suspended_professional_and_other_profiles_are_refused(client):
    habilitation = pro(client)
    entry = bought_by_batch(habilitation)
    habilitation.status = HabilitationStatus.SUSPENDUE
    habilitation.save()
    assert client.get(url(entry)).status_code == 404
    assert client.post(url(entry), {"certificat_barre": scan()}).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url(entry)).status_code == 404
    entry.refresh_from_db()
    assert not entry.certificate_scan
    habilitation.status = HabilitationStatus.ACTIVE
    habilitation.save()
    client.force_login(habilitation.user)
    assert client.get(url(entry)).status_code == 200
    assert StockVehicle.objects.get(pk=entry.pk).by_batch
