"""Navigation of the step-by-step form: which steps apply, where to go next."""

from dataclasses import dataclass

from django.urls import reverse

from .registry import ProcedureDefinition, Step


@dataclass
class Position:
    steps: list[Step]
    index: int  # 0-based in `steps`
    total: int  # shown to the user (confirmation step included)
    shown_number: int | None = None  # with fixed numbering, skipped steps count

    @property
    def step(self) -> Step:
        return self.steps[self.index]

    @property
    def number(self) -> int:
        return self.shown_number or self.index + 1

    @property
    def previous(self) -> Step | None:
        return self.steps[self.index - 1] if self.index > 0 else None

    @property
    def next(self) -> Step | None:
        return self.steps[self.index + 1] if self.index + 1 < len(self.steps) else None


def position(definition: ProcedureDefinition, demarche, slug: str) -> Position | None:
    steps = definition.applicable_steps(demarche)
    total = definition.stepper_total(demarche)
    for index, step in enumerate(steps):
        if step.slug == slug:
            return Position(steps, index, total, definition.step_number(demarche, step))
    return None


def next_applicable_after(definition: ProcedureDefinition, demarche, slug: str) -> Step | None:
    """The first applicable step declared after `slug` (for a skipped step)."""
    slugs = [step.slug for step in definition.steps]
    applicable = {step.slug for step in definition.applicable_steps(demarche)}
    start = slugs.index(slug) + 1 if slug in slugs else 0
    for step in definition.steps[start:]:
        if step.slug in applicable:
            return step
    steps = definition.applicable_steps(demarche)
    return steps[-1] if steps else None


def step_url(demarche, step: Step | str) -> str:
    slug = step if isinstance(step, str) else step.slug
    return reverse("procedures:step", args=[demarche.number, slug])


def resume_step(definition: ProcedureDefinition, demarche) -> Step:
    """Where a draft resumes: the first applicable step never saved, else
    the last one saved."""
    steps = definition.applicable_steps(demarche)
    answered = set((demarche.answers or {}).keys())
    for step in steps:
        if step.resumes_until_saved and step.slug not in answered:
            return step
    for step in steps:
        if step.slug == demarche.last_step:
            return step
    return steps[0]
