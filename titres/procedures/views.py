from functools import cache

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from titres.core import numbering
from titres.core.http import safe_next_url
from titres.core.pagination import page_of

from . import conf, services, wizard
from .documents import pending_complement_documents, rules_for, rules_with_documents
from .elsewhere import elsewhere_in
from .enums import Category, DocumentStatus, MessageKind, Role, Status
from .forms import ComplementForm, MessageForm, SearchForm, UploadForm
from .list_query import owned_rows
from .registry import ProcedureNotFound, file_links, find_procedure, procedures_in
from .selectors import (
    demarches_owned_by,
    documents_owned_by,
    history_of,
    messages_owned_by,
    search_demarches,
)
from .stepping import StepRequest, SubmissionRefused
from .validation import ACCEPTED_FORMATS, UploadRejected
from .workflow import TRANSITIONS, TransitionRefused

PAGE_SIZE = 20


def _owned(request, number):
    return get_object_or_404(
        demarches_owned_by(request.user).select_related("authority"),
        number=numbering.normalize(number),
    )


def _definition(demarche):
    definition = find_procedure(demarche.procedure_code)
    if definition is None:
        raise Http404
    return definition


def _can_abandon(demarche) -> bool:
    transition = TRANSITIONS["abandonner"]
    return demarche.status in transition.sources and not demarche.taken_at


# --- Mes démarches -------------------------------------------------------------


@cache
def _empty_search_form() -> SearchForm:
    """The unbound search form: the same for everyone and never changed
    (the view only reads it, the page shows it from a kept fragment), built
    once per process: its fields' deep copy was 4 % of the page (issue 17)."""
    return SearchForm()


def demarche_list(request):
    form = SearchForm(request.GET) if request.GET else _empty_search_form()
    # Only a search filters: page 2 of the whole list (`?page=2`, an empty
    # search) reads the same files through the compiled query, as page 1.
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["status"]):
        queryset = search_demarches(
            demarches_owned_by(request.user),
            query=form.cleaned_data["q"],
            status=form.cleaned_data["status"],
        )
        # The rows (procedures_tags.demarche_rows) never read the answers, a
        # JSON document per file; a row that did would show in the query pin
        # (tests/core/test_page_queries.py).
        queryset = queryset.defer("answers").order_by("-updated_at", "-id")
    elif request.user.is_authenticated:
        # The same files and order, the SQL compiled once (list_query); the
        # queryset is not even built.
        queryset = owned_rows(request.user)
    else:
        queryset = demarches_owned_by(request.user).order_by("-updated_at", "-id")
    # No COUNT when the citizen's files fit on the page asked for (most do).
    page = page_of(queryset, PAGE_SIZE, request.GET.get("page"))
    return render(request, "procedures/list.html", {"form": form, "page": page})


def new(request):
    categories = [
        (category, procedures_in(category.value, request.user), elsewhere_in(category.value))
        for category in Category
    ]
    return render(request, "procedures/new.html", {"categories": categories})


def category(request, category):
    try:
        chosen = Category(category)
    except ValueError:
        raise Http404
    return render(
        request,
        "procedures/category.html",
        {
            "category": chosen,
            "procedures": procedures_in(chosen.value, request.user),
            "elsewhere": elsewhere_in(chosen.value),
        },
    )


@require_POST
def start(request, code):
    definition = find_procedure(code)
    if definition is None or not definition.listed:
        raise Http404
    try:
        demarche = services.create_demarche(
            definition=definition, owner=request.user, actor=request.user, request=request
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("procedures:new")
    return redirect(wizard.step_url(demarche, definition.applicable_steps(demarche)[0]))


def detail(request, number):
    demarche = _owned(request, number)
    definition = find_procedure(demarche.procedure_code)
    sections = []
    if definition and not demarche.is_draft:
        sections = [
            (step, step.summary(demarche))
            for step in definition.applicable_steps(demarche)
            if not step.is_summary
        ]
    thread = demarche.messages.select_related("author").prefetch_related("documents")
    return render(
        request,
        "procedures/detail.html",
        {
            "demarche": demarche,
            "definition": definition,
            "sections": sections,
            "history": history_of(demarche),
            "documents": demarche.documents.filter(message__isnull=True, is_complement=False),
            "thread": thread,
            "message_form": MessageForm() if _messages_open(demarche) else None,
            "can_abandon": _can_abandon(demarche),
            "links": file_links(demarche, request.user),
            "notices": list(definition.notices(demarche))
            if definition and definition.notices
            else [],
        },
    )


def _messages_open(demarche) -> bool:
    return demarche.status not in {Status.BROUILLON, Status.ABANDONNEE}


def resume(request, number):
    """ "Reprise": a draft resumes at its step, a suspended file at the answer page."""
    demarche = _owned(request, number)
    if demarche.is_draft:
        definition = _definition(demarche)
        return redirect(wizard.step_url(demarche, wizard.resume_step(definition, demarche)))
    if demarche.awaits_citizen:
        return redirect("procedures:complement", number=demarche.number)
    return redirect("procedures:detail", number=demarche.number)


def confirmation(request, number):
    demarche = _owned(request, number)
    if demarche.is_draft:
        return redirect("procedures:resume", number=demarche.number)
    definition = _definition(demarche)
    own_page = definition.get_confirmation_url(demarche)
    if own_page != request.path:
        # The procedure has its own confirmation page (e.g. with a receipt).
        return redirect(own_page)
    total = definition.stepper_total(demarche)
    return render(
        request,
        "procedures/confirmation.html",
        {"demarche": demarche, "definition": definition, "total": total},
    )


def abandon(request, number):
    demarche = _owned(request, number)
    if request.method == "POST":
        try:
            services.abandon_demarche(demarche=demarche, actor=request.user, request=request)
        except TransitionRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("La démarche a été abandonnée."))
        return redirect("procedures:detail", number=demarche.number)
    if not _can_abandon(demarche):
        messages.error(request, _("Cette démarche ne peut plus être abandonnée."))
        return redirect("procedures:detail", number=demarche.number)
    return render(request, "procedures/abandon.html", {"demarche": demarche})


