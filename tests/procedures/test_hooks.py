"""Extension points of the engine used by the procedure apps: confirmation
page, links on the file's page, hooks receiving the actor and the request,
the abandon hook, the production failure, stale drafts and the summary
formatted without re-validating the forms."""

import dataclasses
from datetime import timedelta
from io import StringIO

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from titres.procedures import services
from titres.procedures.enums import Role, Status
from titres.procedures.models import Demarche, StatusChange
from titres.procedures.registry import (
    FormStep,
    Link,
    file_links,
    register_file_link,
    register_procedure,
    unregister_file_link,
)
from titres.procedures.tasks import expire_drafts_task
from titres.procedures.workflow import TransitionRefused, apply_transition

from . import toy
from .factories import AuthorityFactory, DemarcheFactory

pytestmark = pytest.mark.django_db


def _step(demarche, slug):
    return reverse("procedures:step", args=[demarche.number, slug])


def _register(**changes):
    """The toy procedure with some hooks replaced (unregistered after the
    test by the autouse fixture of conftest.py)."""
    definition = dataclasses.replace(toy.definition(), **changes)
    register_procedure(definition, replace=True)
    return definition


def _submit(client, demarche):
    return client.post(_step(demarche, "recapitulatif"), {"attestation": "on", "action": "submit"})


def _ready_draft(owner):
    AuthorityFactory(code="543", departements=["54"])
    return DemarcheFactory(owner=owner, with_documents=True)


# --- Confirmation page -------------------------------------------------------------


def test_confirmation_url_of_the_procedure_after_submit(client, citizen):
    _register(confirmation_url=lambda d: f"/ailleurs/{d.number}/")
    demarche = _ready_draft(citizen)
    response = _submit(client, demarche)
    assert response.status_code == 302 and response.url == f"/ailleurs/{demarche.number}/"
    assert Demarche.objects.get(pk=demarche.pk).status == Status.EN_COURS
    # The engine's generic page leads to the procedure's own page.
    generic = client.get(reverse("procedures:confirmation", args=[demarche.number]))
    assert generic.url == f"/ailleurs/{demarche.number}/"
    # "Valider" sent twice shows the confirmation again, nothing changes.
    assert _submit(client, demarche).url == f"/ailleurs/{demarche.number}/"
    assert StatusChange.objects.filter(demarche=demarche, event="soumettre").count() == 1
    # A GET of a step of the frozen file still leads to its page.
    assert client.get(_step(demarche, "recapitulatif")).url == reverse(
        "procedures:detail", args=[demarche.number]
    )


def test_confirmation_url_returning_none_uses_the_engine_page(client, citizen):
    _register(confirmation_url=lambda d: None)
    demarche = _ready_draft(citizen)
    response = _submit(client, demarche)
    assert response.url == reverse("procedures:confirmation", args=[demarche.number])
    assert client.get(response.url).status_code == 200


# --- Links on the file's page --------------------------------------------------------


def test_links_of_the_procedure_and_of_other_apps_on_the_file_page(client, citizen):
    seen = []

    def provider(demarche, user):
        seen.append((demarche.number, user.pk))
        if demarche.status != Status.EN_COURS:
            return []
        return [Link(label="Attestation d’essai", url="/attestation-essai/")]

    _register(
        links=lambda d: [
            Link(label="Reçu d’essai", url="/recu-essai.pdf", detail="PDF", download=True)
        ]
    )
    register_file_link(provider)
    register_file_link(provider)  # twice: no duplicate
    try:
        demarche = DemarcheFactory(owner=citizen, submitted=True)
        page = client.get(reverse("procedures:detail", args=[demarche.number]))
        assert "Documents à télécharger" in page.text
        assert 'href="/recu-essai.pdf" download>Reçu d’essai' in page.text
        assert '<span class="fr-link__detail">PDF</span>' in page.text
        assert 'href="/attestation-essai/"' in page.text
        assert seen == [(demarche.number, citizen.pk)]
        assert [link.label for link in file_links(demarche, citizen)] == [
            "Reçu d’essai",
            "Attestation d’essai",
        ]
    finally:
        unregister_file_link(provider)
    page = client.get(reverse("procedures:detail", args=[demarche.number]))
    assert "/attestation-essai/" not in page.text


def test_no_links_no_section(client, citizen):
    demarche = DemarcheFactory(owner=citizen, submitted=True)
    page = client.get(reverse("procedures:detail", args=[demarche.number]))
    assert "Documents à télécharger" not in page.text


