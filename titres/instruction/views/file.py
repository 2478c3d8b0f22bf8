"""An agent's file page and its history."""

import re
from datetime import date

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from titres.procedures.enums import DocumentStatus, Status
from titres.procedures.hooks import agent_panel_of, person_of, photo_of
from titres.procedures.registry import FormStep, all_procedures, display_value, find_procedure
from titres.procedures.selectors import history_of

from .. import services, viewer
from ..access import can_act, is_chef, role_on
from ..auth import agent_view
from ..enums import ACTING_ROLES
from ..forms import AssignForm, RejectForm, SuspendForm, ValidateForm
from .common import file_of, page_context
from .viewer import unavailable_reason


class _NoExtra:
    extra: dict = {}


_NO_EXTRA = _NoExtra()
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _known_step(slug):
    """A form step of a registered procedure with this slug: its title and
    field labels name the answers of a file whose procedure is unknown here
    (an older or demo procedure code with the same answers layout)."""
    for definition in all_procedures():
        for step in definition.steps:
            if step.slug == slug and isinstance(step, FormStep):
                return step
    return None


def _generic_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value if v not in (None, ""))
    if isinstance(value, str) and ISO_DATE.match(value):
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)


def _sections(demarche):
    """The answers by step, with the procedure's labels when it is known,
    else with the labels of a known step of the same name, else from the
    JSON keys."""
    definition = find_procedure(demarche.procedure_code)
    if definition is not None:
        return [
            (step.title, step.summary(demarche))
            for step in definition.applicable_steps(demarche)
            if step.answers_for_agent
        ]
    sections = []
    for slug, values in (demarche.answers or {}).items():
        step = _known_step(slug)
        fields = step.form_class.base_fields if step else {}
        rows = []
        if isinstance(values, dict):
            for key, value in values.items():
                if key in fields:  # the known step's label and choices
                    rows.append((str(fields[key].label), display_value(fields[key], value)))
                else:
                    rows.append((key.replace("_", " ").capitalize(), _generic_value(value)))
        else:
            rows.append((slug, str(values)))
        title = step.title if step else slug.replace("_", " ").capitalize()
        sections.append((str(title), rows))
    return sections


@agent_view
@never_cache
def demarche_detail(request, number):
    """The file: the person concerned, the procedure's agent panel (the
    request beside its registry: SNPC, SIV...), the documents viewer, photo
    and signature, actions and history — what is shown of the answers comes
    from the procedure's hooks only (titres/procedures/backoffice.py)."""
    demarche = file_of(request, number)
    role = role_on(request.user, demarche.authority_id)
    services.record_file_view(demarche=demarche, user=request.user, role=role, request=request)
    panel = agent_panel_of(demarche)
    if panel is not None and panel.consultation is not None:
        services.record_registry_view(
            consultation=panel.consultation,
            demarche=demarche,
            user=request.user,
            role=role,
            request=request,
        )
    documents = [
        d
        for d in demarche.documents.all().order_by("is_complement", "created_at")
        if d.status != DocumentStatus.INFECTE and d.file
    ]
    current = None
    wanted = request.GET.get("piece")
    if documents:
        current = next((d for d in documents if str(d.pk) == wanted), documents[0])
    # Only a document the antivirus passed is shown (and journaled).
    viewable = current is not None and current.status == DocumentStatus.VALIDE
    if viewable:
        services.record_document_view(document=current, user=request.user, request=request)
    index = documents.index(current) if current else 0
    agents = None
    if is_chef(role):
        from django.contrib.auth import get_user_model

        agents = (
            get_user_model()
            .objects.filter(
                agent_memberships__authority=demarche.authority,
                agent_memberships__role__in=list(ACTING_ROLES),
            )
            .order_by("username")
        )
    assignment = getattr(demarche, "assignment", None) if hasattr(demarche, "assignment") else None
    thread = demarche.messages.select_related("author").prefetch_related("documents")
    context = page_context(
        request,
        demarche.authority,
        role,
        demarche=demarche,
        panel=panel,
        person=person_of(demarche),
        photo=photo_of(demarche),
        sections=_sections(demarche),
        documents=documents,
        current=current,
        current_position=index + 1,
        previous_doc=documents[index - 1] if current and index > 0 else None,
        next_doc=documents[index + 1] if current and index + 1 < len(documents) else None,
        viewable=viewable,
        unavailable_reason=unavailable_reason(current) if current and not viewable else "",
        pages=range(1, viewer.page_count(current) + 1) if viewable else [],
        page_count=viewer.page_count(current) if viewable else 0,
        history=history_of(demarche),
        thread=thread,
        assignment=assignment,
        validate_form=ValidateForm(panel=panel) if panel and panel.decision_required else None,
        suspend_form=SuspendForm(),
        reject_form=RejectForm(demarche=demarche),
        assign_form=AssignForm(agents=agents) if agents is not None else None,
        can_take=can_act(role)
        and demarche.status in {Status.EN_COURS, Status.VALIDEE, Status.EN_ATTENTE_USAGER}
        and (assignment is None or assignment.agent_id != request.user.pk),
        production=getattr(demarche, "production_order", None)
        if hasattr(demarche, "production_order")
        else None,
        # A procedure whose validation ends the work (e.g. the licence
        # inscription: the NEPH is attributed) offers no production.
        produces_title=((find_procedure(demarche.procedure_code) or _NO_EXTRA).extra or {}).get(
            "produces_title", True
        ),
        complement_received=demarche.history.filter(event="completer").exists()
        and demarche.status == Status.EN_COURS,
    )
    return render(request, "instruction/detail.html", context)


@agent_view
def history(request, number):
    demarche = file_of(request, number)
    role = role_on(request.user, demarche.authority_id)
    services.record_file_view(
        demarche=demarche, user=request.user, role=role, request=request, what="historique"
    )
    return render(
        request,
        "instruction/history.html",
        page_context(
            request, demarche.authority, role, demarche=demarche, history=history_of(demarche)
        ),
    )
