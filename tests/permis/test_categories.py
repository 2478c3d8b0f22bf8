"""The dated table of categories: minimum ages by birth date, prerequisites,
documents each case needs."""

from datetime import date

import pytest

from titres.permis.inscription import categories as cat
from titres.permis.inscription.rules import (
    ASSR,
    AVIS_MEDICAL,
    JDC,
    MANDAT,
    document_rules_for,
)


def test_every_category_has_a_sourced_rule_in_force():
    table = cat.table()
    assert list(table.categories) == [
        "AM", "A1", "A2", "A", "B1", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"
    ]  # fmt: skip
    for code, entry in table.categories.items():
        rule = entry.rule_on(date(2025, 1, 1))
        assert rule.source.strip(), code


@pytest.mark.parametrize(
    ("on", "expected"),
    [(date(2023, 12, 31), 18), (date(2024, 1, 1), 17), (date(2030, 5, 5), 17)],
)
def test_b_at_17_since_2024(on, expected):
    assert cat.table().rule("B", on).min_age == expected


@pytest.mark.parametrize(
    ("birth", "errors"),
    [
        (date(2008, 3, 10), 0),  # 17 today
        (date(2008, 3, 11), 1),  # 17 tomorrow
    ],
)
def test_b_age_boundary_by_birth_date(birth, errors):
    found = cat.category_errors(["B"], birth_date=birth, on=date(2025, 3, 10))
    assert len(found) == errors
    if errors:
        assert found == [
            "La catégorie B est ouverte à partir de 17 ans : le candidat aura cet âge le 11/03/2025."
        ]


def test_before_2024_b_needed_18():
    errors = cat.category_errors(["B"], birth_date=date(2006, 6, 1), on=date(2023, 12, 31))
    assert errors == [
        "La catégorie B est ouverte à partir de 18 ans : le candidat aura cet âge le 01/06/2024."
    ]


def test_aac_from_15():
    on = date(2025, 3, 10)
    assert cat.category_errors(["B"], birth_date=date(2010, 3, 10), on=on, aac=True) == []
    assert cat.category_errors(["B"], birth_date=date(2010, 3, 11), on=on, aac=True) == [
        "La catégorie B est ouverte à partir de 15 ans : le candidat aura cet âge le 11/03/2025."
    ]
    # Without AAC the same candidate is too young.
    assert cat.category_errors(["B"], birth_date=date(2010, 3, 10), on=on)


def test_born_29_february_is_one_year_older_on_1_march():
    assert cat.age_on(date(2008, 2, 29), date(2025, 2, 28)) == 16
    assert cat.age_on(date(2008, 2, 29), date(2025, 3, 1)) == 17


def test_prerequisite_not_held():
    errors = cat.category_errors(["BE"], birth_date=date(1990, 1, 1), on=date(2025, 1, 1))
    assert errors == [
        "La catégorie BE suppose d’être déjà titulaire de la catégorie B : demandez d’abord "
        "la catégorie B."
    ]


def test_prerequisite_held_long_enough():
    on = date(2025, 1, 1)
    birth = date(1990, 1, 1)
    assert cat.category_errors(["A"], birth_date=birth, on=on, held={"A2": date(2023, 1, 1)}) == []
    assert cat.category_errors(["A"], birth_date=birth, on=on, held={"A2": date(2023, 1, 2)}) == [
        "La catégorie A suppose d’être titulaire de la catégorie A2 depuis 2 ans : possible à "
        "partir du 02/01/2025."
    ]


def test_category_already_held():
    errors = cat.category_errors(
        ["B"], birth_date=date(1990, 1, 1), on=date(2025, 1, 1), held={"B": date(2010, 1, 1)}
    )
    assert errors == ["Le candidat est déjà titulaire de la catégorie B."]


@pytest.mark.parametrize(
    ("categories", "medical"), [(["B"], False), (["C1"], True), (["A2", "D"], True)]
)
def test_medical_opinion_for_heavy_categories(categories, medical):
    assert cat.medical_required(categories, date(2025, 1, 1)) is medical


@pytest.mark.parametrize(("birth", "assr"), [(date(1987, 12, 31), False), (date(1988, 1, 1), True)])
def test_assr_for_candidates_born_from_1988(birth, assr):
    rules = document_rules_for(
        birth_date=birth, categories=["B"], on=date(2025, 1, 1), by_school=False
    )
    assert (ASSR in rules) is assr


@pytest.mark.parametrize(
    ("birth", "jdc"),
    [
        (date(2008, 1, 2), False),  # 16 on 01/01/2025
        (date(2008, 1, 1), True),  # 17
        (date(1999, 1, 2), True),  # 25
        (date(1999, 1, 1), False),  # 26
    ],
)
def test_jdc_certificate_from_17_to_25(birth, jdc):
    rules = document_rules_for(
        birth_date=birth, categories=["B"], on=date(2025, 1, 1), by_school=False
    )
    assert (JDC in rules) is jdc


def test_documents_of_a_school_and_a_heavy_category():
    rules = document_rules_for(
        birth_date=date(1980, 1, 1), categories=["C1"], on=date(2025, 1, 1), by_school=True
    )
    assert [r.code for r in rules] == ["identite", "domicile", "avis_medical", "mandat"]
    assert AVIS_MEDICAL in rules and MANDAT in rules


def test_table_refuses_a_rule_without_source():
    data = {
        "general": {},
        "category": {"B": {"label": "B", "rules": [{"from": "2024-01-01", "min_age": 17}]}},
    }
    with pytest.raises(ValueError, match="without source"):
        cat.parse_table(data)


def test_table_refuses_rules_out_of_order():
    rules = [
        {"from": "2024-01-01", "min_age": 17, "source": "x"},
        {"from": "2013-01-01", "min_age": 18, "source": "y"},
    ]
    with pytest.raises(ValueError, match="date order"):
        cat.parse_table({"general": {}, "category": {"B": {"label": "B", "rules": rules}}})
