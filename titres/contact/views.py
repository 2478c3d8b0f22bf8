"""The public contact pages: choose a category, write, see the ticket
number, read the answers (signed in, or through the e-mailed link)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from titres.accounts.captcha import captcha_mode
from titres.core import ratelimit
from titres.core.journal import client_ip

from . import services
from .enums import Category
from .forms import ComplaintForm, ContactForm, ReplyForm
from .models import Ticket
from .selectors import tickets_of

SENT_SESSION_KEY = "contact_sent"
# A person writes a few messages, a robot many: per address and per e-mail.
SEND_LIMIT_IP = "10/hour"
SEND_LIMIT_EMAIL = "5/day"
LINK_LIMIT_IP = "60/hour"


def rate_limited() -> str:
    return _(
        "Vous avez envoyé trop de messages en peu de temps. Réessayez dans une heure ; "
        "vos demandes déjà envoyées sont enregistrées."
    )


WRITABLE = [c for c in Category if c != Category.MAIRIE]


def _typed(request):
    return {
        k: v
        for k, v in request.POST.items()
        if k != "csrfmiddlewaretoken" and not k.startswith("captcha")
    }


def _limited(request, email: str) -> bool:
    ip = client_ip(request) or "inconnue"
    if not ratelimit.hit("contact:send:ip", ip, SEND_LIMIT_IP):
        return True
    return bool(email) and not ratelimit.hit("contact:send:email", email.lower(), SEND_LIMIT_EMAIL)


def _remember_sent(request, ticket: Ticket) -> HttpResponseRedirect:
    sent = request.session.get(SENT_SESSION_KEY, [])[-9:]
    request.session[SENT_SESSION_KEY] = [*sent, ticket.number]
    return HttpResponseRedirect(reverse("contact:sent", args=[ticket.number]))


@login_not_required
@require_http_methods(["GET"])
def home(request):
    return render(
        request,
        "contact/home.html",
        {
            "categories": WRITABLE,
            "working_days": services.ANSWER_WORKING_DAYS,
        },
    )


def _sender_form(request, form_class, **kwargs):
    mode = captcha_mode(request)
    common = {"user": request.user, "captcha_mode": mode, "request": request, **kwargs}
    if request.method == "POST" and "switch_captcha" in request.POST:
        return form_class(initial=_typed(request), **common), False
    form = form_class(request.POST or None, request.FILES or None, **common)
    return form, request.method == "POST"


def _submit(request, form, open_function, **extra):
    email = form.cleaned_data.get("email", "")
    if _limited(request, email or getattr(request.user, "email", "")):
        form.add_error(None, rate_limited())
        return None
    try:
        return open_function(
            user=request.user,
            name=form.cleaned_data.get("name", ""),
            email=email,
            subject=form.cleaned_data["subject"],
            message=form.cleaned_data["message"],
            demarche_number=form.cleaned_data.get("demarche_number", ""),
            attachment=form.cleaned_data.get("attachment"),
            request=request,
            **extra,
        )
    except services.ContactError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def write(request, category):
    if category == Category.MAIRIE:
        # Town halls keep their own form and operator flow (accounts).
        return HttpResponseRedirect(reverse("accounts:mairie_request"))
    if category not in Category.values:
        raise Http404
    form, posted = _sender_form(request, ContactForm, category=category)
    if posted and form.is_valid():
        ticket = _submit(request, form, services.open_ticket, category=category)
        if ticket is not None:
            return _remember_sent(request, ticket)
    return render(
        request,
        "contact/write.html",
        {
            "form": form,
            "category": Category(category),
            "working_days": services.ANSWER_WORKING_DAYS,
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def complaint(request):
    form, posted = _sender_form(request, ComplaintForm)
    if posted and form.is_valid():
        ticket = _submit(
            request, form, services.open_complaint, event_on=form.cleaned_data["event_on"]
        )
        if ticket is not None:
            return _remember_sent(request, ticket)
    return render(
        request,
        "contact/complaint.html",
        {
            "form": form,
            "notice_days": services.COMPLAINT_NOTICE_DAYS,
            "handling_days": services.COMPLAINT_HANDLING_DAYS,
        },
    )


@login_not_required
@never_cache
@require_http_methods(["GET"])
def sent(request, number):
    # Only the browser that sent it sees this page (the number alone opens nothing).
    if number not in request.session.get(SENT_SESSION_KEY, []):
        raise Http404
    ticket = get_object_or_404(Ticket, number=number)
    return render(request, "contact/sent.html", {"ticket": ticket})


@never_cache
@require_http_methods(["GET"])
def my_tickets(request):
    tickets = tickets_of(request.user).order_by("-created_at")[:200]
    return render(request, "contact/my_tickets.html", {"tickets": tickets})


def _thread(request, ticket, *, reply_url, actor):
    form = ReplyForm(request.POST or None) if ticket.status != "clos" else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.user_reply(
                    ticket=ticket, body=form.cleaned_data["body"], actor=actor, request=request
                )
            except services.ContactError as error:
                form.add_error("body", error.message)
            else:
                messages.success(request, _("Votre message est ajouté à la demande."))
                return HttpResponseRedirect(reply_url)
    return render(
        request,
        "contact/ticket.html",
        {
            "ticket": ticket,
            "thread": ticket.messages.all(),
            "form": form,
            "reply_url": reply_url,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def my_ticket(request, number):
    ticket = get_object_or_404(tickets_of(request.user), number=number)
    return _thread(
        request,
        ticket,
        reply_url=reverse("contact:my_ticket", args=[number]),
        actor=request.user,
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def ticket_by_link(request, number, token):
    if not ratelimit.hit("contact:link:ip", client_ip(request) or "inconnue", LINK_LIMIT_IP):
        raise Http404
    ticket = Ticket.objects.filter(number=number, user__isnull=True).first()
    if ticket is None or not services.token_matches(ticket, token):
        raise Http404
    return _thread(
        request,
        ticket,
        reply_url=reverse("contact:ticket_by_link", args=[number, token]),
        actor=None,
    )
