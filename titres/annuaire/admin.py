"""The operators' screens (/gestion/): announcements and the maintenance
switch. Every save goes through titres/annuaire/services.py (journaled)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Announcement, MaintenanceMode


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "kind",
        "audience",
        "starts_at",
        "ends_at",
        "work_starts_at",
        "withdrawn_at",
    )
    list_filter = ("kind", "audience")
    search_fields = ("title", "body")
    readonly_fields = ("created_by", "created_at", "withdrawn_at")
    fields = (
        "kind",
        "audience",
        "title",
        "body",
        "starts_at",
        "ends_at",
        "work_starts_at",
        "work_ends_at",
        "created_by",
        "created_at",
        "withdrawn_at",
    )
    actions = ["withdraw"]

    def has_delete_permission(self, request, obj=None):
        return False  # withdraw instead: what was announced stays on record

    def save_model(self, request, obj, form, change):
        if change:
            services.update_announcement(
                announcement=obj, actor=request.user, changed=form.changed_data, request=request
            )
            return
        data = form.cleaned_data
        created = services.publish_announcement(
            actor=request.user,
            request=request,
            kind=data["kind"],
            audience=data["audience"],
            title=data["title"],
            body=data["body"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            work_starts_at=data["work_starts_at"],
            work_ends_at=data["work_ends_at"],
        )
        obj.pk = created.pk
        obj._state.adding = False

    @admin.action(description=_("Retirer les annonces sélectionnées"))
    def withdraw(self, request, queryset):
        count = sum(
            services.withdraw_announcement(announcement=a, actor=request.user, request=request)
            for a in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d annonce retirée.", "%(count)d annonces retirées.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(MaintenanceMode)
class MaintenanceModeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "expected_end", "switched_at", "switched_by")
    fields = ("is_on", "message", "expected_end", "switched_at", "switched_by")
    readonly_fields = ("switched_at", "switched_by")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not MaintenanceMode.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        row = services.switch_maintenance(
            actor=request.user,
            request=request,
            on=form.cleaned_data["is_on"],
            message=form.cleaned_data["message"],
            expected_end=form.cleaned_data["expected_end"],
        )
        obj.pk = row.pk
        obj._state.adding = False
