"""Operators see the register read-only (its writes go through the
services, which journal them); meeting points and openings are edited here
until the town hall's own space lands."""

from django.contrib import admin

from titres.core.admin import ReadOnlyAdmin

from .models import (
    Appointment,
    AppointmentApplication,
    ClosurePeriod,
    CollectionDevice,
    ExceptionalOpening,
    IssuedTitle,
    MeetingPoint,
    OpeningRule,
    PreDemande,
    Vendor,
)


class DeviceInline(admin.TabularInline):
    model = CollectionDevice
    extra = 0


class ClosureInline(admin.TabularInline):
    model = ClosurePeriod
    extra = 0


@admin.register(MeetingPoint)
class MeetingPointAdmin(admin.ModelAdmin):
    list_display = ["name", "postal_code", "city_name", "departement_code", "is_published"]
    list_filter = ["is_published", "departement_code"]
    search_fields = ["name", "postal_code", "city_name", "insee_code"]
    raw_id_fields = ["mairie"]
    inlines = [DeviceInline, ClosureInline]


class OpeningRuleInline(admin.TabularInline):
    model = OpeningRule
    extra = 0


class ExceptionalOpeningInline(admin.TabularInline):
    model = ExceptionalOpening
    extra = 0


@admin.register(CollectionDevice)
class CollectionDeviceAdmin(admin.ModelAdmin):
    list_display = ["label", "meeting_point", "is_active"]
    search_fields = ["label", "meeting_point__name"]
    raw_id_fields = ["meeting_point"]
    inlines = [OpeningRuleInline, ExceptionalOpeningInline]


@admin.register(PreDemande)
class PreDemandeAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "motif", "status", "created_at", "expires_at"]
    list_filter = ["status", "title", "motif"]
    search_fields = ["number"]


class ApplicationInline(admin.TabularInline):
    model = AppointmentApplication
    extra = 0
    can_delete = False
    readonly_fields = ["predemande", "is_active"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "starts_at", "place_label", "status", "source", "vendor"]
    list_filter = ["status", "source"]
    search_fields = ["reference", "applications__predemande__number"]
    inlines = [ApplicationInline]


@admin.register(Vendor)
class VendorAdmin(ReadOnlyAdmin):
    list_display = ["name", "token_hint", "is_active", "last_used_at"]


@admin.register(IssuedTitle)
class IssuedTitleAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "issued_on", "expires_on", "declared_lost_on"]
    list_filter = ["kind"]
    search_fields = ["number"]
