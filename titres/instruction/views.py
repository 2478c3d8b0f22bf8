import csv

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from titres.accounts import services as account_services
from titres.core import numbering
from titres.core.http import safe_next_url
from titres.core.journal import record_event
from titres.procedures.enums import DocumentStatus, Status
from titres.procedures.models import Authority
from titres.procedures.registry import find_procedure
from titres.procedures.selectors import history_of
from titres.procedures.workflow import TransitionRefused

from . import services, snpc, stats, viewer
from .access import agent_demarches, can_act, is_chef, memberships_of, role_on
from .auth import NOT_AN_AGENT, agent_view, is_agent, otp_step_url
from .enums import ACTING_ROLES, TAB_STATUSES, AgentRole, Tab
from .forms import AgentLoginForm, AssignForm, RejectForm, SearchForm, SuspendForm, TokenForm
from .models import AgentMembership, DemarcheSearchEntry
from .otp import qr_data_uri
from .search import Criteria, search_demarches

PAGE_SIZE = 50
SEARCH_PAGE_SIZE = 25


def _safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/agent/"):
        return safe_next_url(request, candidate) or default
    return default


# --- Entrance: password, then second factor -------------------------------------------


@login_not_required
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and is_agent(request.user):
        if request.user.is_verified():
            return redirect(_safe_next(request, reverse("instruction:home")))
        return redirect(otp_step_url(request.user))
    form = AgentLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = account_services.authenticate_login(
            identifier=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            request=request,
        )
        if result.user is not None and is_agent(result.user):
            login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session["instruction_next"] = _safe_next(request, "")
            return redirect(otp_step_url(result.user))
        if result.user is not None or result.error == account_services.INVALID_LOGIN:
            # A citizen's right password opens nothing here, and says nothing more.
            form.add_error(None, _("Identifiant ou mot de passe incorrect."))
        else:
            form.add_error(None, result.error)
    return render(
        request, "instruction/login.html", {"form": form, "next": _safe_next(request, "")}
    )


@login_not_required
@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("Vous êtes déconnecté de l’espace agent."))
    return redirect("instruction:login")


