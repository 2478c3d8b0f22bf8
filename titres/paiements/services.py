"""Every write of the payments app: card payments, stamps, ledger.

Public API for the procedure apps (they call these; this app never imports
them):

    reserve_stamp(*, number, purpose, holder, actor, request=None) -> Stamp
    consume_stamp(*, number, holder, actor, purpose=None, request=None) -> Stamp
    release_stamp(*, number, holder, actor, request=None) -> Stamp
    stamp_status(number) -> StampStatus | None
    start_card_payment(*, amount_cents, label, email, idempotency_key, actor, ...) -> PaymentStart

Refusals raise `StampError` (a ValidationError carrying the French message
and a `code`), so a form can show it with `form.add_error("timbre", exc)`.
Stamp state changes are conditional UPDATEs (`... WHERE state = ...`): two
drafts racing for one stamp, or two submissions consuming it, get exactly
one winner, on PostgreSQL as on SQLite.
"""

import base64
import calendar
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from titres.core.journal import record_event
from titres.core.notifications import notify_email, site_url
from titres.paiements.audit import PaiementsEvent

from . import conf
from .enums import (
    LEDGER_ACCOUNTS,
    RESULT_TO_STATE,
    STAMP_AMOUNTS_CENTS,
    LedgerKind,
    PaymentKind,
    PaymentResult,
    PaymentState,
    StampPurpose,
    StampState,
)
from .models import LedgerEntry, Payment, PaymentNotification, Stamp, format_amount
from .numbers import clean_stamp_number, generate_stamp_number
from .providers import get_provider
from .providers.base import Notification, PaymentRequest
from .signals import payment_accepted

logger = logging.getLogger(__name__)

COUNTER_PROVIDER = "guichet"  # stamps sold at a counter (tobacconist), no card


class StampError(ValidationError):
    """A refused stamp operation; `.code` says why, the message is French."""


class PaymentError(ValidationError):
    """A refused payment request."""


# One audit code per final state of a payment (never built at run time, so
# the codes stay the enum's).
SETTLEMENT_EVENTS = {
    PaymentState.ACCEPTE: PaiementsEvent.PAYMENT_ACCEPTED,
    PaymentState.REFUSE: PaiementsEvent.PAYMENT_REFUSED,
    PaymentState.ANNULE: PaiementsEvent.PAYMENT_CANCELLED,
    PaymentState.ECHEC: PaiementsEvent.PAYMENT_FAILED,
}


@dataclass(frozen=True)
class PaymentStart:
    payment: Payment
    redirect_url: str


@dataclass(frozen=True)
class StampStatus:
    number: str
    state: str
    state_label: str
    purpose: str
    purpose_label: str
    amount_cents: int
    amount_display: str
    purchased_at: datetime
    valid_until: datetime
    usable: bool


# --------------------------------------------------------------------------
# helpers


def add_months(moment: datetime, months: int) -> datetime:
    """Same day `months` later (last day of the month when it does not exist)."""
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _ledger(kind: str, amount_cents: int, *, payment=None, stamp=None, label="") -> LedgerEntry:
    debit, credit = LEDGER_ACCOUNTS[kind]
    return LedgerEntry.objects.create(
        kind=kind,
        debit=debit,
        credit=credit,
        amount_cents=amount_cents,
        payment=payment,
        stamp=stamp,
        label=label[:200],
    )


def _new_reference() -> str:
    # 12 digits, like the numeric references of public-sector providers.
    while True:
        reference = str(secrets.randbelow(9 * 10**11) + 10**11)
        if not Payment.objects.filter(reference=reference).exists():
            return reference


def _normalise_number(number: str) -> str:
    try:
        return clean_stamp_number(number)
    except ValidationError as exc:
        raise StampError(exc.messages[0], code=exc.code)


