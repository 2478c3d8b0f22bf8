"""Registry administration. The SIV is evidence: vehicles, holders and
history are read-only here (changes go through the services, which journal
them); operators may register or lift an inscription (gage, opposition…)
and withdraw an unused declaration of sale, each through its service."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from titres.core.admin import ReadOnlyAdmin
from titres.core.journal import record_event
from titres.vehicules.audit import VehiculesEvent

from . import plates
from .models import CessionDeclaration, Holder, PlateSequence, RegistryEntry, Situation, Vehicle
from .selectors import RegistryRefusal
from .services.cession import cancel_cession
from .services.registry import add_situation, lift_situation


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HolderInline(ReadOnlyInline):
    model = Holder
    fields = [
        "role",
        "person_kind",
        "last_name",
        "usage_name",
        "first_names",
        "company_name",
        "siret",
        "postal_code",
        "commune",
        "lease_kind",
        "since",
        "until",
    ]
    readonly_fields = fields


class SituationInline(ReadOnlyInline):
    model = Situation
    fields = ["kind", "registered_on", "lifted_on", "detail"]
    readonly_fields = fields


class HistoryInline(ReadOnlyInline):
    model = RegistryEntry
    fields = ["created_at", "kind", "label", "actor", "demarche_number"]
    readonly_fields = fields


@admin.register(Vehicle)
class VehicleAdmin(ReadOnlyAdmin):
    list_display = [
        "plate_display",
        "plate_system",
        "make",
        "commercial_name",
        "energy",
        "fiscal_power",
        "first_registration_date",
    ]
    list_filter = ["plate_system", "category", "energy"]
    search_fields = ["=plate", "=vin", "=formule_number"]
    inlines = [HolderInline, SituationInline, HistoryInline]
    show_full_result_count = False

    @admin.display(description=_("immatriculation"), ordering="plate")
    def plate_display(self, obj):
        return obj.plate_display

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, plates.canonical(search_term))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            record_event(
                VehiculesEvent.SIV_VIEWED_ADMIN,
                request=request,
                object_type=Vehicle._meta.label_lower,
                object_id=str(object_id),
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Situation)
class SituationAdmin(admin.ModelAdmin):
    list_display = ["vehicle", "kind", "registered_on", "lifted_on", "detail"]
    list_filter = ["kind", "lifted_on"]
    search_fields = ["=vehicle__plate"]
    raw_id_fields = ["vehicle"]
    fields = ["vehicle", "kind", "registered_on", "detail", "lifted_on"]
    actions = ["lift"]

    def get_readonly_fields(self, request, obj=None):
        return ["vehicle", "kind", "registered_on", "detail", "lifted_on"] if obj else ["lifted_on"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing is editable on an existing inscription
        created = add_situation(
            vehicle=obj.vehicle,
            kind=obj.kind,
            detail=obj.detail,
            on=obj.registered_on,
            actor=request.user,
            request=request,
        )
        obj.pk = created.pk

    @admin.action(description=_("Lever les inscriptions sélectionnées"))
    def lift(self, request, queryset):
        for situation in queryset.filter(lifted_on__isnull=True):
            try:
                lift_situation(situation=situation, actor=request.user, request=request)
            except ValidationError as refusal:
                self.message_user(request, refusal.messages[0], level=messages.ERROR)


@admin.register(CessionDeclaration)
class CessionDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["vehicle", "seller_name", "sold_at", "state", "expires_at", "used_by_demarche"]
    list_filter = ["state"]
    search_fields = ["=vehicle__plate", "=used_by_demarche"]
    exclude = ["code_digest"]
    actions = ["withdraw"]

    @admin.action(description=_("Annuler les déclarations sélectionnées (code non utilisé)"))
    def withdraw(self, request, queryset):
        for declaration in queryset:
            try:
                cancel_cession(declaration=declaration, actor=request.user, request=request)
            except RegistryRefusal as refusal:
                self.message_user(request, f"{declaration}: {refusal.messages[0]}", messages.ERROR)


@admin.register(PlateSequence)
class PlateSequenceAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "next_index", "updated_at"]
