"""The public directory: search page and the communes' autocompletion."""

import json
from functools import cache
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from titres.core import ratelimit
from titres.core.journal import client_ip
from titres.permis.communes import search_communes
from titres.permis.identifiers import format_ephoto_code
from titres.permis.services import check_ephoto_code

from . import geo, search
from .forms import DirectorySearchForm, EPhotoCheckForm

SEARCH_LIMIT = "60/minute"
EPHOTO_LIMIT = "20/minute"
MIN_SPAN = 110  # map units (a hundredth of a degree of latitude)
COMMUNES_LIMIT = "120/minute"


@cache
def departement_paths() -> dict[str, str]:
    return json.loads((geo.DATA_DIR / "departements_paths.json").read_text(encoding="utf-8"))


def _allowed(request, scope: str, limit: str) -> bool:
    ip = client_ip(request)
    return ip is None or ratelimit.hit(f"annuaire:{scope}:ip", ip, limit)


def _map(results, origin):
    markers = []
    for hit in results.hits:
        point = geo.project(hit.entry.latitude, hit.entry.longitude)
        if point:
            markers.append({"x": point[0], "y": point[1], "rank": hit.rank})
    departements = sorted({h.entry.departement_code for h in results.hits} - {""})
    paths = departement_paths()
    origin_point = geo.project(origin.latitude, origin.longitude)
    return {
        "view": _zoom(
            [(m["x"], m["y"]) for m in markers] + ([origin_point] if origin_point else [])
        ),
        "markers": markers,
        "highlighted": [paths[d] for d in departements if d in paths],
        "origin": origin_point,
        "outside": len(results.hits) - len(markers),
    }


def _zoom(points):
    """A square view around the results (and the origin), never smaller
    than about 100 km across, inside the map; the whole map otherwise."""
    if not points:
        span, left, top = geo.MAP_WIDTH, 0, 0
    else:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        span = min(
            geo.MAP_WIDTH, max(MIN_SPAN, (max(xs) - min(xs)) * 1.3, (max(ys) - min(ys)) * 1.3)
        )
        left = min(max(0, (max(xs) + min(xs)) / 2 - span / 2), geo.MAP_WIDTH - span)
        top = min(max(0, (max(ys) + min(ys)) / 2 - span / 2), geo.MAP_HEIGHT - span)
    return {
        "box": f"{left:.0f} {top:.0f} {span:.0f} {span:.0f}",
        "marker": round(span / 28, 1),
        "origin": round(span / 50, 1),
        "font": round(span / 24, 1),
        "stroke": round(span / 400, 2),
    }


def _page_url(request, number):
    query = request.GET.copy()
    query["page"] = str(number)
    return "?" + urlencode(sorted(query.lists()), doseq=True)


@login_not_required
@require_GET
def directory(request):
    """Trouver un professionnel, un photographe, une mairie ou un point numérique."""
    form = DirectorySearchForm(request.GET or None)
    context = {"form": form, "results": None}
    if form.is_bound:
        if not _allowed(request, "search", SEARCH_LIMIT):
            context["limited"] = _(
                "Trop de recherches depuis votre adresse réseau. Réessayez dans une minute."
            )
            return render(request, "annuaire/directory.html", context, status=429)
        if form.is_valid() and form.cleaned_data.get("origin"):
            data = form.cleaned_data
            results = search.nearest(
                origin=data["origin"], kinds=data["types"], page=data.get("page") or 1
            )
            context.update(
                results=results,
                origin=data["origin"],
                map=_map(results, data["origin"]),
                previous_url=_page_url(request, results.number - 1),
                next_url=_page_url(request, results.number + 1),
            )
    if form.choices_to_pick:
        base = request.GET.copy()
        base.pop("page", None)
        choices = []
        for commune in form.choices_to_pick:
            query = base.copy()
            query["lieu"] = f"{commune.postal_code} {commune.name}"
            query["insee"] = commune.insee_code
            choices.append(
                (
                    f"{commune.postal_code} {commune.name}",
                    "?" + urlencode(sorted(query.lists()), doseq=True),
                )
            )
        context["choices"] = choices
    return render(request, "annuaire/directory.html", context)


@login_not_required
@require_GET
def communes(request):
    """Autocompletion of the search field: ?q=char (3 letters) or ?q=080."""
    if not _allowed(request, "communes", COMMUNES_LIMIT):
        return JsonResponse({"results": [], "error": "Trop de requêtes."}, status=429)
    query = request.GET.get("q", "")[:50]
    if len(query.strip()) < 2:
        return JsonResponse({"results": []})
    results = [
        {"label": f"{c.postal_code} {c.name}", "code_insee": c.insee_code}
        for c in search_communes(query, limit=10)
    ]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
@require_GET
def ephoto_check(request):
    """Vérifier un code photo numérique (e-photo): valid, expired, already
    used or unknown. Says nothing of the person or the photographer."""
    form = EPhotoCheckForm(request.GET or None)
    context = {"form": form, "check": None}
    if form.is_bound:
        if not _allowed(request, "ephoto", EPHOTO_LIMIT):
            context["limited"] = _(
                "Trop de vérifications depuis votre adresse réseau. Réessayez dans une minute."
            )
            return render(request, "annuaire/ephoto_check.html", context, status=429)
        if form.is_valid():
            check = check_ephoto_code(form.cleaned_data["code"])
            if check.ok:
                context["check"] = check
                context["code_display"] = format_ephoto_code(check.code)
            else:
                form.add_error("code", check.error)
    return render(request, "annuaire/ephoto_check.html", context)
