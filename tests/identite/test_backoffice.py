"""The ID pré-demande's back-office hooks (titres/identite/procedure/backoffice.py):
the search values and the person from its own answers, and the register of
issued titles beside the former title the request declares."""

from datetime import date

import pytest

from tests.procedures.factories import DemarcheFactory
from titres.identite.audit import IdentiteEvent
from titres.identite.enums import TitleKind
from titres.identite.models import IssuedTitle
from titres.identite.procedure.definition import CODE
from titres.procedures.hooks import agent_panel_of, person_of, search_values_of

pytestmark = pytest.mark.django_db


def _file(motif="perte", numero="X4RTBPFW4"):
    return DemarcheFactory(
        procedure_code=CODE,
        answers={
            "titre": {"titre": "cni", "motif": motif, "pour_qui": "majeur"},
            "etat_civil": {
                "nom_naissance": "Lefèvre",
                "nom_usage": "",
                "prenoms": ["Anne", "Marie"],
                "sexe": "F",
                "date_naissance": "1990-05-04",
                "commune_naissance": "Lyon",
            },
            "adresse": {"code_postal": "69003"},
            "ancien_titre": {"numero": numero, "date_delivrance": "2015-06-01"},
        },
    )


def test_search_values_and_person_come_from_the_pre_demande():
    demarche = _file()
    values = search_values_of(demarche)
    assert (values.last_name, list(values.first_names), values.birth_date) == (
        "Lefèvre",
        ["Anne", "Marie"],
        date(1990, 5, 4),
    )
    assert (values.sex, values.reference, values.motif, values.postal_code) == (
        "F",
        "X4RTBPFW4",
        "perte",
        "69003",
    )
    person = person_of(demarche)
    assert person.display_name == "LEFÈVRE Anne, Marie" and person.birth_place == "Lyon"


def test_the_register_is_compared_with_the_former_title():
    title = IssuedTitle.objects.create(
        number="X4RTBPFW4",
        kind=TitleKind.CNI,
        issued_on=date(2015, 6, 2),
        expires_on=date(2035, 6, 2),
    )
    panel = agent_panel_of(_file())
    rows = {row.label: row for row in panel.rows}
    assert rows["Numéro du titre précédent"].recorded == "X4RTBPFW4"
    assert rows["Date de délivrance"].differs  # 01/06 declared, 02/06 in the register
    # Declared lost, still valid in the register: highlighted.
    assert rows["État du titre"].recorded == "Valide" and rows["État du titre"].differs
    assert panel.consultation.event == IdentiteEvent.REGISTER_VIEWED
    assert panel.consultation.target == title


def test_unknown_former_title_and_first_request():
    panel = agent_panel_of(_file(numero="ZZZZ"))
    assert panel.missing == "Aucun titre délivré ne porte ce numéro."
    assert panel.consultation is None
    assert agent_panel_of(_file(motif="premiere")) is None
