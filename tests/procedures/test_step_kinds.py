"""A new kind of step is a Step subclass declared in its own app (here in
the test): the engine's generic step view dispatches to its `handle`
without knowing it (issue 13, item 2)."""

import dataclasses

import pytest
from django import forms
from django.urls import reverse
from dsfr.forms import DsfrBaseForm

from titres.procedures.enums import Category, Status
from titres.procedures.models import Demarche
from titres.procedures.registry import (
    ProcedureDefinition,
    Step,
    SummaryStep,
    register_procedure,
    unregister_procedure,
)
from titres.procedures.stepping import StepRequest

from .factories import AuthorityFactory

pytestmark = pytest.mark.django_db

CODE = "toy-rendez-vous"
SLOTS = [("2026-12-10T09:00", "Jeudi 10 décembre, 9 h 00"), ("2026-12-10T09:30", "9 h 30")]
FULL = "2026-12-10T09:30"  # taken by someone else between the page and the click


class SlotForm(DsfrBaseForm):
    creneau = forms.ChoiceField(
        label="Créneau de rendez-vous",
        choices=SLOTS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez un créneau."},
    )


@dataclasses.dataclass(kw_only=True)
class SlotStep(Step):
    """An appointment slot picker: not a FormStep; it answers its requests
    itself and books through its own check (here: one slot is full)."""

    resumes_until_saved = True

    def handle(self, step_request: StepRequest):
        form = SlotForm(data=step_request.data, initial=self._stored(step_request.demarche))
        if not step_request.action:
            return step_request.render({"form": form})
        if form.is_valid():
            if form.cleaned_data["creneau"] == FULL:
                form.add_error(
                    "creneau", "Ce créneau vient d’être réservé : choisissez-en un autre."
                )
            else:
                return step_request.save({"creneau": form.cleaned_data["creneau"]})
        return step_request.render({"form": form}, status=400)

    def _stored(self, demarche):
        return (demarche.answers or {}).get(self.slug) or {}

    def validate(self, demarche):
        return [] if self._stored(demarche).get("creneau") else ["Choisissez un créneau."]

    def summary(self, demarche):
        return [("Créneau", dict(SLOTS).get(self._stored(demarche).get("creneau"), ""))]


@pytest.fixture
def rendez_vous():
    authority = AuthorityFactory()
    register_procedure(
        ProcedureDefinition(
            code=CODE,
            category=Category.IDENTITE,
            title="Rendez-vous d’essai",
            steps=[
                SlotStep(slug="creneau", title="Créneau"),
                SummaryStep(slug="recapitulatif", title="Récapitulatif"),
            ],
            authority_resolver=lambda demarche: authority,
        ),
        replace=True,
    )
    yield
    unregister_procedure(CODE)


def _url(demarche, slug):
    return reverse("procedures:step", args=[demarche.number, slug])


def test_a_step_kind_declared_outside_the_engine_walks_through_the_wizard(
    rendez_vous, client, citizen
):
    response = client.post(reverse("procedures:start", args=[CODE]))
    demarche = Demarche.objects.get(owner=citizen, procedure_code=CODE)
    assert response.url == _url(demarche, "creneau")

    page = client.get(_url(demarche, "creneau"))
    assert page.status_code == 200
    assert "Jeudi 10 décembre, 9 h 00" in page.text and "Étape 1 sur 2" in page.text

    # Refusals of the step's own validation: nothing is saved.
    missing = client.post(_url(demarche, "creneau"), {"action": "next"})
    assert missing.status_code == 400 and "Choisissez un créneau." in missing.text
    full = client.post(_url(demarche, "creneau"), {"creneau": FULL, "action": "next"})
    assert full.status_code == 400
    assert "Ce créneau vient d’être réservé : choisissez-en un autre." in full.text
    demarche.refresh_from_db()
    assert "creneau" not in (demarche.answers or {})
    # A draft resumes at the first step of a kind that asks answers never saved.
    assert client.get(reverse("procedures:resume", args=[demarche.number])).url == _url(
        demarche, "creneau"
    )

    saved = client.post(_url(demarche, "creneau"), {"creneau": SLOTS[0][0], "action": "next"})
    assert saved.status_code == 302 and saved.url == _url(demarche, "recapitulatif")
    demarche.refresh_from_db()
    assert demarche.answers["creneau"] == {"creneau": SLOTS[0][0]}

    # The récapitulatif lists the new kind's summary, and submits.
    recap = client.get(_url(demarche, "recapitulatif"))
    assert "Jeudi 10 décembre, 9 h 00" in recap.text
    submitted = client.post(
        _url(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"}
    )
    assert submitted.url == reverse("procedures:confirmation", args=[demarche.number])
    demarche.refresh_from_db()
    assert demarche.status == Status.EN_COURS

    # Once submitted, the step no longer changes the file.
    late = client.post(_url(demarche, "creneau"), {"creneau": SLOTS[1][0], "action": "next"})
    assert late.url == reverse("procedures:detail", args=[demarche.number])
    demarche.refresh_from_db()
    assert demarche.answers["creneau"] == {"creneau": SLOTS[0][0]}


def test_the_new_kind_is_refused_at_submission_when_left_empty(rendez_vous, client, citizen):
    client.post(reverse("procedures:start", args=[CODE]))
    demarche = Demarche.objects.get(owner=citizen, procedure_code=CODE)
    refused = client.post(
        _url(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"}
    )
    assert refused.status_code == 400 and "Choisissez un créneau." in refused.text
    demarche.refresh_from_db()
    assert demarche.status == Status.BROUILLON


def test_the_engine_view_names_no_step_kind():
    import inspect

    from titres.procedures import views

    assert ".kind" not in inspect.getsource(views.step)
    assert "kind ==" not in inspect.getsource(views)
