"""Public information pages: questions fréquentes, guides « Tout savoir »,
actualités, search, and the pages every French public site must have
(mentions légales, données personnelles, cookies, plan du site) plus the
CERFA forms. All public (login_not_required), all GET."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from titres.core import ratelimit
from titres.core.data_retention import rules as retention_rules
from titres.core.journal import client_ip
from titres.procedures.registry import find_procedure

from . import cerfa, fees, selectors, sitemap
from .enums import ArticleKind, Topic
from .forms import SearchForm

PER_PAGE = 10
SEARCH_LIMIT = "60/minute"


def _public(view):
    return login_not_required(require_GET(view))


@_public
def faq(request):
    questions = list(selectors.faq())
    labels = dict(Topic.choices)
    groups = []
    for code, _label in Topic.choices:
        items = [q for q in questions if q.topic == code]
        if items:
            groups.append({"code": code, "label": labels[code], "questions": items})
    return render(request, "infos/faq.html", {"groups": groups, "form": SearchForm()})


@_public
def guides(request):
    return render(
        request,
        "infos/guides.html",
        {"guides": selectors.guides(), "latest_news": selectors.news()[:3], "form": SearchForm()},
    )


@_public
def guide(request, slug):
    article = get_object_or_404(selectors.published(ArticleKind.GUIDE), slug=slug)
    procedure = find_procedure(article.procedure_code)
    category = procedure.category if procedure else ""
    return render(
        request,
        "infos/guide.html",
        {
            "article": article,
            "procedure": procedure,
            "fee_tables": fees.fees_for(article.procedure_code),
            "forms": cerfa.for_procedure(article.procedure_code, category),
        },
    )


@_public
def news(request):
    page = Paginator(selectors.news(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "infos/news.html", {"page": page})


@_public
def news_item(request, slug):
    article = get_object_or_404(selectors.published(ArticleKind.ACTUALITE), slug=slug)
    return render(request, "infos/news_item.html", {"article": article})


@_public
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "page": None}
    if form.is_bound and form.is_valid():
        ip = client_ip(request)
        if ip is not None and not ratelimit.hit("infos:search:ip", ip, SEARCH_LIMIT):
            context["limited"] = _(
                "Trop de recherches depuis votre adresse réseau. Réessayez dans une minute."
            )
            return render(request, "infos/search.html", context, status=429)
        hits = selectors.search(form.cleaned_data["q"])
        context["page"] = Paginator(hits, PER_PAGE).get_page(request.GET.get("page"))
        context["query"] = form.cleaned_data["q"]
    return render(request, "infos/search.html", context)


@_public
def cerfa_forms(request):
    groups = [
        (label, [(form, find_procedure(form.online) if form.online else None) for form in forms])
        for label, forms in cerfa.by_category()
    ]
    return render(request, "infos/cerfa.html", {"groups": groups})


@_public
def legal(request):
    return render(
        request,
        "infos/legal.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL, "hosting": settings.LEGAL_HOSTING},
    )


@_public
def privacy(request):
    by_app: dict[str, list] = {}
    for rule in retention_rules():
        by_app.setdefault(rule.model.split(".", 1)[0], []).append(rule)
    groups = [(str(sitemap.SECTIONS.get(app, app)), app_rules) for app, app_rules in by_app.items()]
    return render(
        request,
        "infos/privacy.html",
        {"groups": groups, "privacy_email": settings.PRIVACY_CONTACT_EMAIL},
    )


@_public
def cookies(request):
    return render(
        request,
        "infos/cookies.html",
        {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "session_minutes": settings.SESSION_COOKIE_AGE // 60,
            "session_at_close": settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf_days": settings.CSRF_COOKIE_AGE // 86400 if settings.CSRF_COOKIE_AGE else 0,
            "language_cookie": settings.LANGUAGE_COOKIE_NAME,
            "language_days": (settings.LANGUAGE_COOKIE_AGE or 0) // 86400,
            "messages_cookie": _messages_cookie_name(),
        },
    )


def _messages_cookie_name() -> str:
    """The messages framework's cookie, when its storage uses one."""
    storage = getattr(
        settings, "MESSAGE_STORAGE", "django.contrib.messages.storage.fallback.FallbackStorage"
    )
    if storage.endswith(("FallbackStorage", "CookieStorage")):
        from django.contrib.messages.storage.cookie import CookieStorage

        return CookieStorage.cookie_name
    return ""


@_public
def plan(request):
    return render(request, "infos/sitemap.html", {"sections": sitemap.pages()})
