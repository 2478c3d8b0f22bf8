import gzip

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from titres.permis.communes import (
    COMMUNES_FILE,
    default_prefecture,
    departement_for_postal_code,
    load_reference_data,
    prefecture_choices,
    search_communes,
    validate_postal_code_commune,
)
from titres.permis.models import Commune, Departement

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_reference_tables_are_loaded_by_the_migration():
    assert Departement.objects.count() == 101
    assert Commune.objects.count() > 35000
    assert Commune.objects.filter(postal_code="54000", name="Nancy", insee_code="54395").exists()


def test_the_committed_file_is_compact_and_has_a_header():
    assert COMMUNES_FILE.stat().st_size < 1_000_000
    with gzip.open(COMMUNES_FILE, "rt", encoding="utf-8") as handle:
        assert handle.readline().strip() == "code_postal,code_insee,nom,departement"


def test_reload_command_is_idempotent():
    before = Commune.objects.count()
    call_command("load_communes", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Commune.objects.count() == before
    assert load_reference_data()[1] == 101


@pytest.mark.parametrize(
    ("postal_code", "commune"),
    [
        ("54000", "Nancy"),
        ("54000", "NANCY"),
        ("75011", "paris"),
        ("42000", "St-Etienne"),
        ("42000", "Saint-Étienne"),
        ("54000", "54395"),
        (" 54000 ", " Nancy "),
    ],
)
def test_postal_code_and_commune_match(postal_code, commune):
    result = validate_postal_code_commune(postal_code, commune)
    assert isinstance(result, Commune)


def test_postal_code_and_commune_mismatch_message():
    with pytest.raises(ValidationError) as error:
        validate_postal_code_commune("54000", "Metz")
    assert error.value.messages == [
        "La commune « Metz » ne correspond pas au code postal 54000. "
        "Communes de ce code postal : Nancy."
    ]
    assert error.value.code == "postal_code_commune_mismatch"


def test_postal_code_format_and_unknown():
    with pytest.raises(ValidationError) as error:
        validate_postal_code_commune("5400", "Nancy")
    assert error.value.messages == ["Le code postal doit comporter 5 chiffres."]
    with pytest.raises(ValidationError) as error:
        validate_postal_code_commune("00000", "Nancy")
    assert error.value.messages == ["Le code postal 00000 n’existe pas."]


def test_default_prefecture_from_postal_code():
    assert departement_for_postal_code("54000") == "54"
    assert departement_for_postal_code("20000") == "2A"  # Ajaccio
    dept = default_prefecture(departement_for_postal_code("54000"))
    assert dept.prefecture_name == "Nancy"
    assert dept.prefecture_label == "Préfecture de Nancy (54)"
    assert default_prefecture("69").prefecture_name == "Lyon"
    assert default_prefecture("") is None
    assert ("974", "Préfecture de Saint-Denis (974)") in prefecture_choices()


def test_search_by_name_prefix():
    names = [c.name for c in search_communes("vandoeuvre")]
    assert "Vandœuvre-lès-Nancy" in names
    assert list(search_communes("a")) == []
    assert {c.postal_code for c in search_communes("5400")} == {"54000"}


def _client(client):
    client.force_login(UserFactory())
    return client


def test_communes_endpoint_by_postal_code(client):
    response = _client(client).get(reverse("permis:communes"), {"code_postal": "75011"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {
                "code_postal": "75011",
                "code_insee": "75056",
                "nom": "Paris",
                "departement": "75",
                "prefecture": "Préfecture de Paris (75)",
            }
        ]
    }


def test_communes_endpoint_several_communes(client):
    results = _client(client).get("/permis/communes/", {"code_postal": "54110"}).json()["results"]
    assert len(results) > 5
    assert all(r["code_postal"] == "54110" for r in results)


def test_communes_endpoint_query_and_bad_input(client):
    client = _client(client)
    results = client.get("/permis/communes/", {"q": "nancy"}).json()["results"]
    assert {"Nancy"} <= {r["nom"] for r in results}
    assert client.get("/permis/communes/", {"code_postal": "540"}).json() == {"results": []}
    assert client.get("/permis/communes/", {"q": ""}).json() == {"results": []}


def test_communes_endpoint_requires_login(client):
    response = client.get("/permis/communes/", {"code_postal": "75011"})
    assert response.status_code == 302
