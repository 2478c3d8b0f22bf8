"""The actions an agent takes on a file (take, assign, validate, suspend,
reject, transmit)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from titres.procedures.workflow import TransitionRefused

from .. import services
from ..auth import agent_view
from ..enums import ACTING_ROLES
from ..forms import AssignForm, RejectForm, SuspendForm
from .common import file_of

ACTIONS = {"prendre", "assigner", "valider", "suspendre", "rejeter", "transmettre"}


@agent_view
@require_POST
def action(request, number, name):
    if name not in ACTIONS:
        raise Http404
    demarche = file_of(request, number)
    url = reverse("instruction:detail", args=[demarche.number])
    try:
        if name == "prendre":
            services.take(demarche=demarche, agent=request.user, request=request)
            messages.success(request, _("La demande vous est assignée."))
        elif name == "assigner":
            agents = get_user_model_agents(demarche)
            form = AssignForm(request.POST, agents=agents)
            if not form.is_valid():
                raise ValidationError(_("Choisissez un agent de l’autorité."))
            services.assign(
                demarche=demarche,
                agent=form.cleaned_data["agent"],
                actor=request.user,
                request=request,
            )
            messages.success(request, _("La demande est assignée."))
        elif name == "valider":
            services.validate(
                demarche=demarche,
                agent=request.user,
                decision=request.POST.get("decision", ""),
                request=request,
            )
            messages.success(request, _("La demande est validée."))
        elif name == "suspendre":
            form = SuspendForm(request.POST)
            body = form.cleaned_data["body"] if form.is_valid() else ""
            services.suspend(demarche=demarche, agent=request.user, body=body, request=request)
            messages.success(
                request,
                _("La demande a été suspendue. Le télédéclarant est informé de votre demande."),
            )
        elif name == "rejeter":
            form = RejectForm(request.POST, demarche=demarche)
            if not form.is_valid():
                raise ValidationError(_("Choisissez un motif de rejet dans la liste."))
            services.reject(
                demarche=demarche,
                agent=request.user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
                request=request,
            )
            messages.success(request, _("La demande est rejetée."))
        elif name == "transmettre":
            services.transmit(demarche=demarche, agent=request.user, request=request)
            messages.success(request, _("La demande est transmise pour fabrication."))
    except TransitionRefused as error:
        messages.error(request, error.message)
    except PermissionDenied as error:
        messages.error(request, str(error) or services.READ_ONLY)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(url)


def get_user_model_agents(demarche):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        agent_memberships__authority_id=demarche.authority_id,
        agent_memberships__role__in=list(ACTING_ROLES),
    )
