"""Issue 13 item 1: a procedure the back office has never heard of — a toy
declared here, in the test — gets its search values, its person, its agent
panel (registry comparison, decision before validation, journaled
consultation) and its work-list badge through the hooks of
ProcedureDefinition alone, without a line of titres/instruction/."""

from datetime import date

import pytest
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone

from tests.procedures.factories import DemarcheFactory
from titres.core.audit import AuditCode
from titres.core.models import AuditEvent
from titres.instruction.models import DemarcheSearchEntry
from titres.procedures.backoffice import (
    AgentPanel,
    ComparisonRow,
    Consultation,
    Decision,
    Person,
    ReviewFlag,
    SearchValues,
)
from titres.procedures.enums import Category, Status
from titres.procedures.registry import (
    FormStep,
    ProcedureDefinition,
    register_procedure,
    unregister_procedure,
)

pytestmark = pytest.mark.django_db

CODE = "toy-bateau"


class ToyEvent(AuditCode):
    REGISTRY_VIEWED = "tests.toy_registry_viewed"


def _answers(demarche) -> dict:
    # The toy's own layout: nothing the back office could guess.
    return (demarche.answers or {}).get("proprietaire") or {}


def toy_search_values(demarche):
    owner = _answers(demarche)
    return SearchValues(
        last_name=owner.get("patronyme", ""),
        first_names=owner.get("petits_noms", []),
        birth_date=date.fromisoformat(owner["ne_le"]) if owner.get("ne_le") else None,
        reference=owner.get("coque", ""),
        motif=owner.get("pourquoi", ""),
        postal_code=owner.get("port", ""),
    )


def toy_person(demarche):
    owner = _answers(demarche)
    return Person(
        last_name=owner.get("patronyme", ""),
        first_names=owner.get("petits_noms", []),
        details=[("Numéro de coque", owner.get("coque", ""))],
    )


def toy_panel(demarche):
    owner = _answers(demarche)
    recorded = "LE GOFF" if owner.get("coque") == "BR-1234" else ""
    differs = bool(recorded) and recorded != owner.get("patronyme")
    return AgentPanel(
        title="Consultation du registre des bateaux",
        caption="Demande et registre des bateaux",
        declared_label="Déclaré",
        recorded_label="Registre",
        rows=[
            ComparisonRow(
                label="Propriétaire",
                declared=owner.get("patronyme", ""),
                recorded=recorded,
                differs=differs,
            )
        ],
        missing="" if recorded else "Coque inconnue du registre.",
        differences=["Propriétaire"] if differs else [],
        decision_choices=[
            Decision(value="registre", label="Le registre a raison", retained="registre retenu")
        ],
        decision_question="Qui a raison ?",
        decision_message="Dites qui a raison avant de valider.",
        decision_comment="Écart vérifié (%(fields)s) : %(retained)s.",
        consultation=Consultation(
            event=ToyEvent.REGISTRY_VIEWED, target=demarche, data={"coque": owner.get("coque")}
        )
        if recorded
        else None,
    )


TOY_FLAG = ReviewFlag(
    label="Coque à vérifier",
    expression=lambda: ExpressionWrapper(
        Q(answers__proprietaire__coque="BR-1234"), output_field=BooleanField()
    ),
)


@pytest.fixture
def toy():
    from django import forms

    class Form(forms.Form):
        patronyme = forms.CharField(label="Patronyme")

    register_procedure(
        ProcedureDefinition(
            code=CODE,
            category=Category.PERMIS,
            title="Permis bateau (jouet)",
            steps=[FormStep(slug="proprietaire", title="Propriétaire", form_class=Form)],
            search_values=toy_search_values,
            person=toy_person,
            agent_panel=toy_panel,
            review_flag=TOY_FLAG,
            motifs=[("naufrage", "Naufrage du titre")],
        )
    )
    yield
    unregister_procedure(CODE)


def _file(authority, **owner):
    data = {
        "patronyme": "Kerouac",
        "petits_noms": ["Jean", "Louis"],
        "ne_le": "1922-03-12",
        "coque": "BR-1234",
        "pourquoi": "naufrage",
        "port": "29200",
        **owner,
    }
    return DemarcheFactory(
        procedure_code=CODE,
        status=Status.EN_COURS,
        authority=authority,
        answers={"proprietaire": data},
        submitted_at=timezone.now(),
    )


def test_the_toy_is_indexed_and_found_by_its_own_values(toy, agent_client, authority):
    demarche = _file(authority)
    entry = DemarcheSearchEntry.objects.get(demarche=demarche)
    assert (entry.last_name, entry.first_names, entry.reference, entry.departement) == (
        "KEROUAC",
        "JEAN,LOUIS",
        "BR1234",
        "29",
    )
    url = reverse("instruction:search", args=[authority.code])
    for params in (
        {"nom": "kérouac"},
        {"reference": "br 1234"},
        {"date_naissance": "1922-03-12"},
        {"motif": "naufrage"},
    ):
        page = agent_client.get(url, params).content.decode()
        assert demarche.display_number in page, params
    assert "Naufrage du titre" in page  # the motif's label, from the toy's `motifs`
    assert demarche.display_number not in agent_client.get(url, {"nom": "autre"}).content.decode()


def test_the_toy_has_its_panel_person_and_journaled_consultation(toy, agent_client, authority):
    demarche = _file(authority, patronyme="Kerouac")
    page = agent_client.get(reverse("instruction:detail", args=[demarche.number])).content.decode()
    assert "Consultation du registre des bateaux" in page
    assert "Consultation SNPC" not in page
    assert page.count('class="titres-diff"') == 1 and "différences signalées" in page
    assert "KEROUAC Jean, Louis" in page and "Numéro de coque : BR-1234" in page
    assert "Photo et signature" not in page  # the toy has no photo hook
    event = AuditEvent.objects.get(event="tests.toy_registry_viewed")
    assert event.data == {"coque": "BR-1234", "demarche": demarche.number}


def test_the_toy_decides_before_validation(toy, agent_client, authority):
    demarche = _file(authority)
    url = reverse("instruction:action", args=[demarche.number, "valider"])
    page = agent_client.post(url, {}, follow=True).content.decode()
    assert "Dites qui a raison avant de valider." in page
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS
    agent_client.post(url, {"decision": "registre"})
    demarche.refresh_from_db()
    assert demarche.status == Status.VALIDEE
    assert demarche.history.last().comment == "Écart vérifié (Propriétaire) : registre retenu."


def test_the_toy_without_registry_record_says_so_and_validates_in_one_click(
    toy, agent_client, authority
):
    demarche = _file(authority, coque="XX-0000")
    page = agent_client.get(reverse("instruction:detail", args=[demarche.number])).content.decode()
    assert "Coque inconnue du registre." in page
    assert not AuditEvent.objects.filter(event="tests.toy_registry_viewed").exists()
    agent_client.post(reverse("instruction:action", args=[demarche.number, "valider"]))
    demarche.refresh_from_db()
    assert demarche.status == Status.VALIDEE


def test_the_toy_flags_its_rows_on_the_work_list(toy, agent_client, authority):
    flagged = _file(authority)
    plain = _file(authority, coque="XX-0000", patronyme="Autre")
    page = agent_client.get(
        reverse("instruction:worklist", args=[authority.code]) + "?onglet=toutes"
    ).content.decode()
    assert page.count("Coque à vérifier") == 1
    row = page[page.index(flagged.display_number) :]
    assert "Coque à vérifier" in row[: row.index("</tr>")]
    assert plain.display_number in page
