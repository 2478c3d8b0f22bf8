from django.contrib import admin

from .models import ApiToken, CallLog, Partner


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "state", "created_at"]
    search_fields = ["name", "siret"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only here: tokens are issued, renewed and revoked through the
    services (the secret is shown once, every change is journaled)."""

    list_display = ["partner", "procedure", "key_id", "expires_at", "revoked_at"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CallLog)
class CallLogAdmin(admin.ModelAdmin):
    list_display = ["at", "token", "path", "status_code", "error_code", "latency_ms"]
    list_filter = ["status_code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