def _short_date(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y")


def _purpose_label(purpose: str) -> str:
    return str(StampPurpose(purpose).label)


# --------------------------------------------------------------------------
# card payments


def payment_return_path(payment: Payment) -> str:
    return reverse("paiements:resultat", args=[payment.public_token])


@transaction.atomic
def start_card_payment(
    *,
    amount_cents: int,
    label: str,
    email: str,
    idempotency_key: str,
    actor,
    next_url: str = "",
    metadata: dict | None = None,
    kind: str = PaymentKind.FRAIS,
    purpose: str = "",
    return_path: str = "",
    request=None,
) -> PaymentStart:
    """Create (or find again, by `idempotency_key`) a card payment and
    register it with the provider. Returns where to send the buyer.

    A second call with the same key and the same request returns the same
    payment: a double click or a retried request never charges twice. The
    same key with a different request is refused."""
    if not idempotency_key or len(idempotency_key) > 80:
        raise PaymentError(_("Demande de paiement invalide."), code="cle")
    if amount_cents <= 0:
        raise PaymentError(_("Le montant doit être positif."), code="montant")
    fingerprint = {
        "kind": kind,
        "amount_cents": amount_cents,
        "email": email.lower(),
        "purpose": purpose,
    }
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                idempotency_key=idempotency_key,
                reference=_new_reference(),
                public_token=secrets.token_urlsafe(24),
                provider=conf.provider_code(),
                merchant_id=conf.merchant_id(),
                kind=kind,
                purpose=purpose,
                label=label[:200],
                amount_cents=amount_cents,
                email=email,
                next_url=next_url,
                metadata=metadata or {},
            )
        created = True
    except IntegrityError:
        payment = Payment.objects.select_for_update().get(idempotency_key=idempotency_key)
        created = False
        existing = {
            "kind": payment.kind,
            "amount_cents": payment.amount_cents,
            "email": payment.email.lower(),
            "purpose": payment.purpose,
        }
        if existing != fingerprint:
            raise PaymentError(
                _("Cette demande de paiement a déjà été enregistrée avec d’autres informations."),
                code="cle_reutilisee",
            )
    if payment.is_final:
        return PaymentStart(payment, payment_return_path(payment))

    provider = get_provider(payment.provider)
    redirect = provider.start(
        PaymentRequest(
            merchant_id=payment.merchant_id,
            reference=payment.reference,
            amount_cents=payment.amount_cents,
            label=payment.label,
            email=payment.email,
            return_url=site_url(return_path or payment_return_path(payment)),
            notify_url=site_url(reverse("paiements:notification", args=[payment.provider])),
        )
    )
    if created:
        if redirect.provider_transaction_id:
            payment.provider_transaction_id = redirect.provider_transaction_id
            payment.save(update_fields=["provider_transaction_id"])
        record_event(
            PaiementsEvent.PAYMENT_CREATED,
            actor=actor,
            request=request,
            target=payment,
            data={
                "reference": payment.reference,
                "montant": payment.amount_cents,
                "nature": payment.kind,
                "motif": payment.purpose,
                "prestataire": payment.provider,
            },
        )
    return PaymentStart(payment, redirect.url)


def start_stamp_purchase(
    *, purpose: str, email: str, idempotency_key: str, actor, next_url: str = "", request=None
) -> PaymentStart:
    purpose = StampPurpose(purpose)
    amount = STAMP_AMOUNTS_CENTS[purpose]
    return start_card_payment(
        amount_cents=amount,
        label=_("Timbre fiscal électronique — %(motif)s") % {"motif": purpose.label},
        email=email,
        idempotency_key=idempotency_key,
        actor=actor,
        next_url=next_url,
        kind=PaymentKind.TIMBRE,
        purpose=purpose,
        request=request,
    )