# --- Hooks get the actor and the request ------------------------------------------------


def test_on_save_and_on_submitted_receive_actor_and_request(client, citizen):
    calls = []

    def on_save(demarche, data, *, actor, request):
        calls.append(("on_save", actor, request.path))

    def on_submitted(demarche, **kwargs):
        calls.append(("on_submitted", kwargs["actor"], kwargs["request"].path))

    definition = toy.definition()
    steps = [
        dataclasses.replace(s, on_save=on_save) if s.slug == "contact" else s
        for s in definition.steps
    ]
    _register(steps=steps, on_submitted=on_submitted)
    demarche = _ready_draft(citizen)
    client.post(_step(demarche, "contact"), {"commentaire": "", "action": "next"})
    _submit(client, demarche)
    assert calls == [
        ("on_save", citizen, _step(demarche, "contact")),
        ("on_submitted", citizen, _step(demarche, "recapitulatif")),
    ]


def test_a_hook_with_a_misspelt_parameter_fails_loudly(client, citizen):
    """One signature for every hook: a hook naming `acteur` instead of
    `actor` is a TypeError, not a hook silently given nothing."""

    def on_submitted(demarche, *, acteur, request):  # misspelt on purpose
        raise AssertionError("never called")

    _register(on_submitted=on_submitted)
    demarche = _ready_draft(citizen)
    with pytest.raises(TypeError, match="actor"):
        services.submit_demarche(demarche=demarche, actor=citizen)


def test_validation_error_of_on_submitted_cancels_the_submission(client, citizen):
    def on_submitted(demarche, *, actor, request):
        raise ValidationError("Le timbre a expiré entre-temps.")

    _register(on_submitted=on_submitted)
    demarche = _ready_draft(citizen)
    page = _submit(client, demarche)
    assert page.status_code == 400
    assert "Le timbre a expiré entre-temps." in page.text
    demarche.refresh_from_db()
    assert demarche.status == Status.BROUILLON and demarche.submitted_at is None
    assert not StatusChange.objects.filter(demarche=demarche).exists()
    with pytest.raises(TransitionRefused, match="Le timbre a expiré entre-temps.") as refused:
        services.submit_demarche(demarche=demarche, actor=citizen)
    assert refused.value.errors == [("", "Le timbre a expiré entre-temps.")]


# --- Abandon hook -----------------------------------------------------------------------


def test_on_abandoned_runs_for_the_citizen_and_the_system(client, citizen):
    calls = []
    _register(on_abandoned=lambda d, *, actor: calls.append((d.number, d.status, actor)))
    draft = DemarcheFactory(owner=citizen)
    client.post(reverse("procedures:abandon", args=[draft.number]))
    assert calls == [(draft.number, Status.ABANDONNEE, citizen)]

    submitted = DemarcheFactory(owner=citizen, submitted=True)
    services.abandon_demarche(demarche=submitted, actor=citizen)
    assert calls[-1] == (submitted.number, Status.ABANDONNEE, citizen)

    stale = DemarcheFactory(owner=citizen)
    Demarche.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - timedelta(days=91))
    services.expire_drafts()
    assert calls[-1] == (stale.number, Status.ABANDONNEE, None)
    assert len(calls) == 3


def test_on_abandoned_not_called_for_other_transitions(citizen):
    calls = []
    _register(on_abandoned=lambda d, *, actor: calls.append(d.number))
    demarche = DemarcheFactory(owner=citizen, in_production=True)
    apply_transition(demarche=demarche, event="terminer", actor=None, role=Role.SYSTEME)
    assert calls == []


# --- Production failure ---------------------------------------------------------------


def test_production_failure_goes_back_to_validated_with_its_cause(
    django_capture_on_commit_callbacks, mailoutbox
):
    demarche = DemarcheFactory(in_production=True)
    with pytest.raises(
        TransitionRefused, match="La cause de l’échec de fabrication est obligatoire."
    ):
        apply_transition(demarche=demarche, event="echec_production", actor=None, role=Role.SYSTEME)
    assert Demarche.objects.get(pk=demarche.pk).status == Status.EN_PRODUCTION
    with django_capture_on_commit_callbacks(execute=True):
        change = apply_transition(
            demarche=demarche,
            event="echec_production",
            actor=None,
            role=Role.SYSTEME,
            comment="Puce défectueuse",
        )
    assert demarche.status == Status.VALIDEE
    assert change.label.startswith("Fabrication du titre en échec")
    assert change.comment == "Puce défectueuse" and change.actor is None
    assert len(mailoutbox) == 1
    # The file can be sent to production again.
    apply_transition(
        demarche=demarche, event="transmettre_production", actor=None, role=Role.SYSTEME
    )
    assert demarche.status == Status.EN_PRODUCTION


