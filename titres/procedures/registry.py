"""The catalogue of téléprocédures and the wizard's building blocks.

A procedure app (permis, vehicules, identite) declares its procedures once,
usually in `AppConfig.ready()`:

    register_procedure(ProcedureDefinition(
        code="permis-renouvellement", category=Category.PERMIS, title=_("..."),
        steps=[FormStep(...), DocumentsStep(...), SummaryStep(...)],
        document_rules=rules_for, authority_resolver=..., before_submit=...,
    ))

See docs/procedures.md for the whole extension API.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from . import unsaved
from .backoffice import AgentPanel, Person, Photo, ReviewFlag, SearchValues
from .documents import document_errors, rules_with_documents
from .enums import Category
from .rules import DocumentRule
from .stepping import StepRequest, SubmissionRefused

if TYPE_CHECKING:
    from .models import Authority, Demarche

Answers = dict[str, dict[str, Any]]


class ProcedureNotFound(LookupError):
    pass


@dataclass(frozen=True, kw_only=True)
class Link:
    """A link shown on the citizen's file page (/demarches/<number>/), e.g.
    a receipt or an attestation to download. `detail` is the DSFR link
    detail (e.g. "PDF"); `download` adds the download attribute."""

    label: str
    url: str
    detail: str = ""
    download: bool = False


def to_json(data: dict) -> dict:
    """Cleaned form data → JSON-friendly values (dates as ISO strings...)."""
    cleaned = {}
    for key, value in data.items():
        if hasattr(value, "pk") and hasattr(value, "_meta"):
            value = value.pk
        cleaned[key] = value
    return json.loads(json.dumps(cleaned, cls=DjangoJSONEncoder))


@dataclass(kw_only=True)
class Step:
    """One page of the wizard. Subclass to customise; the common kinds are
    FormStep, DocumentsStep and SummaryStep.

    - `condition(answers)`: the step applies only when it returns True
      (answers of earlier steps decide, seed 002: "le motif conditionne les
      étapes").
    - `required`: an optional step may be left empty at submission.
    - `template_name`: replaces the default template of the step kind.
    - `on_save(demarche, data, *, actor, request)`: called inside the
      transaction after the step's answers were stored (e.g. to fill
      `acting_for`). `actor` is the user saving the step, `request` the HTTP
      request or None. Hooks take exactly these arguments: a misspelt one
      fails loudly (TypeError) instead of silently getting nothing.

    Each kind answers its own requests: `handle(step_request)` builds the
    page, validates what was sent and saves it through the StepRequest
    (procedures/stepping.py); the engine's view only dispatches. This base
    step has no form: pressing a button keeps its stored answers and moves on.
    """

    slug: str
    title: str
    condition: Callable[[Answers], bool] | None = None
    required: bool = True
    template_name: str | None = None
    on_save: Callable[..., None] | None = None
    help_text: str = ""

    default_template = "procedures/wizard/step_form.html"
    # The récapitulatif: left out of the sections listing the answers.
    is_summary = False
    # A draft resumes at the first applicable step of this kind never saved.
    resumes_until_saved = False
    # Its answers are listed on the agent's file page (documents are shown
    # in their own block there).
    answers_for_agent = True

    def handle(self, step_request: StepRequest) -> HttpResponse:
        if step_request.action:
            stored = (step_request.demarche.answers or {}).get(self.slug, {})
            return step_request.save(stored)
        return step_request.render()

    def handle_closed(self, request, demarche: Demarche, definition: ProcedureDefinition):
        """A request to this step once the file was submitted: it can no
        longer change."""
        messages.info(
            request, str(_("Cette démarche a été validée : elle ne peut plus être modifiée."))
        )
        return redirect("procedures:detail", number=demarche.number)

    def applies(self, demarche: Demarche) -> bool:
        return self.condition is None or bool(self.condition(demarche.answers or {}))

    def get_template_name(self) -> str:
        return self.template_name or self.default_template

    def validate(self, demarche: Demarche) -> list[str]:
        """Errors that prevent the final validation (empty list: complete)."""
        return []

    def summary(self, demarche: Demarche) -> list[tuple[str, str]]:
        """(label, value) pairs shown on the récapitulatif."""
        return []

    def retained_answers(self, demarche: Demarche, stored: dict) -> dict:
        """What is kept of this step's stored answers at submission (data
        minimisation: a step may drop what no longer applies)."""
        return stored


@dataclass(kw_only=True)
class FormStep(Step):
    """A step made of a Django form (subclass dsfr.forms.DsfrBaseForm).
    Answers are stored as JSON under `answers[slug]`."""

    form_class: type[forms.BaseForm]
    form_kwargs: Callable[[Demarche], dict] | None = None

    resumes_until_saved = True

    def handle(self, step_request: StepRequest) -> HttpResponse:
        form = self.get_form(step_request.demarche, data=step_request.data)
        return handle_form(self, step_request, form)

    def get_form(self, demarche: Demarche, data=None, files=None) -> forms.BaseForm:
        kwargs = self.form_kwargs(demarche) if self.form_kwargs else {}
        stored = (demarche.answers or {}).get(self.slug)
        if data is None and stored:
            kwargs.setdefault("initial", stored)
        return self.form_class(data=data, files=files, prefix=None, **kwargs)

    def clean_answers(self, form: forms.BaseForm) -> dict:
        return to_json(form.cleaned_data)

    def validate(self, demarche: Demarche) -> list[str]:
        stored = (demarche.answers or {}).get(self.slug)
        if not stored:
            return [] if not self.required else [_("Cette étape n’est pas encore remplie.")]
        form = self.get_form(demarche, data=stored)
        if form.is_valid():
            return []
        return [str(error) for errors in form.errors.values() for error in errors]

    def summary(self, demarche: Demarche) -> list[tuple[str, str]]:
        """Rows formatted from the stored JSON only: the form is built
        unbound for its labels and choices, never validated again
        (validation may be costly or have side effects, e.g. reserving a
        stamp). Lists are joined, ISO dates shown as JJ/MM/AAAA."""
        stored = (demarche.answers or {}).get(self.slug) or {}
        form = self.get_form(demarche)
        return [
            (str(field_.label), display_value(field_, stored.get(name)))
            for name, field_ in form.fields.items()
        ]


def handle_form(step: Step, step_request: StepRequest, form, extra: dict | None = None):
    """A step's form: shown with what was typed and not saved yet, saved
    when valid, kept unsaved when the citizen goes back with it incomplete.
    `step` has `clean_answers(form)`; `extra` is added to the page's context."""
    request, demarche = step_request.request, step_request.demarche
    unsaved.restore(request, demarche, step.slug, form)
    context = {"form": form, **(extra or {})}
    if not step_request.action:
        return step_request.render(context)
    if form.is_valid():
        try:
            response = step_request.save(step.clean_answers(form))
        except ValidationError as error:
            # Refused by the step's on_save (e.g. the stamp checked by the
            # form was reserved by another file meanwhile): nothing was
            # saved; the message goes on the form.
            form.add_error(None, error)
            return step_request.render(context, status=400)
        unsaved.forget(request, demarche, step.slug)
        return response
    if step_request.action == "previous" and step_request.position.previous:
        # Incomplete: keep what was typed, so going back never loses it.
        unsaved.keep(request, demarche, step.slug, form)
        return step_request.previous()
    return step_request.render(context)