@transaction.atomic
def settle_payment(
    *, notification: Notification, provider_code: str, request=None
) -> tuple[str, Payment | None]:
    """Apply a verified provider notification. Idempotent: a repeated
    notification changes nothing and issues nothing. Returns an outcome
    code and the payment."""
    payment = (
        Payment.objects.select_for_update()
        .filter(reference=notification.reference, provider=provider_code)
        .first()
    )
    log = PaymentNotification(
        provider=provider_code,
        reference=notification.reference,
        payload=notification.raw,
        signature_valid=True,
    )
    if payment is None:
        log.outcome = "paiement_inconnu"
        log.save()
        record_event(
            PaiementsEvent.NOTIFICATION_UNKNOWN,
            request=request,
            object_type="paiements.payment",
            object_id=notification.reference,
            data={"prestataire": provider_code, "reference": notification.reference},
        )
        return log.outcome, None
    if (
        payment.merchant_id != notification.merchant_id
        or payment.amount_cents != notification.amount_cents
    ):
        log.outcome = "incoherente"
        log.save()
        record_event(
            PaiementsEvent.NOTIFICATION_INCONSISTENT,
            request=request,
            target=payment,
            data={
                "montant_attendu": payment.amount_cents,
                "montant_notifie": notification.amount_cents,
                "commercant_notifie": notification.merchant_id,
            },
        )
        return log.outcome, payment

    new_state = RESULT_TO_STATE[PaymentResult(notification.result)]
    if payment.is_final:
        log.outcome = "deja_traitee" if payment.state == new_state else "contradictoire"
        log.save()
        record_event(
            PaiementsEvent.NOTIFICATION_REPLAYED
            if log.outcome == "deja_traitee"
            else PaiementsEvent.NOTIFICATION_CONTRADICTORY,
            request=request,
            target=payment,
            data={"etat": payment.state, "resultat_notifie": notification.result},
        )
        return log.outcome, payment

    now = timezone.now()
    payment.state = new_state
    payment.settled_at = now
    payment.provider_transaction_id = notification.transaction_id or payment.provider_transaction_id
    payment.failure_reason = notification.reason[:200]
    payment.save(update_fields=["state", "settled_at", "provider_transaction_id", "failure_reason"])
    log.outcome = new_state
    log.save()
    record_event(
        SETTLEMENT_EVENTS[new_state],
        request=request,
        target=payment,
        data={
            "reference": payment.reference,
            "montant": payment.amount_cents,
            "autorisation": notification.authorisation_number,
            "motif_refus": notification.reason,
        },
    )
    if new_state == PaymentState.ACCEPTE:
        _record_acceptance(payment, request=request)
    return new_state, payment


def _record_acceptance(payment: Payment, *, request=None, send_email: bool = True) -> None:
    _ledger(LedgerKind.PAIEMENT, payment.amount_cents, payment=payment, label=payment.label)
    if payment.kind == PaymentKind.TIMBRE:
        _issue_stamp(payment, request=request, send_email=send_email)
    else:
        _ledger(LedgerKind.FRAIS, payment.amount_cents, payment=payment, label=payment.label)
    transaction.on_commit(lambda: payment_accepted.send(sender=Payment, payment=payment))


def _issue_stamp(payment: Payment, *, request=None, send_email: bool = True) -> Stamp:
    now = payment.settled_at or timezone.now()
    while True:
        number = generate_stamp_number()
        if not Stamp.objects.filter(number=number).exists():
            break
    stamp = Stamp.objects.create(
        number=number,
        purpose=payment.purpose,
        amount_cents=payment.amount_cents,
        email=payment.email,
        payment=payment,
        purchased_at=now,
        valid_until=add_months(now, conf.STAMP_VALIDITY_MONTHS),
    )
    _ledger(LedgerKind.EMISSION, stamp.amount_cents, payment=payment, stamp=stamp)
    record_event(
        PaiementsEvent.TIMBRE_ISSUED,
        request=request,
        target=stamp,
        data={"motif": stamp.purpose, "montant": stamp.amount_cents, "paiement": payment.reference},
    )
    if send_email:
        from .pdf import render_stamp_pdf

        pdf = base64.b64encode(render_stamp_pdf(stamp)).decode()
        notify_email(
            template="paiements/emails/timbre",
            to=stamp.email,
            context=_stamp_mail_context(stamp),
            attachments=[(f"timbre-{stamp.number}.pdf", pdf, "application/pdf")],
        )
    return stamp