# --- Wizard ------------------------------------------------------------------


class WizardStepRequest(StepRequest):
    """The engine's operations offered to a step (see stepping.py)."""

    def save(self, answers: dict):
        services.save_step(
            demarche=self.demarche,
            step_slug=self.step.slug,
            answers=answers,
            actor=self.request.user,
            request=self.request,
        )
        return _after_save(self.request, self.definition, self.demarche, self.step, self.action)

    def previous(self):
        return redirect(wizard.step_url(self.demarche, self.position.previous))

    def submit(self):
        try:
            services.submit_demarche(
                demarche=self.demarche, actor=self.request.user, request=self.request
            )
        except TransitionRefused as error:
            raise SubmissionRefused(error.errors or [("", error.message)])
        except ValidationError as error:
            raise SubmissionRefused([("", message) for message in error.messages])
        messages.success(
            self.request,
            _("Votre demande n° %(number)s a été validée et transmise.")
            % {"number": self.demarche.display_number},
        )
        return redirect(self.definition.get_confirmation_url(self.demarche))

    def upload_context(self) -> dict:
        return _documents_context(self.demarche, back=self.request.path)


def step(request, number, slug):
    """Loads the citizen's file and the step, then lets the step answer
    (Step.handle): the engine knows no kind of step."""
    demarche = _owned(request, number)
    definition = _definition(demarche)
    try:
        current = definition.step(slug)
    except ProcedureNotFound:
        raise Http404
    if not demarche.is_draft:
        return current.handle_closed(request, demarche, definition)
    where = wizard.position(definition, demarche, slug)
    if where is None:
        # The step does not apply given earlier answers: go on to the next one.
        return redirect(
            wizard.step_url(demarche, wizard.next_applicable_after(definition, demarche, slug))
        )
    return current.handle(
        WizardStepRequest(
            request=request, demarche=demarche, definition=definition, step=current, position=where
        )
    )


def _after_save(request, definition, demarche, current, action):
    where = wizard.position(definition, demarche, current.slug)
    if action == "previous" and where and where.previous:
        return redirect(wizard.step_url(demarche, where.previous))
    if action == "save":
        messages.success(request, _("Votre brouillon a été enregistré."))
        return redirect(wizard.step_url(demarche, current))
    if where and where.next:
        return redirect(wizard.step_url(demarche, where.next))
    return redirect(wizard.step_url(demarche, current))


def _documents_context(demarche, *, back: str) -> dict:
    return {
        "rules_documents": rules_with_documents(demarche),
        "upload_form": UploadForm(),
        "accepted_formats": ACCEPTED_FORMATS,
        "max_mb": conf.max_upload_bytes() // (1024 * 1024),
        "back": back,
    }


# --- Documents -----------------------------------------------------------------


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading a file as soon as it exceeds the limit, so a huge upload
    is refused without being written to disk in full."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > conf.max_upload_bytes():
            self.request.upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def _safe_back(request, demarche) -> str:
    return safe_next_url(request, request.POST.get("next", "")) or reverse(
        "procedures:resume", args=[demarche.number]
    )


def _upload_reply(request, back, *, error: str = ""):
    wants_json = request.headers.get("x-requested-with") == "XMLHttpRequest"
    if wants_json:
        if error:
            return JsonResponse({"ok": False, "error": error}, status=400)
        return JsonResponse({"ok": True, "redirect": back})
    if error:
        messages.error(request, error)
    return redirect(back)


@csrf_exempt
def upload(request, number, code):
    # The size limit must be installed before the body is read, which the
    # CSRF check would do: protect the inner view instead.
    request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _upload(request, number, code)


