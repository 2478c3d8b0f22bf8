"""The local bank's hosted payment page (public, like a real provider's)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..enums import BankSessionState
from ..forms import CardForm, ChallengeForm
from ..models import BankSession
from . import bank, cards


def _finished(request, session):
    """Back to the shop once the bank has decided."""
    return redirect(session.return_url)


@login_not_required
@never_cache
def payment_page(request, token):
    session = get_object_or_404(BankSession, token=token)
    if session.state == BankSessionState.CHALLENGE:
        return redirect("paiements:banque_3ds", token=token)
    if session.state != BankSessionState.OUVERTE:
        return _finished(request, session)
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = bank.pay_with_card(token=token, card_number=form.cleaned_data["numero_carte"])
        if session.state == BankSessionState.CHALLENGE:
            return redirect("paiements:banque_3ds", token=token)
        return _finished(request, session)
    return render(
        request,
        "paiements/banque/paiement.html",
        {
            "session": session,
            "form": form,
            "test_cards": cards.TEST_CARDS if settings.DEBUG else [],
        },
    )


@login_not_required
@never_cache
def challenge_page(request, token):
    session = get_object_or_404(BankSession, token=token)
    if session.state == BankSessionState.OUVERTE:
        return redirect("paiements:banque", token=token)
    if session.state != BankSessionState.CHALLENGE:
        return _finished(request, session)
    form = ChallengeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session, ok = bank.answer_challenge(token=token, code=form.cleaned_data["code"])
        if session.state != BankSessionState.CHALLENGE:
            return _finished(request, session)
        left = bank.MAX_CHALLENGE_ATTEMPTS - session.challenge_attempts
        form.add_error(
            "code",
            _("Code incorrect. Il vous reste %(n)s essai(s).") % {"n": left},
        )
    return render(
        request,
        "paiements/banque/3ds.html",
        {
            "session": session,
            "form": form,
            "demo_code": session.challenge_code if settings.DEBUG else "",
        },
    )


@login_not_required
@require_POST
def cancel(request, token):
    get_object_or_404(BankSession, token=token)
    session = bank.cancel(token=token)
    return _finished(request, session)
