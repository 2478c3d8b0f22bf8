"""The work list, the advanced search and the chief's bulk actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from titres.core import numbering

from .. import services, worklist_query
from ..access import agent_demarches, is_chef, memberships_of
from ..auth import agent_view
from ..enums import Tab, labels_in_language
from ..forms import SearchForm
from ..models import DemarcheSearchEntry
from ..search import Criteria, search_demarches
from .common import authority_of, list_queryset, page_context
from .csv_export import csv_export

# 25 files a page (issue 17): half the rows of the old 50 for an agent who
# works from the top of the list (oldest first); tabs, "assignées à moi"
# and the order are kept from page to page (instruction_tags.list_pagination).
PAGE_SIZE = 25


SEARCH_PAGE_SIZE = 25


@agent_view
def home(request):
    membership = memberships_of(request.user).order_by("authority__code").first()
    return redirect("instruction:worklist", code=membership.authority.code)


@agent_view
def worklist(request, code):
    """Seed 002 "Liste des demandes sur l'autorité N": tabs, counts, files
    assigned to me, oldest first."""
    authority, role = authority_of(request, code)
    tab = request.GET.get("onglet", Tab.A_TRAITER)
    if tab not in Tab.values:
        tab = Tab.A_TRAITER
    mine = request.GET.get("mien") == "1"
    # Both queries compiled once per process (worklist_query says why).
    counts, rows = worklist_query.worklist(request, authority, tab, mine)
    paginator = Paginator(rows, PAGE_SIZE)
    if not mine:
        # The tab's count is this list's length (the same files, the tab's
        # statuses): one COUNT query fewer. "Mine" counts open files only.
        paginator.count = counts[tab]
    page = paginator.get_page(request.GET.get("page"))
    labels = labels_in_language()  # the tabs' labels as text, translated once
    tabs = [(t.value, labels["tab", t.value], counts[t.value]) for t in Tab]
    return render(
        request,
        "instruction/worklist.html",
        page_context(
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
    authority, role = authority_of(request, code)
    form = SearchForm(request.GET or None, motifs=_motifs(authority))
    results = None
    page = None
    if request.GET and form.is_valid():
        results = search_demarches(list_queryset(request, authority), _criteria(form))
        if request.GET.get("format") == "csv":
            return csv_export(request, authority, results)
        page = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "instruction/search.html",
        page_context(request, authority, role, form=form, page=page, query=query.urlencode()),
    )


@agent_view
@require_POST
def bulk(request, code):
    authority, role = authority_of(request, code)
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
