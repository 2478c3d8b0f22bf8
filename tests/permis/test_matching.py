from datetime import date

import pytest

from titres.core.normalisation import normalise_commune, normalise_name
from titres.permis.matching import MatchMethod
from titres.permis.models import LicenceRecord
from titres.permis.services import licence_refusal_reason, match_snpc_record

from .factories import LicenceRecordFactory

pytestmark = pytest.mark.django_db

DECLARED = {
    "birth_name": "Corneille",
    "first_names": ["Pierre"],
    "sex": "M",
    "birth_date": date(1956, 1, 1),
    "birth_commune": "Nancy",
    "birth_departement": "54",
}


def test_normalisation_ignores_accents_case_and_separators():
    assert normalise_name("  Lefèvre-D’Almeida ") == "LEFEVRE D ALMEIDA"
    assert normalise_name("Œuvray") == "OEUVRAY"
    assert normalise_commune("St-Étienne") == normalise_commune("SAINT ETIENNE")


def test_normalised_columns_are_stored():
    record = LicenceRecordFactory(
        birth_name="Müller", usage_name="Lefèvre", first_names="Zoé, Anne-Marie"
    )
    record.refresh_from_db()
    assert record.birth_name_normalised == "MULLER"
    assert record.usage_name_normalised == "LEFEVRE"
    assert record.first_names_normalised == "ZOE,ANNE MARIE"
    assert record.first_names_list == ["Zoé", "Anne-Marie"]


def test_exact_match_by_neph():
    record = LicenceRecordFactory()
    LicenceRecordFactory()  # same civil status, other file
    result = match_snpc_record(neph=record.neph, civil_status=DECLARED)
    assert result.record == record
    assert result.method == MatchMethod.NEPH
    assert result.is_exact
    assert result.differences == []


def test_match_by_neph_lists_the_differences():
    record = LicenceRecordFactory()
    declared = {**DECLARED, "birth_name": "Corneile", "birth_date": "1956-01-02", "sex": "F"}
    result = match_snpc_record(neph=record.neph, civil_status=declared)
    assert result.record == record
    assert not result.is_exact
    by_field = {d.field: d for d in result.differences}
    assert set(by_field) == {"birth_name", "birth_date", "sex"}
    assert by_field["birth_name"].declared == "Corneile"
    assert by_field["birth_name"].recorded == "CORNEILLE"
    assert by_field["birth_name"].label == "Nom de naissance"
    assert by_field["birth_date"].recorded == "1956-01-01"
    assert result.as_dict()["differences"][0]["label"]


def test_match_by_civil_status_regardless_of_accents_and_case():
    record = LicenceRecordFactory(birth_name="LEFÈVRE", first_names="Hélène, Marie", sex="F")
    LicenceRecordFactory(birth_name="LEFEVRE", first_names="Hélène", birth_date=date(1960, 1, 1))
    result = match_snpc_record(
        civil_status={
            "birth_name": "lefevre",
            "first_names": ["helene", "MARIE"],
            "sex": "F",
            "birth_date": "1956-01-01",
        }
    )
    assert result.record == record
    assert result.method == MatchMethod.CIVIL_STATUS
    assert result.differences == []


def test_match_by_usage_name():
    record = LicenceRecordFactory(birth_name="DA SILVA", usage_name="TESSIER", sex="F")
    result = match_snpc_record(
        civil_status={"birth_name": "Tessier", "birth_date": date(1956, 1, 1)}
    )
    assert result.record == record
    assert [d.field for d in result.differences] == ["birth_name"]


def test_unknown_neph_falls_back_to_civil_status_and_flags_it():
    record = LicenceRecordFactory()
    result = match_snpc_record(neph="1234 5678 9012", civil_status=DECLARED)
    assert result.record == record
    assert result.method == MatchMethod.CIVIL_STATUS
    assert result.differences[0].field == "neph"
    assert result.differences[0].recorded == record.neph
    assert result.notes == [
        "Aucun dossier ne porte le numéro 123456789012 : recherche par état civil."
    ]
    assert not result.is_exact


def test_several_candidates_are_not_chosen_silently():
    LicenceRecordFactory(first_names="Pierre")
    LicenceRecordFactory(first_names="Pierre")
    result = match_snpc_record(civil_status=DECLARED)
    assert result.record is None
    assert result.ambiguous
    assert len(result.candidates) == 2
    assert result.notes == ["2 dossiers correspondent à cet état civil : vérification manuelle."]


def test_first_names_break_ties():
    pierre = LicenceRecordFactory(first_names="Pierre")
    LicenceRecordFactory(first_names="Thomas")
    result = match_snpc_record(civil_status=DECLARED)
    assert result.record == pierre


def test_no_match():
    result = match_snpc_record(civil_status={**DECLARED, "birth_name": "Racine"})
    assert not result.found
    assert result.method == MatchMethod.NONE
    assert result.notes == ["Aucun dossier du fichier national ne correspond à cet état civil."]


def test_born_abroad_difference():
    record = LicenceRecordFactory(
        birth_commune="Lisbonne", birth_departement="", birth_country="Portugal"
    )
    result = match_snpc_record(
        neph=record.neph, civil_status={"birth_country": "Espagne", "birth_departement": ""}
    )
    assert [(d.field, d.declared, d.recorded) for d in result.differences] == [
        ("birth_country", "Espagne", "Portugal")
    ]


def test_refusal_reasons():
    assert licence_refusal_reason(None) is None
    assert licence_refusal_reason(LicenceRecordFactory()) is None
    suspended = LicenceRecordFactory(suspended=True)
    assert licence_refusal_reason(suspended) == (
        "Votre permis de conduire fait l’objet d’une suspension en cours d’exécution "
        f"jusqu’au {suspended.suspension_end:%d/%m/%Y} : vous ne pouvez pas demander de "
        "nouveau titre pendant la suspension."
    )
    assert licence_refusal_reason(LicenceRecordFactory(suspended=True, suspension_end=None)) == (
        "Votre permis de conduire fait l’objet d’une suspension en cours d’exécution : "
        "vous ne pouvez pas demander de nouveau titre pendant la suspension."
    )
    assert licence_refusal_reason(LicenceRecordFactory(cancelled=True)).startswith(
        "Votre permis de conduire a été annulé"
    )
    assert licence_refusal_reason(LicenceRecordFactory(invalidated=True)).startswith(
        "Votre permis de conduire a été invalidé (solde de points nul)"
    )


def test_search_index_is_used_by_name_and_birth_date():
    index_names = {index.name for index in LicenceRecord._meta.indexes}
    assert {"permis_rec_birthname", "permis_rec_usagename"} <= index_names