def _stamp_mail_context(stamp: Stamp) -> dict:
    return {
        "number": stamp.number,
        "number_display": stamp.number_display,
        "purpose": _purpose_label(stamp.purpose),
        "amount": format_amount(stamp.amount_cents),
        "valid_until": _short_date(stamp.valid_until),
        "status_path": reverse("paiements:verifier") + f"?numero={stamp.number}",
    }


@transaction.atomic
def sell_stamp_at_counter(
    *, purpose: str, email: str, actor, send_email: bool = False, request=None
) -> Stamp:
    """A stamp paid otherwise than by card on this site (e.g. at a
    tobacconist's counter): same payment, ledger and stamp records. Used by
    demo data, benchmarks and tests."""
    purpose = StampPurpose(purpose)
    payment = Payment.objects.create(
        idempotency_key=f"guichet-{secrets.token_hex(16)}",
        reference=_new_reference(),
        public_token=secrets.token_urlsafe(24),
        provider=COUNTER_PROVIDER,
        merchant_id=conf.merchant_id(),
        kind=PaymentKind.TIMBRE,
        purpose=purpose,
        label=_("Timbre fiscal électronique — %(motif)s") % {"motif": purpose.label},
        amount_cents=STAMP_AMOUNTS_CENTS[purpose],
        email=email,
        state=PaymentState.ACCEPTE,
        settled_at=timezone.now(),
    )
    record_event(
        PaiementsEvent.PAYMENT_ACCEPTED,
        actor=actor,
        request=request,
        target=payment,
        data={"reference": payment.reference, "montant": payment.amount_cents, "canal": "guichet"},
    )
    _record_acceptance(payment, request=request, send_email=send_email)
    return payment.stamp


# --------------------------------------------------------------------------
# stamps used by procedures


def _refusal(stamp: Stamp | None, *, purpose: str | None, holder: str, now) -> StampError:
    if stamp is None:
        return StampError(_("Aucun timbre ne correspond à ce numéro."), code="inconnu")
    if stamp.state == StampState.CONSOMME:
        return StampError(_("Ce timbre a déjà été utilisé pour une démarche."), code="consomme")
    if stamp.state == StampState.REMBOURSE:
        return StampError(
            _("Ce timbre a été remboursé : il n’est plus utilisable."), code="rembourse"
        )
    if stamp.state == StampState.EXPIRE or stamp.valid_until <= now:
        return StampError(
            _(
                "Ce timbre n’est plus valable depuis le %(date)s : un timbre est valable "
                "12 mois à compter de son achat."
            )
            % {"date": _short_date(stamp.valid_until)},
            code="expire",
        )
    if purpose is not None and stamp.purpose != purpose:
        return StampError(
            _(
                "Ce timbre a été acheté pour « %(motif_timbre)s » (%(montant_timbre)s) ; "
                "cette démarche demande un timbre « %(motif)s » (%(montant)s)."
            )
            % {
                "motif_timbre": _purpose_label(stamp.purpose),
                "montant_timbre": format_amount(stamp.amount_cents),
                "motif": _purpose_label(purpose),
                "montant": format_amount(STAMP_AMOUNTS_CENTS[purpose]),
            },
            code="motif",
        )
    if purpose is not None and stamp.amount_cents != STAMP_AMOUNTS_CENTS[purpose]:
        return StampError(
            _("Le montant de ce timbre (%(montant)s) ne correspond pas au tarif (%(tarif)s).")
            % {
                "montant": format_amount(stamp.amount_cents),
                "tarif": format_amount(STAMP_AMOUNTS_CENTS[purpose]),
            },
            code="montant",
        )
    if stamp.state == StampState.RESERVE and stamp.holder != holder:
        return StampError(_("Ce timbre est déjà réservé par une autre démarche."), code="reserve")
    if stamp.state == StampState.DISPONIBLE:
        return StampError(_("Ce timbre n’est pas réservé par cette démarche."), code="non_reserve")
    return StampError(_("Ce timbre ne peut pas être utilisé."), code="etat")


