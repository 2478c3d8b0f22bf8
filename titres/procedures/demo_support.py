"""What the apps' demonstration loaders (`titres/<app>/demo.py`) share.

The loaders create their files already submitted rather than through the
wizard; the file page and the agents' history read the submission from its
`StatusChange`, so each demo file gets the row a real submission leaves."""

from django.utils import translation

from .enums import Role, Status
from .models import StatusChange
from .workflow import TRANSITIONS


def record_submission(demarche, actor) -> StatusChange:
    """The "soumettre" history row, as `workflow.TRANSITIONS` declares it
    (label in French, the language the history is stored in)."""
    transition = TRANSITIONS["soumettre"]
    with translation.override("fr"):
        label = str(transition.label)
    return StatusChange.objects.create(
        demarche=demarche,
        from_status=Status.BROUILLON,
        to_status=transition.target,
        event=transition.event,
        label=label,
        actor=actor,
        actor_role=Role.USAGER,
    )
