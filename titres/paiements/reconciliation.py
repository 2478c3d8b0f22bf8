"""Proof that money and stamps agree (`manage.py reconcile_payments`).

Checks, naming the culprit of each failure:
1. every accepted payment is cashed exactly once in the ledger, for its
   amount, and allocated exactly once (one stamp issued, or other fees);
   no other payment has any ledger entry;
2. payments cashed = stamps issued + other fees (the clearing account
   "encaissements" is zero), and per account the totals agree;
3. every stamp is in exactly one known state, its dates and holder agree
   with that state, and its ledger entries say the same: issued once, and
   closed (used / refunded / expired) exactly once if and only if its
   state is terminal;
4. the stamps-in-circulation account equals the value of the stamps still
   available or reserved.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from .enums import (
    CLOSING_KIND,
    Account,
    LedgerKind,
    PaymentKind,
    PaymentState,
    StampState,
)
from .models import LedgerEntry, Payment, Stamp, format_amount

STATE_FIELDS = {
    StampState.DISPONIBLE: set(),
    StampState.RESERVE: {"reserved_at"},
    StampState.CONSOMME: {"consumed_at"},
    StampState.REMBOURSE: {"refunded_at"},
    StampState.EXPIRE: {"expired_at"},
}
DATE_FIELDS = ("consumed_at", "refunded_at", "expired_at")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    payments_cents: int = 0
    stamps_issued_cents: int = 0
    fees_cents: int = 0
    payments: int = 0
    stamps: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def reconcile() -> Report:
    report = Report()
    problems = report.problems

    # Ledger entries grouped per payment and per stamp.
    by_payment: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in (
        LedgerEntry.objects.filter(payment__isnull=False)
        .values("payment_id", "kind")
        .annotate(n=Count("id"), total=Sum("amount_cents"))
    ):
        by_payment[row["payment_id"]][row["kind"]] = (row["n"], row["total"])
    by_stamp: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in (
        LedgerEntry.objects.filter(stamp__isnull=False)
        .values("stamp_id", "kind")
        .annotate(n=Count("id"), total=Sum("amount_cents"))
    ):
        by_stamp[row["stamp_id"]][row["kind"]] = (row["n"], row["total"])
    stamps_by_payment = dict(Stamp.objects.values_list("payment_id", "id"))

    # 1. payments
    for payment in Payment.objects.order_by("id").iterator(chunk_size=2000):
        name = f"Paiement {payment.reference}"
        entries = by_payment.get(payment.pk, {})
        cashed = entries.get(LedgerKind.PAIEMENT)
        if payment.state != PaymentState.ACCEPTE:
            if entries:
                problems.append(f"{name} : état « {payment.state} » mais écritures au grand livre")
            if payment.pk in stamps_by_payment:
                problems.append(f"{name} : état « {payment.state} » mais un timbre a été émis")
            continue
        report.payments += 1
        report.payments_cents += payment.amount_cents
        if cashed != (1, payment.amount_cents):
            problems.append(
                f"{name} : accepté pour {format_amount(payment.amount_cents)} mais encaissement "
                f"au grand livre {_describe(cashed)}"
            )
        if payment.kind == PaymentKind.TIMBRE:
            if payment.pk not in stamps_by_payment:
                problems.append(f"{name} : accepté mais aucun timbre émis")
            if LedgerKind.FRAIS in entries:
                problems.append(f"{name} : achat de timbre comptabilisé en autres frais")
        else:
            fee = entries.get(LedgerKind.FRAIS)
            if fee != (1, payment.amount_cents):
                problems.append(f"{name} : autres frais au grand livre {_describe(fee)}")
            else:
                report.fees_cents += payment.amount_cents
            refunded = entries.get(LedgerKind.REMBOURSEMENT_FRAIS)
            if refunded is not None and refunded != (1, payment.amount_cents):
                problems.append(f"{name} : remboursement au grand livre {_describe(refunded)}")

    # 3. stamps
    circulating = 0
    for stamp in Stamp.objects.select_related("payment").order_by("id").iterator(chunk_size=2000):
        report.stamps += 1
        name = f"Timbre {stamp.number}"
        entries = by_stamp.get(stamp.pk, {})
        if stamp.state not in StampState.values:
            problems.append(f"{name} : état inconnu « {stamp.state} »")
            continue
        held = stamp.state in (StampState.RESERVE, StampState.CONSOMME)
        if held != bool(stamp.holder):
            problems.append(f"{name} : état « {stamp.state} » et détenteur « {stamp.holder} »")
        dates = {f for f in DATE_FIELDS if getattr(stamp, f) is not None}
        expected_dates = STATE_FIELDS[stamp.state] & set(DATE_FIELDS)
        if dates != expected_dates:
            problems.append(
                f"{name} : état « {stamp.state} » mais dates renseignées {sorted(dates) or 'aucune'}"
                " (un timbre n’a qu’un état à la fois)"
            )
        issued = entries.get(LedgerKind.EMISSION)
        if issued != (1, stamp.amount_cents):
            problems.append(f"{name} : émission au grand livre {_describe(issued)}")
        else:
            report.stamps_issued_cents += stamp.amount_cents
        if (
            stamp.payment.state != PaymentState.ACCEPTE
            or stamp.payment.amount_cents != stamp.amount_cents
        ):
            problems.append(
                f"{name} : payé par {stamp.payment.reference} ({stamp.payment.state}, "
                f"{format_amount(stamp.payment.amount_cents)}) pour {format_amount(stamp.amount_cents)}"
            )
        closings = {kind: entries[kind] for kind in CLOSING_KIND.values() if kind in entries}
        expected_closing = CLOSING_KIND.get(stamp.state)
        if expected_closing is None:
            circulating += stamp.amount_cents
            if closings:
                problems.append(
                    f"{name} : état « {stamp.state} » mais écriture(s) de clôture "
                    f"{', '.join(sorted(closings))}"
                )
        elif closings != {expected_closing: (1, stamp.amount_cents)}:
            problems.append(
                f"{name} : état « {stamp.state} » mais écritures de clôture "
                f"{ {k: _describe(v) for k, v in closings.items()} or 'aucune' }"
            )

    # 2. and 4. account balances
    balances = account_balances()
    if balances.get(Account.ENCAISSEMENTS, 0) != 0:
        problems.append(
            "Grand livre : les encaissements ne sont pas entièrement affectés "
            f"(solde {format_amount(balances[Account.ENCAISSEMENTS])})"
        )
    if report.payments_cents != report.stamps_issued_cents + report.fees_cents:
        problems.append(
            f"Total : paiements {format_amount(report.payments_cents)} ≠ timbres émis "
            f"{format_amount(report.stamps_issued_cents)} + autres frais "
            f"{format_amount(report.fees_cents)}"
        )
    if -balances.get(Account.TIMBRES_EN_CIRCULATION, 0) != circulating:
        problems.append(
            "Grand livre : timbres en circulation "
            f"{format_amount(-balances.get(Account.TIMBRES_EN_CIRCULATION, 0))} au lieu de "
            f"{format_amount(circulating)} (timbres disponibles ou réservés)"
        )
    orphans = LedgerEntry.objects.filter(payment__isnull=True, stamp__isnull=True).count()
    if orphans:
        problems.append(f"Grand livre : {orphans} écriture(s) rattachée(s) à rien")
    return report


def account_balances() -> dict[str, int]:
    """Debit minus credit per account."""
    balances: dict[str, int] = defaultdict(int)
    for row in LedgerEntry.objects.values("debit").annotate(total=Sum("amount_cents")):
        balances[row["debit"]] += row["total"]
    for row in LedgerEntry.objects.values("credit").annotate(total=Sum("amount_cents")):
        balances[row["credit"]] -= row["total"]
    return dict(balances)


def _describe(entry: tuple[int, int] | None) -> str:
    if entry is None:
        return "absent"
    count, total = entry
    return f"{count} écriture(s) pour {format_amount(total)}"
