"""The professionals' space (habilitated SIV accounts only; 404 for every
other profile): new files for clients under mandate, and their list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from titres.procedures import services as procedure_services
from titres.procedures import wizard
from titres.procedures.registry import find_procedure

from ..professionnels.access import pro_required
from ..professionnels.selectors import PRO_PROCEDURES, pro_files
from .espace import STATUS_EXPLANATIONS


@pro_required
def espace(request):
    return render(
        request,
        "vehicules/pro/espace.html",
        {
            "habilitation": request.habilitation,
            "procedures": [find_procedure(code) for code in PRO_PROCEDURES],
            "files": list(pro_files(request.user)[:10]),
            "explanations": STATUS_EXPLANATIONS,
        },
    )


@pro_required
@require_POST
def nouvelle_demande(request):
    """A new file for a client: the procedure's own wizard, whose first
    step asks for the client under mandate."""
    code = request.POST.get("type_demande", "")
    if code == "declaration-cession":
        return redirect("vehicules:cession_declarer")
    if code not in PRO_PROCEDURES:
        messages.error(request, _("Choisissez un type de demande dans la liste."))
        return redirect("vehicules:pro_espace")
    definition = find_procedure(code)
    try:
        demarche = procedure_services.create_demarche(
            definition=definition, owner=request.user, actor=request.user, request=request
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("vehicules:pro_espace")
    return redirect(wizard.step_url(demarche, definition.applicable_steps(demarche)[0]))
