from django import forms
from django.contrib import admin

from . import retirements
from .models import ApiToken, CallLog, Partner, Retirement


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "state", "created_at"]
    search_fields = ["name", "siret"]
    filter_horizontal = ["members"]


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


class RetirementForm(forms.ModelForm):
    class Meta:
        model = Retirement
        fields = ["target", "sunset_on", "note"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            # The service checks again; here the operator sees it on the form.
            retirements.check_schedule(target=cleaned["target"], sunset_on=cleaned["sunset_on"])
        return cleaned


@admin.register(Retirement)
class RetirementAdmin(admin.ModelAdmin):
    """Scheduling tells every partner that used the path in the last 90
    days; a retirement is not edited afterwards (they were told a date)."""

    form = RetirementForm
    list_display = ["target", "sunset_on", "announced_at", "reminder_sent_at"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = retirements.schedule_retirement(
            target=obj.target,
            sunset_on=obj.sunset_on,
            note=obj.note,
            actor=request.user,
            request=request,
        )
        obj.pk = created.pk
