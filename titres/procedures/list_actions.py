"""The "Actions" column of the citizen's lists (seed 003: the drop-down shows
"Reprise", the citizen clicks "Ok"): which actions a démarche offers, and
the view the "Ok" button sends to. Every list of démarches (licence,
vehicle...) renders it with `procedures_tags.actions_cell`, so they share one
pattern."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from titres.core import numbering

from .selectors import demarches_owned_by
from .workflow import TRANSITIONS

REPRISE = "reprise"
CONTINUER = "continuer"
CONSULTER = "consulter"
ABANDONNER = "abandonner"

LABELS = {
    REPRISE: _("Reprise"),
    CONTINUER: _("Continuer"),
    CONSULTER: _("Consulter"),
    ABANDONNER: _("Abandonner"),
}


def available_actions(demarche) -> list[tuple[str, str]]:
    """(code, label) pairs, the one the citizen most likely wants first."""
    return [(code, str(LABELS[code])) for code in action_codes(demarche)]


def action_codes(demarche) -> list[str]:
    """The codes of `available_actions` (a list translates each label once)."""
    codes = []
    if demarche.awaits_citizen:
        codes.append(REPRISE)
    elif demarche.is_draft:
        codes.append(CONTINUER)
    codes.append(CONSULTER)
    if demarche.status in TRANSITIONS["abandonner"].sources and not demarche.taken_at:
        codes.append(ABANDONNER)
    return codes


@require_GET
def act(request, number):
    """Where "Ok" leads for the chosen action (a plain link for each, so the
    action itself still asks what it must: abandoning shows its confirmation)."""
    demarche = get_object_or_404(
        demarches_owned_by(request.user), number=numbering.normalize(number)
    )
    action = request.GET.get("action", "")
    if action not in {code for code, _label in available_actions(demarche)}:
        raise Http404
    if action in (REPRISE, CONTINUER):
        return redirect("procedures:resume", number=demarche.number)
    if action == ABANDONNER:
        return redirect("procedures:abandon", number=demarche.number)
    return redirect("procedures:detail", number=demarche.number)