def display_value(field_: forms.Field, value) -> str:
    """A stored answer as people read it on the récapitulatif."""
    if isinstance(field_, forms.BooleanField):
        return str(_("Oui") if value else _("Non"))
    if value in (None, "") or value == []:
        return ""
    choices = getattr(field_, "choices", None)
    if choices:
        labels = {str(k): v for k, v in choices if not isinstance(v, list | tuple)}
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v not in (None, ""))
    if isinstance(field_, forms.DateField) and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


@dataclass(kw_only=True)
class DocumentsStep(Step):
    """Upload of the supporting documents returned by the procedure's
    `document_rules(demarche)` (seed 002 step 5).

    Optionally a form shown with the uploads and validated with the step
    (e.g. the permis' sworn loss declaration, which replaces a document):
    `form_class` (a DsfrBaseForm), `form_kwargs(demarche)`, `form_title`
    (heading of its section) and `form_condition(answers)` (the form applies
    only when it returns True). Its cleaned data is stored under
    `answers[slug]` like a FormStep's; it is checked again at the final
    validation, listed on the récapitulatif after the documents, and dropped
    at submission when the form no longer applies."""

    form_class: type[forms.BaseForm] | None = None
    form_kwargs: Callable[[Demarche], dict] | None = None
    form_condition: Callable[[Answers], bool] | None = None
    form_title: str = ""
    form_help_text: str = ""

    default_template = "procedures/wizard/step_documents.html"
    answers_for_agent = False

    def handle(self, step_request: StepRequest) -> HttpResponse:
        form = self.get_form(step_request.demarche, data=step_request.data)
        uploads = step_request.upload_context()
        if form is not None:
            return handle_form(self, step_request, form, extra=uploads)
        if step_request.action:
            return step_request.save({})  # no form applies: nothing to keep
        return step_request.render(uploads)

    def form_applies(self, demarche: Demarche) -> bool:
        if self.form_class is None:
            return False
        return self.form_condition is None or bool(self.form_condition(demarche.answers or {}))

    def get_form(self, demarche: Demarche, data=None, files=None) -> forms.BaseForm | None:
        if not self.form_applies(demarche):
            return None
        return FormStep.get_form(self, demarche, data=data, files=files)

    def clean_answers(self, form: forms.BaseForm | None) -> dict:
        return to_json(form.cleaned_data) if form is not None else {}

    def validate(self, demarche: Demarche) -> list[str]:
        errors = list(document_errors(demarche))
        if self.form_applies(demarche):
            stored = (demarche.answers or {}).get(self.slug)
            if not stored:
                errors.append(_("Cette étape n’est pas encore remplie."))
            else:
                form = self.get_form(demarche, data=stored)
                if not form.is_valid():
                    errors += [str(error) for errs in form.errors.values() for error in errs]
        return errors

    def summary(self, demarche: Demarche) -> list[tuple[str, str]]:
        rows = [
            (str(rule.label), ", ".join(d.original_name for d in docs) or "—")
            for rule, docs in rules_with_documents(demarche)
        ]
        if self.form_applies(demarche):
            stored = (demarche.answers or {}).get(self.slug) or {}
            form = self.get_form(demarche)
            rows += [
                (str(field_.label), display_value(field_, stored.get(name)))
                for name, field_ in form.fields.items()
            ]
        return rows

    def retained_answers(self, demarche: Demarche, stored: dict) -> dict:
        return stored if self.form_applies(demarche) else {}


