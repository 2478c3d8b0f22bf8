from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from titres.core.journal import record_event
from titres.core.normalisation import normalise_name
from titres.permis.audit import PermisEvent

from .models import (
    Commune,
    Departement,
    EPhoto,
    LicenceCategory,
    LicenceHolderLink,
    LicenceRecord,
    LicenceTitle,
    Photographer,
)
from .services import register_photo


class LicenceCategoryInline(admin.TabularInline):
    model = LicenceCategory
    extra = 0


class LicenceTitleInline(admin.TabularInline):
    model = LicenceTitle
    extra = 0
    fk_name = "record"
    fields = ["number", "issued_on", "valid_until", "status", "replaced_by", "demarche_number"]
    readonly_fields = ["replaced_by"]


@admin.register(LicenceRecord)
class LicenceRecordAdmin(admin.ModelAdmin):
    list_display = [
        "neph",
        "birth_name",
        "usage_name",
        "first_names",
        "birth_date",
        "state",
        "points_balance",
    ]
    list_filter = ["state", "sex"]
    search_fields = ["=neph", "birth_name_normalised", "usage_name_normalised"]
    inlines = [LicenceCategoryInline, LicenceTitleInline]
    show_full_result_count = False  # the file can hold millions of rows

    def get_search_results(self, request, queryset, search_term):
        # Search columns are stored normalised: normalise the term too.
        return super().get_search_results(request, queryset, normalise_name(search_term))

    # The national file is evidence: operators may correct a record, never
    # delete it, and every opening or correction is journaled like an agent's.
    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            record_event(
                PermisEvent.SNPC_VIEWED_ADMIN,
                request=request,
                object_type=LicenceRecord._meta.label_lower,
                object_id=str(object_id),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        inline_changes = {
            formset.model._meta.model_name: {
                "ajouts": len(formset.new_objects),
                "modifications": len(formset.changed_objects),
                "suppressions": len(formset.deleted_objects),
            }
            for formset in formsets
            if formset.has_changed()
        }
        if form.changed_data or inline_changes:
            record_event(
                PermisEvent.SNPC_CHANGED_ADMIN if change else PermisEvent.SNPC_CREATED_ADMIN,
                request=request,
                target=form.instance,
                data={"champs": form.changed_data, "lignes": inline_changes},
            )


@admin.register(LicenceHolderLink)
class LicenceHolderLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "record", "linked_at"]
    raw_id_fields = ["user", "record"]
    search_fields = ["user__username", "=record__neph"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "prefecture_name"]
    search_fields = ["code", "name", "prefecture_name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["postal_code", "name", "insee_code", "departement_code"]
    search_fields = ["=postal_code", "=insee_code", "name"]
    list_filter = ["departement_code"]
    show_full_result_count = False


@admin.register(Photographer)
class PhotographerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "approval_number", "commune", "departement_code", "is_active"]
    list_filter = ["kind", "is_active", "departement_code"]
    search_fields = ["name", "=approval_number", "commune", "=postal_code"]
    filter_horizontal = ["users"]


@admin.register(EPhoto)
class EPhotoAdmin(admin.ModelAdmin):
    list_display = ["code_display", "photographer", "created_at", "expires_at", "used_at"]
    list_filter = ["photographer"]
    search_fields = ["=code"]
    raw_id_fields = ["used_by"]
    readonly_fields = ["code", "created_at", "expires_at", "used_at", "used_by", "used_reference"]
    fields = ["photographer", "image", "signature", *readonly_fields]

    @admin.display(description=_("code photo numérique"))
    def code_display(self, obj):
        return obj.code_display

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # A new photo gets its code from the service (one audit event).
        photo = register_photo(
            photographer=obj.photographer,
            actor=request.user,
            image=obj.image or None,
            signature=obj.signature or None,
            request=request,
        )
        obj.pk, obj.code = photo.pk, photo.code
        obj.created_at, obj.expires_at = photo.created_at, photo.expires_at
        obj._state.adding = False
