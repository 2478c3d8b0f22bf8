"""Citizen dashboard block: attestations provisoires ready to download."""

from titres.procedures.selectors import demarches_owned_by

from . import attestation


def dashboard_section(request):
    if not request.user.is_authenticated:
        return None
    files = [
        d
        for d in demarches_owned_by(request.user).filter(
            status__in=list(attestation.AVAILABLE_STATUSES)
        )[:20]
        if attestation.is_available(d)
    ]
    if not files:
        return None
    return {"template": "instruction/_dashboard.html", "attestations": files}