def _otp_guard(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("instruction:login")
    if not is_agent(user):
        raise PermissionDenied(NOT_AN_AGENT)
    if user.is_verified():
        return redirect("instruction:home")
    return None


def _after_otp(request):
    target = request.session.pop("instruction_next", "") or reverse("instruction:home")
    return redirect(target)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """First sign-in: register an authenticator app (QR code), confirmed by
    a first code. Nothing else is reachable before."""
    blocked = _otp_guard(request)
    if blocked:
        return blocked
    user = request.user
    if user_has_device(user, confirmed=True):
        return redirect("instruction:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("Application d’authentification"), confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record_event("instruction.otp_enrole", actor=user, request=request, target=device)
            messages.success(request, _("Votre application d’authentification est enregistrée."))
            return _after_otp(request)
        form.add_error(
            "token", _("Code incorrect ou expiré. Saisissez le code affiché à l’instant.")
        )
    from .otp import secret_base32

    return render(
        request,
        "instruction/otp_enrol.html",
        {
            "form": form,
            "qr": qr_data_uri(device.config_url),
            "secret": secret_base32(device),
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    blocked = _otp_guard(request)
    if blocked:
        return blocked
    if not user_has_device(request.user, confirmed=True):
        return redirect("instruction:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            record_event(
                "instruction.connexion", actor=request.user, request=request, target=device
            )
            return _after_otp(request)
        record_event("instruction.otp_refuse", actor=request.user, request=request)
        form.add_error(
            "token", _("Code incorrect ou expiré. Saisissez le code affiché à l’instant.")
        )
    return render(request, "instruction/otp_verify.html", {"form": form})


# --- Work list ---------------------------------------------------------------------


def _authority(request, code) -> tuple[Authority, str]:
    membership = get_object_or_404(
        AgentMembership.objects.select_related("authority"), user=request.user, authority__code=code
    )
    return membership.authority, membership.role


def _context(request, authority, role, **extra):
    return {
        "authority": authority,
        "role": role,
        "role_label": AgentRole(role).label,
        "memberships": memberships_of(request.user),
        "is_chef": is_chef(role),
        "can_act": can_act(role),
        **extra,
    }


@agent_view
def home(request):
    membership = memberships_of(request.user).order_by("authority__code").first()
    return redirect("instruction:worklist", code=membership.authority.code)


def _list_queryset(user, authority):
    return (
        agent_demarches(user)
        .filter(authority=authority)
        .select_related("search_entry", "assignment__agent")
        .annotate(snpc_review=snpc.needs_review_annotation())
    )


@agent_view
def worklist(request, code):
    """Seed 002 "Liste des demandes sur l'autorité N": tabs, counts, files
    assigned to me, oldest first."""
    authority, role = _authority(request, code)
    tab = request.GET.get("onglet", Tab.A_TRAITER)
    if tab not in Tab.values:
        tab = Tab.A_TRAITER
    mine = request.GET.get("mien") == "1"
    base = agent_demarches(request.user).filter(authority=authority)
    counts = stats.counts(base, agent=request.user)
    queryset = _list_queryset(request.user, authority)
    statuses = TAB_STATUSES[Tab(tab)]
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if mine:
        queryset = queryset.filter(assignment__agent=request.user)
    page = Paginator(queryset.order_by("submitted_at", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    tabs = [(t.value, t.label, counts[t.value]) for t in Tab]
    return render(
        request,
        "instruction/worklist.html",
        _context(
            request,
            authority,
            role,
            tab=tab,
            tabs=tabs,
            mine=mine,
            mine_count=counts["mine"],
            page=page,
            now=timezone.now(),
            bulk_open=is_chef(role) and tab == Tab.A_TRAITER,
        ),
    )


def _motifs(authority):
    return list(
        DemarcheSearchEntry.objects.filter(demarche__authority=authority)
        .exclude(motif="")
        .values_list("motif", flat=True)
        .distinct()
        .order_by("motif")[:50]
    )


def _criteria(form) -> Criteria:
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return Criteria(**data)


@agent_view
def search(request, code):
    """Seed 002 "Outil de recherche avancée"; `?format=csv` exports the
    filtered results."""
    authority, role = _authority(request, code)
    form = SearchForm(request.GET or None, motifs=_motifs(authority))
    results = None
    page = None
    if request.GET and form.is_valid():
        results = search_demarches(_list_queryset(request.user, authority), _criteria(form))
        if request.GET.get("format") == "csv":
            return _csv_export(request, authority, results)
        page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "instruction/search.html",
        _context(request, authority, role, form=form, page=page, query=query.urlencode()),
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will never evaluate: text starting with a formula
    character (= + - @ tab CR) gets a leading apostrophe (OWASP "CSV
    injection"). Citizens type names and answers that end up here."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeCsvWriter:
    """csv.writer whose every cell goes through `csv_safe`."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([csv_safe(cell) for cell in row])


def _csv_export(request, authority, results):
    record_event(
        "instruction.export_csv",
        actor=request.user,
        request=request,
        target=authority,
        data={"criteres": {k: v for k, v in request.GET.items() if k != "format"}},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="demandes-{authority.code}-{timezone.localdate():%Y%m%d}.csv"'
    )
    response.write("\ufeff")
    writer = SafeCsvWriter(response, delimiter=";")
    writer.writerow(
        [
            _("N° dossier"),
            _("Nom"),
            _("Prénom"),
            _("Date de naissance"),
            _("Sexe"),
            _("N° demande"),
            _("Date demande"),
            _("Motif"),
            _("Statut"),
        ]
    )
    for demarche in results.iterator(chunk_size=2000):
        entry = getattr(demarche, "search_entry", None)
        writer.writerow(
            [
                entry.neph if entry else "",
                entry.last_name_display if entry else "",
                entry.first_names_display if entry else "",
                entry.birth_date.strftime("%d/%m/%Y") if entry and entry.birth_date else "",
                entry.sex if entry else "",
                demarche.number,
                timezone.localtime(demarche.submitted_at).strftime("%d/%m/%Y")
                if demarche.submitted_at
                else "",
                entry.motif if entry else "",
                demarche.get_status_display(),
            ]
        )
    return response


@agent_view
@require_POST
def bulk(request, code):
    authority, role = _authority(request, code)
    if not is_chef(role):
        raise PermissionDenied(_("Les actions groupées sont réservées au chef de service."))
    action = request.POST.get("action")
    if action not in services.BULK_ACTIONS:
        messages.error(request, _("Choisissez une action."))
        return redirect("instruction:worklist", code=code)
    numbers = [numbering.normalize(n) for n in request.POST.getlist("dossiers")]
    files = list(
        agent_demarches(request.user).filter(authority=authority, number__in=numbers).order_by("id")
    )
    if not files:
        messages.error(request, _("Cochez au moins une demande."))
        return redirect("instruction:worklist", code=code)
    result = services.bulk(action=action, demarches=files, agent=request.user, request=request)
    if result.done:
        messages.success(
            request,
            _("%(count)s demande(s) traitée(s) : %(numbers)s.")
            % {"count": len(result.done), "numbers": ", ".join(result.done)},
        )
    for number, reason in result.refused:
        messages.error(
            request,
            _("Demande %(number)s refusée : %(reason)s") % {"number": number, "reason": reason},
        )
    return redirect(reverse("instruction:worklist", kwargs={"code": code}) + "?onglet=a_traiter")


# --- A file ------------------------------------------------------------------------


def _file(request, number):
    return get_object_or_404(
        agent_demarches(request.user).select_related("authority", "owner", "search_entry"),
        number=numbering.normalize(number),
    )


def _sections(demarche):
    """The answers by step, with the procedure's labels when it is known,
    else generically from the JSON."""
    definition = find_procedure(demarche.procedure_code)
    if definition is not None:
        return [
            (step.title, step.summary(demarche))
            for step in definition.applicable_steps(demarche)
            if step.kind not in {"summary", "documents"}
        ]
    sections = []
    for slug, values in (demarche.answers or {}).items():
        rows = []
        if isinstance(values, dict):
            for key, value in values.items():
                if isinstance(value, list):
                    value = ", ".join(str(v) for v in value)
                rows.append(
                    (key.replace("_", " ").capitalize(), "" if value is None else str(value))
                )
        else:
            rows.append((slug, str(values)))
        sections.append((slug.replace("_", " ").capitalize(), rows))
    return sections


def _ephoto(demarche):
    from .search import _get

    code = _get(
        demarche.answers or {},
        "photo.code_ephoto",
        "photo.ephoto",
        "photo.code",
        "photo_signature.code_ephoto",
        "ephoto.code",
    )
    if not code:
        return "", None
    try:
        from titres.permis.identifiers import compact
        from titres.permis.models import EPhoto
    except ImportError:  # pragma: no cover
        return str(code), None
    return str(code), EPhoto.objects.filter(code=compact(str(code))).first()


@agent_view
@never_cache
def demarche_detail(request, number):
    """The file: the request's data beside the SNPC record, the documents
    viewer, photo and signature, actions and history."""
    demarche = _file(request, number)
    role = role_on(request.user, demarche.authority_id)
    services.record_file_view(demarche=demarche, user=request.user, role=role, request=request)
    match = snpc.match_for(demarche)
    record = match.record if match else None
    if record is not None:
        services.record_snpc_view(
            record=record, demarche=demarche, user=request.user, role=role, request=request
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
    ephoto_code, ephoto = _ephoto(demarche)
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
    context = _context(
        request,
        demarche.authority,
        role,
        demarche=demarche,
        match=match,
        record=record,
        rows=snpc.comparison(demarche, match),
        differences=bool(match and match.differences),
        sections=_sections(demarche),
        documents=documents,
        current=current,
        current_position=index + 1,
        previous_doc=documents[index - 1] if current and index > 0 else None,
        next_doc=documents[index + 1] if current and index + 1 < len(documents) else None,
        viewable=viewable,
        unavailable_reason=_unavailable_reason(current) if current and not viewable else "",
        pages=range(1, viewer.page_count(current) + 1) if viewable else [],
        page_count=viewer.page_count(current) if viewable else 0,
        ephoto_code=ephoto_code,
        ephoto=ephoto,
        history=history_of(demarche),
        thread=thread,
        assignment=assignment,
        suspend_form=SuspendForm(),
        reject_form=RejectForm(),
        assign_form=AssignForm(agents=agents) if agents is not None else None,
        can_take=can_act(role)
        and demarche.status in {Status.EN_COURS, Status.VALIDEE, Status.EN_ATTENTE_USAGER}
        and (assignment is None or assignment.agent_id != request.user.pk),
        production=getattr(demarche, "production_order", None)
        if hasattr(demarche, "production_order")
        else None,
        complement_received=demarche.history.filter(event="completer").exists()
        and demarche.status == Status.EN_COURS,
    )
    return render(request, "instruction/detail.html", context)


@agent_view
def history(request, number):
    demarche = _file(request, number)
    role = role_on(request.user, demarche.authority_id)
    services.record_file_view(
        demarche=demarche, user=request.user, role=role, request=request, what="historique"
    )
    return render(
        request,
        "instruction/history.html",
        _context(
            request, demarche.authority, role, demarche=demarche, history=history_of(demarche)
        ),
    )


ACTIONS = {"prendre", "assigner", "valider", "suspendre", "rejeter", "transmettre"}


@agent_view
@require_POST
def action(request, number, name):
    if name not in ACTIONS:
        raise Http404
    demarche = _file(request, number)
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
            services.validate(demarche=demarche, agent=request.user, request=request)
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
            form = RejectForm(request.POST)
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


SCANNING = gettext_lazy(
    "Document en cours d’analyse antivirus : il sera consultable après l’analyse."
)
NOT_VIEWABLE = gettext_lazy("Ce document ne peut pas être affiché.")


def _unavailable_reason(document) -> str:
    if document.status == DocumentStatus.EN_ANALYSE:
        return str(SCANNING)
    return str(NOT_VIEWABLE)


@agent_view
@never_cache
def document_page(request, pk, page):
    """One page of a document as PNG (rights checked, journaled)."""
    from titres.procedures.models import Document

    document = get_object_or_404(
        Document.objects.select_related("demarche").filter(
            demarche__in=agent_demarches(request.user).values("pk")
        ),
        pk=pk,
    )
    if document.status == DocumentStatus.INFECTE or not document.file:
        raise Http404
    if document.status != DocumentStatus.VALIDE:
        # Never render a file the antivirus has not passed.
        return HttpResponse(
            _unavailable_reason(document),
            status=409,
            content_type="text/plain; charset=utf-8",
            headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
        )
    try:
        png = viewer.render_page(document, page)
    except viewer.PageNotFound:
        raise Http404
    services.record_document_view(document=document, user=request.user, request=request, page=page)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@agent_view
@never_cache
def ephoto_image(request, number, kind):
    if kind not in {"photo", "signature"}:
        raise Http404
    demarche = _file(request, number)
    _code, ephoto = _ephoto(demarche)
    field = getattr(ephoto, "image" if kind == "photo" else "signature", None) if ephoto else None
    if not field:
        raise Http404
    record_event(
        "instruction.photo_consultee",
        actor=request.user,
        request=request,
        target=ephoto,
        data={"demarche": demarche.number, "element": kind},
    )
    with field.open("rb") as handle:
        data = handle.read()
    response = HttpResponse(
        data,
        content_type="image/jpeg"
        if field.name.lower().endswith((".jpg", ".jpeg"))
        else "image/png",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Statistics ---------------------------------------------------------------------


@agent_view
def statistics(request, code):
    authority, role = _authority(request, code)
    if not is_chef(role):
        raise PermissionDenied(_("Les statistiques sont réservées au chef de service."))
    data = stats.compute(authority)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="statistiques-{authority.code}.csv"'
        )
        response.write("\ufeff")
        writer = SafeCsvWriter(response, delimiter=";")
        writer.writerow([_("Semaine"), _("Reçues"), _("Validées"), _("Rejetées"), _("Suspendues")])
        for week in data.weeks:
            writer.writerow(
                [week.label, week.received, week.validated, week.rejected, week.suspended]
            )
        writer.writerow([])
        writer.writerow(
            [
                _("Délai médian dépôt → décision (jours)"),
                data.median_days if data.median_days is not None else "",
            ]
        )
        writer.writerow([])
        writer.writerow([_("Agent"), _("Demandes en cours")])
        for username, count in data.backlog:
            writer.writerow([username, count])
        writer.writerow([_("Non assignées"), data.unassigned])
        return response
    return render(
        request,
        "instruction/statistics.html",
        _context(request, authority, role, stats=data, chart=_chart(data)),
    )


CHART_HEIGHT = 200
SERIES = [
    ("received", "titres-bar--received"),
    ("validated", "titres-bar--validated"),
    ("rejected", "titres-bar--rejected"),
    ("suspended", "titres-bar--suspended"),
]


def _chart(data):
    """Bars of a grouped bar chart, computed here so the SVG template only
    places rectangles (no inline style: CSP)."""
    group = 4 * 14 + 16
    scale = CHART_HEIGHT / data.max_value
    bars = []
    for i, week in enumerate(data.weeks):
        for j, (name, css) in enumerate(SERIES):
            value = getattr(week, name)
            height = round(value * scale)
            bars.append(
                {
                    "x": 40 + i * group + j * 14,
                    "y": 10 + CHART_HEIGHT - height,
                    "height": height,
                    "css": css,
                    "value": value,
                }
            )
    labels = [{"x": 40 + i * group + 28, "text": w.label} for i, w in enumerate(data.weeks)]
    return {
        "bars": bars,
        "labels": labels,
        "width": 40 + len(data.weeks) * group,
        "height": CHART_HEIGHT + 40,
        "base": CHART_HEIGHT + 10,
        "max": data.max_value,
    }
