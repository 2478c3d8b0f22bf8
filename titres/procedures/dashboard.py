from .selectors import ongoing_demarches_of


def dashboard_section(request):
    """ "Mes démarches en cours" block of /tableau-de-bord/."""
    if not request.user.is_authenticated:
        return None
    demarches = list(ongoing_demarches_of(request.user).order_by("-updated_at")[:5])
    return {"template": "procedures/_dashboard.html", "demarches": demarches}
