from django.contrib import admin

from titres.core.admin import ReadOnlyAdmin

from .models import BankSession, LedgerEntry, Payment, PaymentNotification, Stamp

# Money records change only through services (and their journal).


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "kind",
        "purpose",
        "amount_cents",
        "state",
        "provider",
        "created_at",
    ]
    list_filter = ["state", "kind", "provider"]
    search_fields = ["reference", "email", "idempotency_key"]


@admin.register(Stamp)
class StampAdmin(ReadOnlyAdmin):
    list_display = ["number", "purpose", "amount_cents", "state", "holder", "valid_until"]
    list_filter = ["state", "purpose"]
    search_fields = ["number", "email", "holder"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "debit", "credit", "amount_cents", "payment", "stamp"]
    list_filter = ["kind"]


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "provider", "reference", "signature_valid", "outcome"]
    list_filter = ["signature_valid", "outcome"]


@admin.register(BankSession)
class BankSessionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "merchant_id", "amount_cents", "state", "created_at"]