class AttestationForm(forms.Form):
    attestation = forms.BooleanField(required=True)

    def __init__(self, *args, label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attestation"].label = label


@dataclass(kw_only=True)
class SummaryStep(Step):
    """The récapitulatif (seed 002 step 7): every applicable step, then a
    sworn statement to tick; its "Valider" button submits the file."""

    attestation: str = _(
        "J’atteste sur l’honneur que les renseignements de la présente demande sont exacts."
    )
    warning: str = _(
        "Relisez soigneusement les informations de votre récapitulatif. Une fois validée, "
        "la pré-demande ne pourra plus être modifiée."
    )

    default_template = "procedures/wizard/step_summary.html"
    is_summary = True
    answers_for_agent = False

    def handle(self, step_request: StepRequest) -> HttpResponse:
        action = step_request.action
        if action and action != "submit":  # "previous" or "save" from the récapitulatif
            return super().handle(step_request)
        demarche = step_request.demarche
        form = self.get_form(demarche, data=step_request.data)
        errors: list[tuple[str, str]] = []
        if action == "submit" and form.is_valid():
            try:
                return step_request.submit()
            except SubmissionRefused as refusal:
                errors = refusal.errors
        problems: dict[str, list[str]] = {}
        for step_slug, message in errors:
            problems.setdefault(step_slug, []).append(message)
        context = {
            "form": form,
            "errors": errors,
            "sections": [
                (s, s.summary(demarche), problems.get(s.slug, []))
                for s in step_request.position.steps
                if not s.is_summary
            ],
            "general_errors": problems.get("", []),
        }
        # Sent and not submitted (attestation not ticked, refusal): 400.
        return step_request.render(context, status=400 if action else 200)

    def handle_closed(self, request, demarche: Demarche, definition: ProcedureDefinition):
        if request.method == "POST":
            # "Valider" sent twice (double click, back button): the file is
            # already submitted, show its confirmation again.
            return redirect(definition.get_confirmation_url(demarche))
        return super().handle_closed(request, demarche, definition)

    def get_form(self, demarche: Demarche, data=None, files=None) -> forms.Form:
        from dsfr.forms import DsfrBaseForm

        form_class = type("SummaryAttestationForm", (DsfrBaseForm, AttestationForm), {})
        return form_class(data=data, label=str(self.attestation))


@dataclass(kw_only=True)
class ProcedureDefinition:
    """A téléprocédure.

    - `document_rules`: a list of DocumentRule or a function of the démarche
      (the rules may depend on the motif).
    - `authority_resolver(demarche)`: the instructing authority, called at
      submission when none is set yet.
    - `before_submit(demarche)`: raise django ValidationError to refuse the
      final validation with a message (e.g. licence suspended).
    - `on_submitted(demarche, *, actor, request)`: called in the submission
      transaction, after the status changed (register side effects with
      transaction.on_commit). Raising TransitionRefused(message,
      errors=[(step slug, message)]) or ValidationError cancels the whole
      submission; the messages are shown on the récapitulatif.
    - `on_abandoned(demarche, *, actor)`: called in the transaction of any
      transition to ABANDONNEE (the citizen's `abandonner`, the system's
      `expirer_brouillon`); `actor` is None for the system;
      `demarche.submitted_at` is None when a draft was abandoned.
    - `release_draft(demarche)`: called in the transaction that deletes a
      never-filed draft (the draft purge, a terminated habilitation's
      drafts) before it goes: the procedure deletes its own records of the
      draft (held by PROTECT) and gives back what they hold (taxes paid).
    - `available_to(user)`: who may start it (default: everybody).
    - `confirmation_title`: adds a last "Confirmation" step to the stepper
      count, shown as the page after submission (seed 002 step 8).
    - `fixed_numbering`: the stepper numbers every declared step, applicable
      or not ("Étape n sur N" with N = all steps + confirmation); a step
      skipped by its condition keeps its number and is passed through (seed
      002: always 8 steps, payment skipped for a free reason).
    - `confirmation_url(demarche) -> str | None`: where the citizen lands
      after "Valider ma demande" (default, or None: the engine's
      `procedures:confirmation` page).
    - `links(demarche) -> [Link]`: links shown on the file's page (e.g. a
      receipt); other apps add theirs with `register_file_link`.
    - `notices(demarche) -> [str]`: sentences shown on the file's page in
      an information box (e.g. what a rejection undid: refund, CPI withdrawn).

    What the agents' back office knows of the files (procedures/backoffice.py,
    docs/procedures.md "The back office's hooks"): `search_values`,
    `person`, `photo`, `agent_panel` (functions of the démarche),
    `review_flag` (the work list's badge), `motifs` ((code, label) of the
    motif codes given in `search_values`), `reject_reasons` ((code, label)
    offered to the agent who rejects a file, besides the reasons common to
    every file), `new_title_number(demarche)` and
    `title_produced(demarche, *, title_number)` (the title factory made the
    title: e.g. record it in the national file).
    """

    code: str
    category: Category | str
    title: str
    steps: Sequence[Step]
    description: str = ""
    document_rules: Callable[[Demarche], Iterable[DocumentRule]] | Iterable[DocumentRule] = ()
    authority_resolver: Callable[[Demarche], Authority | None] | None = None
    before_submit: Callable[[Demarche], None] | None = None
    on_submitted: Callable[..., None] | None = None
    on_abandoned: Callable[[Demarche, Any], None] | None = None
    release_draft: Callable[[Demarche], None] | None = None
    available_to: Callable[[Any], bool] | None = None
    confirmation_title: str | None = None
    confirmation_url: Callable[[Demarche], str | None] | None = None
    links: Callable[[Demarche], Iterable[Link]] | None = None
    notices: Callable[[Demarche], Iterable[str]] | None = None
    fixed_numbering: bool = False
    listed: bool = True
    search_values: Callable[[Demarche], SearchValues] | None = None
    person: Callable[[Demarche], Person | None] | None = None
    photo: Callable[[Demarche], Photo | None] | None = None
    agent_panel: Callable[[Demarche], AgentPanel | None] | None = None
    review_flag: ReviewFlag | None = None
    motifs: Sequence[tuple[str, str]] = ()
    reject_reasons: Sequence[tuple[str, str]] = ()
    new_title_number: Callable[[Demarche], str] | None = None
    title_produced: Callable[..., None] | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        slugs = [step.slug for step in self.steps]
        if len(slugs) != len(set(slugs)):
            raise ValueError(f"duplicate step slugs in procedure {self.code}")

    def step(self, slug: str) -> Step:
        for step in self.steps:
            if step.slug == slug:
                return step
        raise ProcedureNotFound(slug)

    def applicable_steps(self, demarche: Demarche) -> list[Step]:
        return [step for step in self.steps if step.applies(demarche)]

    def stepper_total(self, demarche: Demarche) -> int:
        """N in "Étape n sur N" (the confirmation page included)."""
        steps = self.steps if self.fixed_numbering else self.applicable_steps(demarche)
        return len(steps) + (1 if self.confirmation_title else 0)

    def step_number(self, demarche: Demarche, step: Step) -> int:
        """n in "Étape n sur N" for an applicable step."""
        steps = self.steps if self.fixed_numbering else self.applicable_steps(demarche)
        return [s.slug for s in steps].index(step.slug) + 1

    def rules(self, demarche: Demarche) -> list[DocumentRule]:
        rules = self.document_rules
        if callable(rules):
            rules = rules(demarche)
        return list(rules)

    def get_confirmation_url(self, demarche: Demarche) -> str:
        from django.urls import reverse

        url = self.confirmation_url(demarche) if self.confirmation_url else None
        return url or reverse("procedures:confirmation", args=[demarche.number])

    def can_start(self, user) -> bool:
        return self.available_to is None or bool(self.available_to(user))

    def errors(self, demarche: Demarche) -> list[tuple[str, str]]:
        """Final validation: (step slug, message) for every problem."""
        problems = []
        for step in self.applicable_steps(demarche):
            problems += [(step.slug, str(message)) for message in step.validate(demarche)]
        if not problems and self.before_submit:
            try:
                self.before_submit(demarche)
            except ValidationError as error:
                problems += [("", str(message)) for message in error.messages]
        return problems


_REGISTRY: dict[str, ProcedureDefinition] = {}


def register_procedure(definition: ProcedureDefinition, *, replace: bool = False) -> None:
    if definition.code in _REGISTRY and not replace:
        raise ValueError(f"procedure {definition.code!r} already registered")
    _REGISTRY[definition.code] = definition


def unregister_procedure(code: str) -> None:
    _REGISTRY.pop(code, None)


def find_procedure(code: str) -> ProcedureDefinition | None:
    return _REGISTRY.get(code)


def get_procedure(code: str) -> ProcedureDefinition:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise ProcedureNotFound(code)


def all_procedures() -> list[ProcedureDefinition]:
    return list(_REGISTRY.values())


def procedures_in(category: str, user=None) -> list[ProcedureDefinition]:
    return [
        d
        for d in _REGISTRY.values()
        if str(d.category) == str(category) and d.listed and (user is None or d.can_start(user))
    ]


# --- Links on the file's page contributed by other apps ----------------------------

FileLinkProvider = Callable[[Any, Any], Iterable[Link]]
_FILE_LINK_PROVIDERS: list[FileLinkProvider] = []


def register_file_link(provider: FileLinkProvider) -> FileLinkProvider:
    """Register `provider(demarche, user) -> [Link]`, asked for links each
    time a file's page is shown (e.g. the back office's attestation
    provisoire). Usable as a decorator; registering twice is a no-op."""
    if provider not in _FILE_LINK_PROVIDERS:
        _FILE_LINK_PROVIDERS.append(provider)
    return provider


def unregister_file_link(provider: FileLinkProvider) -> None:
    if provider in _FILE_LINK_PROVIDERS:
        _FILE_LINK_PROVIDERS.remove(provider)


def file_links(demarche: Demarche, user) -> list[Link]:
    """The procedure's links, then those of the registered providers."""
    links: list[Link] = []
    definition = find_procedure(demarche.procedure_code)
    if definition is not None and definition.links:
        links += list(definition.links(demarche))
    for provider in _FILE_LINK_PROVIDERS:
        links += list(provider(demarche, user))
    return links