def _check_holder(holder: str) -> str:
    holder = (holder or "").strip()
    if not holder or len(holder) > 120:
        raise ValueError("holder must be a non-empty string of at most 120 characters")
    return holder


def check_stamp(*, number: str, purpose: str, holder: str) -> Stamp:
    """Raise the StampError `reserve_stamp` would raise, without writing:
    for form validation (which may run several times and must not change
    anything). The reservation itself happens when the step is saved."""
    number = _normalise_number(number)
    purpose = StampPurpose(purpose)
    holder = _check_holder(holder)
    now = timezone.now()
    stamp = Stamp.objects.filter(number=number).first()
    usable = (
        stamp is not None
        and stamp.purpose == purpose
        and stamp.amount_cents == STAMP_AMOUNTS_CENTS[purpose]
        and stamp.valid_until > now
        and (
            stamp.state == StampState.DISPONIBLE
            or (stamp.state == StampState.RESERVE and stamp.holder == holder)
        )
    )
    if not usable:
        raise _refusal(stamp, purpose=purpose, holder=holder, now=now)
    return stamp


@transaction.atomic
def reserve_stamp(*, number: str, purpose: str, holder: str, actor, request=None) -> Stamp:
    """Hold an available, valid stamp of `purpose` (and its official amount)
    for `holder` (e.g. "demarche:<number>"). Reserving again for the same
    holder is a no-op."""
    number = _normalise_number(number)
    purpose = StampPurpose(purpose)
    holder = _check_holder(holder)
    now = timezone.now()
    won = Stamp.objects.filter(
        number=number,
        purpose=purpose,
        amount_cents=STAMP_AMOUNTS_CENTS[purpose],
        state=StampState.DISPONIBLE,
        valid_until__gt=now,
    ).update(state=StampState.RESERVE, holder=holder, reserved_at=now)
    stamp = Stamp.objects.filter(number=number).first()
    if not won:
        if (
            stamp is not None
            and stamp.state == StampState.RESERVE
            and stamp.holder == holder
            and stamp.purpose == purpose
            and stamp.valid_until > now
        ):
            return stamp
        raise _refusal(stamp, purpose=purpose, holder=holder, now=now)
    record_event(
        PaiementsEvent.TIMBRE_RESERVED,
        actor=actor,
        request=request,
        target=stamp,
        data={"detenteur": holder, "motif": purpose},
    )
    return stamp


@transaction.atomic
def consume_stamp(
    *, number: str, holder: str, actor, purpose: str | None = None, request=None
) -> Stamp:
    """Use a stamp for the file `holder` when it is submitted.

    The stamp must be reserved by `holder`; when `purpose` is given, an
    available stamp of that purpose is also accepted (reserve and consume in
    one step). Consuming again for the same holder is a no-op; for anyone
    else it is refused, whatever the concurrency."""
    number = _normalise_number(number)
    holder = _check_holder(holder)
    if purpose is not None:
        purpose = StampPurpose(purpose)
    now = timezone.now()
    eligible = Q(state=StampState.RESERVE, holder=holder)
    if purpose is not None:
        eligible |= Q(
            state=StampState.DISPONIBLE,
            purpose=purpose,
            amount_cents=STAMP_AMOUNTS_CENTS[purpose],
        )
    candidates = Stamp.objects.filter(eligible, number=number, valid_until__gt=now)
    if purpose is not None:
        candidates = candidates.filter(purpose=purpose)
    won = candidates.update(state=StampState.CONSOMME, holder=holder, consumed_at=now)
    stamp = Stamp.objects.filter(number=number).first()
    if not won:
        if stamp is not None and stamp.state == StampState.CONSOMME and stamp.holder == holder:
            return stamp
        raise _refusal(stamp, purpose=purpose, holder=holder, now=now)
    _ledger(LedgerKind.CONSOMMATION, stamp.amount_cents, stamp=stamp, label=holder)
    record_event(
        PaiementsEvent.TIMBRE_CONSUMED,
        actor=actor,
        request=request,
        target=stamp,
        data={"detenteur": holder},
    )
    return stamp


