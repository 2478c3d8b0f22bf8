"""« Mon Espace Véhicule » (seed 003): new request by type, and « Mes
démarches en cours » with the search box and the Actions column."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from titres.core import numbering
from titres.procedures import services as procedure_services
from titres.procedures import wizard
from titres.procedures.enums import Category, Status
from titres.procedures.registry import find_procedure, procedures_in
from titres.procedures.selectors import demarches_owned_by

from ..changement.procedure import CODE
from ..models import CessionDeclaration
from ..professionnels.access import is_habilitated

# The five statuses of seed 003 with their explanations.
STATUS_EXPLANATIONS = [
    (Status.ABANDONNEE, gettext_lazy("demande annulée à votre initiative")),
    (
        Status.EN_COURS,
        gettext_lazy(
            "demande en cours d’analyse au Centre d’Expertise et de Ressources Titres. Cet état ne "
            "nécessite pas d’action de votre part."
        ),
    ),
    (
        Status.EN_ATTENTE_USAGER,
        gettext_lazy(
            "demande d’information ou de document complémentaire nécessaire à la validation de "
            "votre demande. Choisissez « Reprise » dans la colonne Actions puis cliquez sur « Ok »."
        ),
    ),
    (
        Status.REJETEE,
        gettext_lazy(
            "demande rejetée par le Centre d’Expertise et de Ressources Titres (Rejetée CERT)."
        ),
    ),
    (Status.TERMINEE, gettext_lazy("demande finalisée")),
]
MAX_QUERY = 40


def _vehicle_procedures(user):
    return procedures_in(Category.IMMATRICULATION.value)


def espace(request):
    procedures = _vehicle_procedures(request.user)
    return render(
        request,
        "vehicules/espace.html",
        {
            "procedures": procedures,
            "cessions": CessionDeclaration.objects.filter(seller=request.user).select_related(
                "vehicle"
            )[:10],
            "explanations": STATUS_EXPLANATIONS,
            "is_pro": is_habilitated(request.user),
        },
    )


@require_POST
def nouvelle_demande(request):
    """[Effectuer une nouvelle demande] → [Type de demande] → « Ajouter une demande »."""
    code = request.POST.get("type_demande", "")
    if code == "declaration-cession":
        return redirect("vehicules:cession_declarer")
    definition = find_procedure(code)
    if definition is None or str(definition.category) != Category.IMMATRICULATION.value:
        messages.error(request, _("Choisissez un type de demande dans la liste."))
        return redirect("vehicules:espace")
    if not definition.can_start(request.user):
        return render(
            request, "vehicules/franceconnect_requise.html", {"definition": definition}, status=403
        )
    try:
        demarche = procedure_services.create_demarche(
            definition=definition, owner=request.user, actor=request.user, request=request
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("vehicules:espace")
    return redirect(wizard.step_url(demarche, definition.applicable_steps(demarche)[0]))


def demarches_en_cours(request):
    """« Mes démarches en cours »: the vehicle files of the account, the
    « Rechercher dans la liste » box (a démarche number, or a plate), and
    per file the Actions menu (« Reprise » for a draft or a file awaiting
    the filer) with « Ok »."""
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    files = demarches_owned_by(request.user).filter(
        procedure_code__in=[p.code for p in procedures_in(Category.IMMATRICULATION.value)] or [CODE]
    )
    files = files.select_related(
        "changement_titulaire__vehicle", "operation_certificat__vehicle"
    ).order_by("-updated_at", "-id")
    if query:
        number = numbering.normalize(query)
        from ..plates import canonical

        plate = canonical(query)
        files = files.filter(
            Q(number__startswith=number)
            | Q(changement_titulaire__vehicle__plate=plate)
            | Q(operation_certificat__vehicle__plate=plate)
        )
    shown = request.GET.get("voir") == "1" or bool(query)
    return render(
        request,
        "vehicules/demarches.html",
        {
            "files": list(files[:50]) if shown else [],
            "shown": shown,
            "query": query,
            "explanations": STATUS_EXPLANATIONS,
            "is_pro": is_habilitated(request.user),
        },
    )


@require_POST
def action(request, number):
    """The Actions column's « Ok »: « Reprise » resumes the file."""
    if request.POST.get("action") != "reprise":
        messages.error(request, _("Choisissez une action dans le menu."))
        return redirect("vehicules:demarches")
    return redirect("procedures:resume", number=number)
