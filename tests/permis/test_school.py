"""The driving school's space (issue 19): its candidates' files with their
state (status, NEPH, exams, card), filters, search, pages, CSV export —
the files it filed and nobody else's."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from tests.procedures.factories import DemarcheFactory
from titres.permis import exams
from titres.permis.enums import LicenceState
from titres.permis.models import LicenceRequest
from titres.permis.school import PAGE_SIZE

from .factories import LicenceRecordFactory, LicenceTitleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _file(school, code, *, name, status="EN_COURS", record=None, **kwargs):
    demarche = DemarcheFactory(
        owner=school,
        procedure_code=code,
        status=status,
        answers={},
        acting_for={"type": "candidat", "nom_naissance": name, "prenoms": ["Camille"]},
        **kwargs,
    )
    LicenceRequest.objects.create(demarche=demarche, motif="x", record=record, match_method="neph")
    return demarche


@pytest.fixture
def school(client):
    user = UserFactory(profile="auto_ecole")
    client.force_login(user)
    return user


@pytest.fixture
def files(school):
    registered = LicenceRecordFactory(
        birth_name="LEFORT", first_names="Camille", birth_date=date(2007, 5, 14),
        state=LicenceState.EN_FORMATION, points_balance=0,
    )  # fmt: skip
    exams.record_theory_test(record=registered, taken_on=date(2025, 1, 10), passed=True, centre="N")
    exams.record_practical_test(
        record=registered, category="B", taken_on=date(2025, 3, 2), passed=False, centre="N"
    )
    holder = LicenceRecordFactory(birth_name="MARTIN", first_names="Léa")
    LicenceTitleFactory(record=holder, number="25AB00001", issued_on=date(2025, 6, 1))
    return {
        "inscription": _file(school, "permis-inscription", name="LEFORT", record=registered),
        "draft": _file(school, "permis-inscription", name="DUPONT", status="BROUILLON"),
        "fabrication": _file(
            school, "permis-fabrication", name="MARTIN", status="TERMINEE", record=holder
        ),
        "extension": _file(school, "permis-extension", name="=cmd|calc", status="EN_PRODUCTION"),
    }


def test_list_shows_each_files_state(client, files):
    page = client.get(reverse("permis:candidates"))
    assert page.status_code == 200
    text = page.text
    for demarche in files.values():
        assert demarche.display_number in text
    assert files["inscription"].licence_request.record.neph_display in text
    assert "Code réussi le 10/01/2025" in text and "B : échec le 02/03/2025" in text
    assert "N° 25AB00001 du 01/06/2025" in text
    assert "En fabrication" in text and "Extension de catégorie" in text
    assert "4 demandes" in text


def test_filters_and_search(client, files):
    url = reverse("permis:candidates")
    page = client.get(url, {"demande": "permis-fabrication"})
    assert files["fabrication"].display_number in page.text
    assert files["inscription"].display_number not in page.text
    page = client.get(url, {"statut": "BROUILLON"})
    assert files["draft"].display_number in page.text and "1 demande" in page.text
    page = client.get(url, {"q": "lefort"})
    assert files["inscription"].display_number in page.text
    assert files["draft"].display_number not in page.text
    page = client.get(url, {"q": files["inscription"].licence_request.record.neph_display})
    assert files["inscription"].display_number in page.text and "1 demande" in page.text
    page = client.get(url, {"q": "personne"})
    assert "Aucune demande ne correspond à ces filtres." in page.text


def test_bad_filter_values_are_ignored_not_a_crash(client, files):
    page = client.get(reverse("permis:candidates"), {"statut": "NIMPORTE", "q": "x" * 500})
    assert page.status_code == 200
    assert "Sélectionnez un choix valide" in page.text


def test_pages_of_25(client, school):
    for index in range(PAGE_SIZE + 2):
        _file(school, "permis-inscription", name=f"CANDIDAT{index:02d}")
    first = client.get(reverse("permis:candidates"))
    assert "1 / 2" in first.text and "Page suivante" in first.text
    second = client.get(reverse("permis:candidates"), {"page": 2})
    assert second.text.count("CANDIDAT") == 2


def test_csv_export_content(client, files):
    response = client.get(reverse("permis:candidates_export"), {"statut": "TERMINEE"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Numéro", "Déposée le", "Demande", "Candidat", "Date de naissance", "Statut", "NEPH",
        "Dossier SNPC", "Examens", "Titre",
    ]  # fmt: skip
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == files["fabrication"].display_number
    assert row[2:4] == ["Fabrication du titre", "MARTIN Camille"]
    assert row[6] == files["fabrication"].licence_request.record.neph_display
    assert row[9] == "N° 25AB00001 du 01/06/2025"
    everything = client.get(reverse("permis:candidates_export")).content.decode("utf-8")
    assert "'=cmd|calc Camille" in everything  # no spreadsheet formula


def test_a_school_sees_only_its_own_files(client, files):
    other = UserFactory(profile="auto_ecole")
    client.force_login(other)
    page = client.get(reverse("permis:candidates"))
    assert "Aucune demande pour le moment." in page.text
    for demarche in files.values():
        assert demarche.display_number not in page.text
    export = client.get(reverse("permis:candidates_export")).content.decode("utf-8")
    assert len(export.strip().splitlines()) == 1


@pytest.mark.parametrize("profile", ["particulier", "centre_sensibilisation", "pro_siv"])
def test_other_profiles_get_404(client, profile):
    client.force_login(UserFactory(profile=profile))
    assert client.get(reverse("permis:candidates")).status_code == 404
    assert client.get(reverse("permis:candidates_export")).status_code == 404


def test_query_count_does_not_grow_with_rows(client, school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("permis:candidates")).status_code == 200
        return len(queries)

    record = LicenceRecordFactory()
    _file(school, "permis-inscription", name="UN", record=record)
    count()
    one = count()
    for index in range(9):
        _file(school, "permis-inscription", name=f"N{index}", record=LicenceRecordFactory())
    count()
    assert count() == one