@transaction.atomic
def release_stamp(*, number: str, holder: str, actor, request=None) -> Stamp:
    """Give back a stamp reserved by `holder` (draft abandoned or expired).
    Releasing a stamp that is no longer held (already available, expired or
    refunded meanwhile) is a no-op; a stamp held by someone else, or already
    used, is refused."""
    number = _normalise_number(number)
    holder = _check_holder(holder)
    won = Stamp.objects.filter(number=number, state=StampState.RESERVE, holder=holder).update(
        state=StampState.DISPONIBLE, holder="", reserved_at=None
    )
    stamp = Stamp.objects.filter(number=number).first()
    if stamp is None:
        raise _refusal(None, purpose=None, holder=holder, now=timezone.now())
    if not won:
        if stamp.state in (StampState.DISPONIBLE, StampState.EXPIRE, StampState.REMBOURSE):
            return stamp
        if stamp.state == StampState.CONSOMME:
            raise StampError(
                _("Ce timbre a déjà été utilisé : il ne peut plus être libéré."), code="consomme"
            )
        raise StampError(_("Ce timbre n’est pas réservé par cette démarche."), code="reserve")
    record_event(
        PaiementsEvent.TIMBRE_RELEASED,
        actor=actor,
        request=request,
        target=stamp,
        data={"detenteur": holder},
    )
    return stamp


def stamp_status(number: str) -> StampStatus | None:
    """What anyone holding the number may know: state, purpose, amount,
    validity. None when no stamp has this number (StampError when the
    number itself is malformed)."""
    number = _normalise_number(number)
    stamp = Stamp.objects.filter(number=number).first()
    if stamp is None:
        return None
    now = timezone.now()
    state = stamp.state
    if state in (StampState.DISPONIBLE, StampState.RESERVE) and stamp.valid_until <= now:
        state = StampState.EXPIRE  # shown as it will be after the nightly run
    return StampStatus(
        number=stamp.number,
        state=state,
        state_label=str(StampState(state).label),
        purpose=stamp.purpose,
        purpose_label=_purpose_label(stamp.purpose),
        amount_cents=stamp.amount_cents,
        amount_display=format_amount(stamp.amount_cents),
        purchased_at=stamp.purchased_at,
        valid_until=stamp.valid_until,
        usable=state == StampState.DISPONIBLE,
    )


# --------------------------------------------------------------------------
# refunds and expiry


def find_refundable_stamp(*, number: str, email: str, lock: bool = False) -> Stamp:
    """The stamp `number` if it was sent to `email` and may be refunded;
    StampError with the French reason otherwise."""
    number = _normalise_number(number)
    stamps = Stamp.objects.select_for_update() if lock else Stamp.objects.all()
    stamp = stamps.filter(number=number).first()
    if stamp is None or stamp.email.lower() != (email or "").strip().lower():
        raise StampError(
            _("Aucun timbre ne correspond à ce numéro et à cette adresse e-mail."),
            code="inconnu",
        )
    if stamp.state == StampState.CONSOMME:
        raise StampError(
            _("Ce timbre a déjà été utilisé : il ne peut pas être remboursé."), code="consomme"
        )
    if stamp.state == StampState.RESERVE:
        raise StampError(
            _(
                "Ce timbre est réservé par une démarche en cours : il ne peut pas être "
                "remboursé tant qu’elle ne l’a pas libéré."
            ),
            code="reserve",
        )
    if stamp.state == StampState.REMBOURSE:
        raise StampError(_("Ce timbre a déjà été remboursé."), code="rembourse")
    if stamp.state == StampState.EXPIRE or stamp.valid_until <= timezone.now():
        raise StampError(
            _("Ce timbre n’est plus valable : il ne peut pas être remboursé."), code="expire"
        )
    return stamp


