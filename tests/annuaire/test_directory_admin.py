import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from tests.accounts.conftest import verified_login
from tests.accounts.factories import HabilitationFactory
from titres.annuaire.models import DirectoryEntry, ImportReport
from titres.core.models import AuditEvent

pytestmark = pytest.mark.django_db

IMPORT_URL = "/gestion/annuaire/importreport/importer/"
CSV = (
    "type;identifiant;nom;adresse;code_postal;commune\n"
    "photographe;AGR-1;Studio;1 place Ducale;08000;Charleville-Mézières\n"
    "cabine;AGR-2;Cabine;Gare;99999;Nulle-Part\n"
)


@pytest.fixture
def operator_client(operator):
    client = Client()
    verified_login(client, operator)
    return client


def test_operator_imports_and_reads_the_report_line_by_line(operator_client):
    response = operator_client.post(
        IMPORT_URL, {"fichier": SimpleUploadedFile("lieux.csv", CSV.encode("utf-8"))}
    )
    report = ImportReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/gestion/annuaire/importreport/{report.pk}/change/"
    page = operator_client.get(response["Location"]).content.decode()
    assert "créée" in page
    assert "Le code postal 99999 n’existe pas." in page
    assert (report.created_count, report.rejected_count) == (1, 1)


def test_an_unreadable_file_is_refused_next_to_the_field(operator_client):
    response = operator_client.post(
        IMPORT_URL, {"fichier": SimpleUploadedFile("lieux.csv", b"nom\nx\n")}
    )
    assert response.status_code == 200
    assert "Colonnes obligatoires absentes de la première ligne" in response.content.decode()
    assert not ImportReport.objects.exists()


def test_a_citizen_cannot_import(citizen, client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/gestion/login/" in response["Location"]


def test_operator_gives_a_garage_its_address_and_it_is_journaled(operator_client, operator):
    habilitation = HabilitationFactory(organisation_name="Garage du Centre")
    entry = DirectoryEntry.objects.get(habilitation=habilitation)
    url = f"/gestion/annuaire/directoryentry/{entry.pk}/change/"
    data = {
        "name": "Garage du Centre",
        "address": "12 avenue Jean Jaurès",
        "postal_code": "08000",
        "commune": "charleville-mezieres",
        "latitude": "",
        "longitude": "",
        "phone": "",
        "opening_hours": "",
        "appointment_url": "",
    }
    response = operator_client.post(url, {**data, "commune": "Sedan"})
    assert response.status_code == 200
    assert "ne correspond pas au code postal 08000" in response.content.decode()
    response = operator_client.post(url, data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.commune == "Charleville-Mézières" and entry.insee_code == "08105"
    assert entry.latitude is not None
    event = AuditEvent.objects.get(event="annuaire.directory_entry_changed")
    assert event.actor_id == operator.pk
    assert "address" in event.data["fields"]


def test_sync_command_rebuilds_the_derived_rows():
    habilitation = HabilitationFactory()
    DirectoryEntry.objects.all().delete()
    out = io.StringIO()
    call_command("sync_annuaire", stdout=out)
    assert "1 habilitation(s)" in out.getvalue()
    assert DirectoryEntry.objects.filter(habilitation=habilitation).exists()


def test_demo_loads_the_example_file_and_is_idempotent():
    from titres.annuaire import demo

    first = demo.load()
    count = DirectoryEntry.objects.count()
    second = demo.load()
    assert DirectoryEntry.objects.count() == count >= 12
    assert first[0].identifier == "/annuaire/?lieu=08000"
    assert "lieux" in second[0].note
