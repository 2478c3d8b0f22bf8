"""What a wizard step is given to answer one request (see Step.handle).

The engine's view (procedures/views.py `step`) loads the file and the step,
checks that the file is the citizen's and still a draft, then hands the
request to the step through a StepRequest: the step builds its page,
validates what was sent and saves it with the operations below. A new kind
of step (an appointment slot picker, a lookup in a registry) is a Step
subclass in its own app: the engine's view never changes.

This module imports nothing of the engine so that registry.py (the steps)
can use it while the view implements it with the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import render

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from .models import Demarche
    from .registry import ProcedureDefinition, Step
    from .wizard import Position


class SubmissionRefused(Exception):
    """The final validation was refused: `errors` are (step slug, message)
    pairs, the slug "" for a message about the whole file."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


class StepRequest:
    """One request to a step of a draft. `action` is "" for a GET, else the
    button pressed: "next", "previous", "save" (the draft) or "submit" (the
    récapitulatif's "Valider")."""

    def __init__(
        self,
        *,
        request: HttpRequest,
        demarche: Demarche,
        definition: ProcedureDefinition,
        step: Step,
        position: Position,
    ):
        self.request = request
        self.demarche = demarche
        self.definition = definition
        self.step = step
        self.position = position
        self.action = request.POST.get("action", "next") if request.method == "POST" else ""

    @property
    def data(self):
        """The submitted data when a button was pressed, else None (unbound form)."""
        return self.request.POST if self.action else None

    def render(self, context: dict | None = None, *, status: int = 200) -> HttpResponse:
        """The step's template with the wizard's context (stepper, titles)
        updated by `context`."""
        full = {
            "demarche": self.demarche,
            "definition": self.definition,
            "step": self.step,
            "position": self.position,
            "form": None,
            "errors": [],
            "step_titles": {s.slug: s.title for s in self.position.steps},
        }
        full.update(context or {})
        return render(self.request, self.step.get_template_name(), full, status=status)

    # Implemented by the engine's view (procedures/views.py):

    def save(self, answers: dict) -> HttpResponse:
        """Stores `answers` as the step's answers (journaled, the step's
        on_save called) and redirects where the pressed button leads.
        Raises ValidationError when on_save refuses: nothing was saved."""
        raise NotImplementedError

    def previous(self) -> HttpResponse:
        """Redirect to the previous applicable step without saving."""
        raise NotImplementedError

    def submit(self) -> HttpResponse:
        """Submits the file and redirects to its confirmation; raises
        SubmissionRefused with the messages to show otherwise."""
        raise NotImplementedError

    def upload_context(self) -> dict:
        """What the documents' upload block needs (rules with their
        documents, the upload form, accepted formats and size limit)."""
        raise NotImplementedError