@transaction.atomic
def refund_card_payment(*, reference: str, actor, reason: str = "", request=None) -> Payment:
    """Give back an accepted card payment of other fees (e.g. registration
    taxes of a rejected file) through its provider; the ledger records it
    (recettes_frais → banque). Refunding twice is a no-op."""
    payment = Payment.objects.select_for_update().get(reference=reference)
    if payment.state != PaymentState.ACCEPTE or payment.kind != PaymentKind.FRAIS:
        raise PaymentError(
            _("Seul un paiement accepté d’autres frais peut être remboursé ainsi."),
            code="non_remboursable",
        )
    if payment.ledger_entries.filter(kind=LedgerKind.REMBOURSEMENT_FRAIS).exists():
        return payment
    _ledger(
        LedgerKind.REMBOURSEMENT_FRAIS, payment.amount_cents, payment=payment, label=reason[:200]
    )
    # Inside the transaction: if the provider refuses, nothing changes here.
    get_provider(payment.provider).refund(
        reference=payment.reference, amount_cents=payment.amount_cents
    )
    record_event(
        PaiementsEvent.FRAIS_REFUNDED,
        actor=actor,
        request=request,
        target=payment,
        data={
            "reference": payment.reference,
            "montant": payment.amount_cents,
            "motif": reason[:200],
        },
    )
    return payment


@transaction.atomic
def refund_stamp(*, number: str, email: str, actor, request=None) -> Stamp:
    """Refund an available, valid stamp to the card that paid it. The buyer
    proves possession with the number and the e-mail address it was sent to."""
    stamp = find_refundable_stamp(number=number, email=email, lock=True)
    now = timezone.now()
    won = Stamp.objects.filter(pk=stamp.pk, state=StampState.DISPONIBLE).update(
        state=StampState.REMBOURSE, refunded_at=now
    )
    if not won:  # pragma: no cover - the row is locked above
        raise StampError(_("Ce timbre ne peut pas être remboursé."), code="etat")
    stamp.refresh_from_db()
    payment = stamp.payment
    _ledger(LedgerKind.REMBOURSEMENT, stamp.amount_cents, payment=payment, stamp=stamp)
    if payment.provider != COUNTER_PROVIDER:
        # Inside the transaction: if the provider refuses, nothing changes here.
        get_provider(payment.provider).refund(
            reference=payment.reference, amount_cents=stamp.amount_cents
        )
    record_event(
        PaiementsEvent.TIMBRE_REFUNDED,
        actor=actor,
        request=request,
        target=stamp,
        data={"montant": stamp.amount_cents, "paiement": payment.reference},
    )
    notify_email(
        template="paiements/emails/remboursement",
        to=stamp.email,
        context=_stamp_mail_context(stamp),
    )
    return stamp


def expire_stamps(*, actor=None, now: datetime | None = None) -> int:
    """Expire every available or reserved stamp past its validity. Each
    stamp in its own transaction with a conditional UPDATE, so a concurrent
    reservation or consumption either wins before or sees it expired."""
    now = now or timezone.now()
    count = 0
    candidates = Stamp.objects.filter(
        state__in=[StampState.DISPONIBLE, StampState.RESERVE], valid_until__lte=now
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            won = Stamp.objects.filter(
                pk=pk,
                state__in=[StampState.DISPONIBLE, StampState.RESERVE],
                valid_until__lte=now,
            ).update(state=StampState.EXPIRE, holder="", reserved_at=None, expired_at=now)
            if not won:
                continue
            stamp = Stamp.objects.get(pk=pk)
            _ledger(LedgerKind.EXPIRATION, stamp.amount_cents, stamp=stamp)
            record_event(
                PaiementsEvent.TIMBRE_EXPIRED,
                actor=actor,
                target=stamp,
                data={"valable_jusqu_au": stamp.valid_until.isoformat()},
            )
            count += 1
    return count
