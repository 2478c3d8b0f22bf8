from .enums import ApplicationStatus


def dashboard_section(request):
    """A town hall: links to its agenda, counter and titles to hand over.
    A citizen with pré-demandes: their numbers and appointments."""
    user = request.user
    if not user.is_authenticated:
        return None
    if getattr(user, "profile", "") == "mairie":
        return {"template": "identite/_dashboard_mairie.html"}
    from .models import PreDemande
    from .selectors import active_appointments_for

    predemandes = list(
        PreDemande.objects.filter(owner=user, status=ApplicationStatus.VALIDATED).order_by(
            "-created_at"
        )[:10]
    )
    if not predemandes:
        return None
    return {
        "template": "identite/_dashboard.html",
        "rows": [(p, active_appointments_for(p)) for p in predemandes],
    }
