"""What the licence procedures do alike inside their submission
transaction (`on_submitted`): spend the e-photo code, ask the SNPC who the
file's person is. A refusal raises `TransitionRefused` naming the step, so
the whole submission is cancelled and the récapitulatif says why."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from . import request_forms as rf
from .backoffice import snpc_match


def spend_ephoto_code(demarche, answers, actor):
    """The photo behind the e-photo code, the code spent for this file; None
    when the paper slip comes by post instead."""
    from titres.procedures.workflow import TransitionRefused

    from .services import use_ephoto_code

    if rf.photo_mode(answers) == rf.TALON:
        return None
    try:
        return use_ephoto_code(
            code=(answers.get("photo") or {}).get("code_ephoto") or "",
            holder=actor,
            reference=demarche.number,
        )
    except ValidationError as error:
        raise TransitionRefused(
            error.messages[0], code="ephoto", errors=[("photo", error.messages[0])]
        )


def store_snpc_match(demarche, answers):
    """The SNPC match at submission, kept in the answers (`_snpc`, which the
    generic screens read) and returned with it for the licence request."""
    result = snpc_match(demarche)
    match = {**result.as_dict(), "exact": result.is_exact, "date": timezone.now().isoformat()}
    demarche.answers = {**answers, "_snpc": match}
    demarche.save(update_fields=["answers", "updated_at"])
    return result, match