@csrf_protect
def _upload(request, number, code):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    demarche = _owned(request, number)
    back = _safe_back(request, demarche)
    if getattr(request, "upload_too_large", False):
        return _upload_reply(
            request,
            back,
            error=_("Le fichier dépasse la taille maximale autorisée (%(max)s Mo).")
            % {"max": conf.max_upload_bytes() // (1024 * 1024)},
        )
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_reply(request, back, error=_("Choisissez un fichier à joindre."))
    replaces = None
    if request.POST.get("replaces"):
        try:
            replaces = demarche.documents.filter(pk=request.POST["replaces"]).first()
        except ValidationError:  # not a document id at all
            replaces = None
        if replaces is None:
            return _upload_reply(request, back, error=_("Le document à remplacer est introuvable."))
    try:
        document = services.upload_document(
            demarche=demarche,
            code=code,
            uploaded_file=form.cleaned_data["file"],
            actor=request.user,
            request=request,
            replaces=replaces,
        )
    except UploadRejected as error:
        return _upload_reply(request, back, error=error.message)
    except PermissionDenied as error:
        return _upload_reply(request, back, error=str(error))
    if not request.headers.get("x-requested-with"):
        messages.success(
            request, _("« %(name)s » a été déposé.") % {"name": document.original_name}
        )
    return _upload_reply(request, back)


@require_POST
def document_remove(request, pk):
    document = get_object_or_404(documents_owned_by(request.user), pk=pk)
    demarche = document.demarche
    try:
        services.remove_document(document=document, actor=request.user, request=request)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Le document a été retiré."))
    return redirect(_safe_back(request, demarche))


INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}
DOCUMENT_SCANNING = gettext_lazy(
    "Document en cours d’analyse antivirus : il pourra être ouvert une fois l’analyse terminée."
)
DOCUMENT_NOT_SERVED = gettext_lazy("Ce document ne peut pas être ouvert.")


def document(request, pk):
    """Serve a document to its owner (never a public URL) once the antivirus
    has passed it. Agents use the back office's viewer (/agent/), which
    requires the second factor."""
    doc = get_object_or_404(documents_owned_by(request.user).select_related("demarche"), pk=pk)
    if doc.status == DocumentStatus.INFECTE or not doc.file:
        raise Http404
    if doc.status != DocumentStatus.VALIDE:
        return render(
            request,
            "procedures/document_unavailable.html",
            {
                "doc": doc,
                "demarche": doc.demarche,
                "reason": DOCUMENT_SCANNING
                if doc.status == DocumentStatus.EN_ANALYSE
                else DOCUMENT_NOT_SERVED,
            },
            status=409,
        )
    services.record_document_view(document=doc, user=request.user, request=request)
    response = FileResponse(
        doc.file.open("rb"),
        content_type=doc.content_type,
        as_attachment=doc.content_type not in INLINE_TYPES or "telecharger" in request.GET,
        filename=doc.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response._csp_exempt = True  # keep the stricter policy above
    return response


# --- Messages ----------------------------------------------------------------


@require_POST
def message_post(request, number):
    demarche = _owned(request, number)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.post_message(
                demarche=demarche,
                author=request.user,
                role=Role.USAGER,
                body=form.cleaned_data["body"],
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Votre message a été envoyé."))
    else:
        messages.error(request, _("Le message ne peut pas être vide."))
    return redirect(reverse("procedures:detail", args=[demarche.number]) + "#messages")


def message(request, pk):
    msg = get_object_or_404(
        messages_owned_by(request.user).select_related("demarche", "author"), pk=pk
    )
    return render(request, "procedures/message.html", {"msg": msg, "demarche": msg.demarche})


def complement(request, number):
    """ "Reprise" of a file awaiting the citizen: read the request, add
    documents, answer ("recueil complémentaire")."""
    demarche = _owned(request, number)
    if not demarche.awaits_citizen:
        return redirect("procedures:detail", number=demarche.number)
    form = ComplementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_complement(
                demarche=demarche,
                actor=request.user,
                body=form.cleaned_data["body"],
                request=request,
            )
        except (ValidationError, TransitionRefused) as error:
            text = (
                error.message if isinstance(error, TransitionRefused) else " ".join(error.messages)
            )
            messages.error(request, text)
        else:
            messages.success(request, _("Votre réponse a été transmise au service instructeur."))
            return redirect("procedures:detail", number=demarche.number)
    request_message = (
        demarche.messages.filter(kind=MessageKind.DEMANDE_COMPLEMENT)
        .order_by("-created_at")
        .first()
    )
    pending = list(pending_complement_documents(demarche))
    rules = [(rule, [d for d in pending if d.code == rule.code]) for rule in rules_for(demarche)]
    context = {
        "demarche": demarche,
        "request_message": request_message,
        "form": form,
        **_documents_context(demarche, back=request.path),
        "rules_documents": rules,
        # What the instructing service already has (main pieces, earlier answers).
        "sent_documents": demarche.documents.exclude(is_complement=True, message__isnull=True)
        .exclude(status=DocumentStatus.INFECTE)
        .order_by("is_complement", "created_at"),
    }
    return render(request, "procedures/complement.html", context)
