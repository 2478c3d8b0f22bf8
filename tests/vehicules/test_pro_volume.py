"""The professional's list (filters, sort, pages), its CSV export and the
bulk ZIP download built by a background task."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from tests.accounts.factories import HabilitationFactory
from titres.core.models import AuditEvent
from titres.procedures.enums import Status
from titres.vehicules.professionnels import downloads
from titres.vehicules.professionnels.listing import PAGE_SIZE
from titres.vehicules.professionnels.models import BulkDownload, JobState

from .factories import VehicleFactory
from .pro import garage
from .pro_factories import client_file

pytestmark = pytest.mark.django_db


def listed(browser, **params):
    response = browser.get(reverse("vehicules:pro_demarches"), params)
    assert response.status_code == 200
    return [d.number for d in response.context["files"]], response


def test_filters_by_status_plate_client_and_dates(client):
    owner = garage(client).user
    a = client_file(owner, last_name="LEROY", vehicle=VehicleFactory(plate="AB123CD"), days_ago=10)
    b = client_file(owner, last_name="FONTAINE", status=Status.TERMINEE, days_ago=3)
    c = client_file(owner, last_name="LEROUX", status=Status.BROUILLON, days_ago=0)
    assert set(listed(client)[0]) == {a.number, b.number, c.number}
    assert listed(client, statut="TERMINEE")[0] == [b.number]
    assert listed(client, plaque="ab-123")[0] == [a.number]
    assert set(listed(client, client="ler")[0]) == {a.number, c.number}
    day = lambda d: f"{d.created_at:%d/%m/%Y}"  # noqa: E731
    assert set(listed(client, du=day(b))[0]) == {b.number, c.number}
    assert listed(client, du=day(a), au=day(a))[0] == [a.number]
    assert listed(client, procedure="vehicule-changement-titulaire")[0]


def test_bad_filters_say_why(client):
    garage(client)
    _numbers, response = listed(client, du="02/12/2026", au="01/12/2026", statut="X")
    page = response.content.decode()
    assert "La date de fin doit être postérieure à la date de début." in page
    assert "Sélectionnez un choix valide. X n’en fait pas partie." in page


def test_sort_by_client_and_number(client):
    owner = garage(client).user
    names = ["DURAND", "ABEL", "MARTIN"]
    files = {name: client_file(owner, last_name=name) for name in names}
    numbers, response = listed(client, tri="client")
    assert numbers == [files[n].number for n in sorted(names)]
    assert listed(client, tri="-client")[0] == [
        files[n].number for n in sorted(names, reverse=True)
    ]
    assert listed(client, tri="numero")[0] == sorted(f.number for f in files.values())
    assert 'aria-sort="ascending"' in response.content.decode()


def test_pages_are_bounded(client):
    owner = garage(client).user
    for _i in range(PAGE_SIZE + 2):
        client_file(owner)
    first, response = listed(client)
    assert len(first) == PAGE_SIZE and "Page suivante" in response.content.decode()
    assert len(listed(client, page=2)[0]) == 2
    # Out-of-range or garbage page numbers land on a real page.
    assert len(listed(client, page=999999)[0]) == 2
    assert len(listed(client, page="x")[0]) == PAGE_SIZE


def test_another_professionals_files_are_not_listed(client):
    mine = garage(client).user
    other = HabilitationFactory(organisation_name="Autre").user
    client_file(other, last_name="ETRANGER")
    client_file(mine, last_name="LEROY")
    numbers, response = listed(client)
    assert len(numbers) == 1 and "ETRANGER" not in response.content.decode()


def test_csv_export_is_formula_escaped_and_filtered(client):
    owner = garage(client).user
    client_file(owner, last_name='=HYPERLINK("http://x")', first_names="+Paul")
    client_file(owner, last_name="LEROY", status=Status.TERMINEE)
    response = client.get(reverse("vehicules:pro_export_csv"), {"statut": "EN_COURS"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == [
        "Numéro (démarche ou enregistrement)",
        "Démarche",
        "Immatriculation",
        "Nom du client",
    ]
    assert len(rows) == 2
    assert rows[1][3] == '\'=HYPERLINK("http://x")' and rows[1][4] == "'+Paul"
    assert AuditEvent.objects.filter(event="vehicules.pro_files_exported").count() == 1


def test_bulk_download_builds_a_zip_with_progress(client, django_capture_on_commit_callbacks):
    owner = garage(client).user
    filed = [client_file(owner, last_name=name) for name in ("ABEL", "BRUN", "COLIN")]
    client_file(owner, status=Status.BROUILLON)  # a draft has no CPI: left out
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("vehicules:pro_telechargement_demander"), {})
    download = BulkDownload.objects.get()
    assert response.url == reverse("vehicules:pro_telechargement", args=[download.pk])
    assert download.state == JobState.PRETE and download.done == download.total == 3
    state = client.get(reverse("vehicules:pro_telechargement_etat", args=[download.pk])).json()
    assert state == {
        "etat": "prete",
        "libelle": "Prête",
        "faites": 3,
        "total": 3,
        "pourcentage": 100,
    }
    page = client.get(response.url).content.decode()
    assert "L’archive est prête" in page
    archive = client.get(reverse("vehicules:pro_telechargement_archive", args=[download.pk]))
    content = b"".join(archive.streaming_content)
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert len(names) == 6
    for demarche in filed:
        record = demarche.changement_titulaire
        assert any(n.endswith(f"cpi-{record.cpi_number}.pdf") for n in names)
        assert any(n.endswith(f"accuse-{demarche.display_number}.pdf") for n in names)
    assert AuditEvent.objects.filter(event="vehicules.pro_bulk_download_requested").count() == 1


def test_bulk_download_in_progress_shows_a_progress_bar(client):
    owner = garage(client).user
    download = BulkDownload.objects.create(owner=owner, numbers=["X"], total=4, done=1)
    page = client.get(reverse("vehicules:pro_telechargement", args=[download.pk])).content.decode()
    assert '<progress id="progression"' in page and 'value="1" max="4"' in page
    assert "En attente : 1 / 4 (25 %)" in page
    response = client.get(reverse("vehicules:pro_telechargement_archive", args=[download.pk]))
    assert response.status_code == 404


def test_bulk_download_refusals(client, settings):
    owner = garage(client).user
    response = client.post(reverse("vehicules:pro_telechargement_demander"), {}, follow=True)
    assert "Aucune démarche déposée dans la sélection : rien à télécharger." in (
        response.content.decode()
    )
    client_file(owner)
    for _i in range(downloads.MAX_PENDING):
        BulkDownload.objects.create(owner=owner, numbers=["X"], total=1)
    response = client.post(reverse("vehicules:pro_telechargement_demander"), {}, follow=True)
    assert "Trois téléchargements sont déjà en préparation" in response.content.decode()


def test_bulk_download_too_large(client, monkeypatch):
    owner = garage(client).user
    monkeypatch.setattr(downloads, "MAX_FILES", 2)
    for _i in range(3):
        client_file(owner)
    response = client.post(reverse("vehicules:pro_telechargement_demander"), {}, follow=True)
    assert "La sélection compte plus de 2 démarches déposées" in response.content.decode()


def test_another_professionals_download_is_404(client):
    owner = garage(client).user
    download = BulkDownload.objects.create(
        owner=owner, numbers=["X"], total=1, state=JobState.PRETE
    )
    client.force_login(HabilitationFactory(organisation_name="Autre").user)
    for name in ("pro_telechargement", "pro_telechargement_etat", "pro_telechargement_archive"):
        assert client.get(reverse(f"vehicules:{name}", args=[download.pk])).status_code == 404