# --- Stale drafts ---------------------------------------------------------------------


def _age(demarche, days):
    Demarche.objects.filter(pk=demarche.pk).update(updated_at=timezone.now() - timedelta(days=days))


def test_expire_drafts_abandons_only_stale_drafts(settings, django_capture_on_commit_callbacks):
    settings.PROCEDURES_DRAFT_TTL_DAYS = 30
    stale = DemarcheFactory()
    fresh = DemarcheFactory()
    old_submitted = DemarcheFactory(submitted=True)
    _age(stale, 31)
    _age(fresh, 29)
    _age(old_submitted, 400)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_drafts() == [stale.number]
    assert Demarche.objects.get(pk=stale.pk).status == Status.ABANDONNEE
    assert Demarche.objects.get(pk=fresh.pk).status == Status.BROUILLON
    assert Demarche.objects.get(pk=old_submitted.pk).status == Status.EN_COURS
    change = StatusChange.objects.get(demarche=stale)
    assert change.event == "expirer_brouillon" and change.actor_role == Role.SYSTEME
    assert change.actor is None
    assert change.comment == "Sans modification depuis plus de 30 jours."
    # Nothing left to do the second time.
    assert services.expire_drafts() == []


def test_expire_drafts_default_is_90_days_and_env(settings, monkeypatch):
    del settings.PROCEDURES_DRAFT_TTL_DAYS  # not set: environment, then 90
    monkeypatch.delenv("PROCEDURES_DRAFT_TTL_DAYS", raising=False)
    draft = DemarcheFactory()
    _age(draft, 89)
    assert services.expire_drafts() == []
    _age(draft, 91)
    monkeypatch.setenv("PROCEDURES_DRAFT_TTL_DAYS", "100")
    assert services.expire_drafts() == []
    monkeypatch.delenv("PROCEDURES_DRAFT_TTL_DAYS")
    assert services.expire_drafts() == [draft.number]


def test_a_draft_saved_meanwhile_is_not_expired():
    draft = DemarcheFactory()
    _age(draft, 100)
    ids = list(services.stale_drafts().values_list("pk", flat=True))
    assert ids == [draft.pk]
    Demarche.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
    assert services.expire_drafts() == []


def test_expire_drafts_command_and_task():
    draft = DemarcheFactory()
    _age(draft, 10)
    out = StringIO()
    call_command("expire_drafts", "--jours", "30", stdout=out)
    assert "0 brouillon(s) abandonné(s) après 30 jours sans modification." in out.getvalue()
    call_command("expire_drafts", "--jours", "7", stdout=out)
    assert "1 brouillon(s) abandonné(s) après 7 jours sans modification." in out.getvalue()
    with pytest.raises(CommandError, match="La durée doit être un nombre de jours positif."):
        call_command("expire_drafts", "--jours", "0")

    other = DemarcheFactory()
    _age(other, 10)
    result = expire_drafts_task.enqueue(days=7)
    assert result.return_value == {"brouillons_abandonnes": 1, "numeros": [other.number]}


# --- Summary formatted from the stored answers ----------------------------------------


class _SideEffectForm(DsfrBaseForm):
    cleaned = []

    jour = forms.DateField(label="Jour")
    prenoms = forms.JSONField(label="Prénoms")
    accord = forms.BooleanField(label="Accord", required=False)
    couleur = forms.ChoiceField(label="Couleur", choices=[("b", "Bleu"), ("r", "Rouge")])

    def clean(self):
        self.cleaned.append(True)
        return super().clean()


def test_form_summary_formats_stored_answers_without_validating():
    step = FormStep(slug="essai", title="Essai", form_class=_SideEffectForm)
    demarche = Demarche(
        answers={
            "essai": {
                "jour": "2024-03-02",
                "prenoms": ["Pierre", "Paul"],
                "accord": True,
                "couleur": "r",
            }
        }
    )
    assert step.summary(demarche) == [
        ("Jour", "02/03/2024"),
        ("Prénoms", "Pierre, Paul"),
        ("Accord", "Oui"),
        ("Couleur", "Rouge"),
    ]
    assert _SideEffectForm.cleaned == []
