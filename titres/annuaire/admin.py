"""The operators' screens (/gestion/): announcements, the maintenance
switch, the directory's places and its CSV import. Every save goes through titres/annuaire/services.py (journaled)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from titres.permis.communes import validate_postal_code_commune

from . import directory_import, directory_services, services
from .models import Announcement, DirectoryEntry, ImportReport, MaintenanceMode


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


# --- The directory ---------------------------------------------------------


class DirectoryEntryForm(forms.ModelForm):
    class Meta:
        model = DirectoryEntry
        fields = [
            "name",
            "address",
            "postal_code",
            "commune",
            "latitude",
            "longitude",
            "phone",
            "opening_hours",
            "appointment_url",
        ]

    def clean(self):
        data = super().clean()
        if data.get("postal_code") or data.get("commune"):
            try:
                validate_postal_code_commune(data.get("postal_code", ""), data.get("commune", ""))
            except ValidationError as error:
                self.add_error("commune", error)
        return data


@admin.register(DirectoryEntry)
class DirectoryEntryAdmin(admin.ModelAdmin):
    form = DirectoryEntryForm
    list_display = ("name", "kind", "source", "postal_code", "commune", "is_active")
    list_filter = ("kind", "source", "is_active")
    search_fields = ("name", "postal_code", "commune", "source_key")
    readonly_fields = (
        "kind",
        "source",
        "source_key",
        "is_active",
        "insee_code",
        "departement_code",
    )

    def has_add_permission(self, request):
        return False  # places come from their sources (habilitations, imports, town halls)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        directory_services.update_entry(
            entry=obj, actor=request.user, changed=form.changed_data, request=request
        )


class ImportForm(forms.Form):
    fichier = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "UTF-8, séparateur « ; », 2 Mo et 20 000 lignes au plus (format : docs/annuaire.md)"
        ),
    )
    remplacer = forms.BooleanField(
        label=_("Retirer de l’annuaire les lieux des mêmes types absents du fichier"),
        required=False,
    )


@admin.register(ImportReport)
class ImportReportAdmin(admin.ModelAdmin):
    list_display = (
        "filename",
        "created_at",
        "created_by",
        "created_count",
        "updated_count",
        "rejected_count",
    )
    readonly_fields = (
        "filename",
        "created_at",
        "created_by",
        "created_count",
        "updated_count",
        "rejected_count",
        "deactivated_count",
    )
    exclude = ("lines",)
    change_form_template = "annuaire/admin/import_report.html"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.import_view),
                name="annuaire_importreport_import",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:annuaire_importreport_import")

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["fichier"]
            if upload.size > directory_import.MAX_BYTES:
                form.add_error(
                    "fichier", _("Le fichier dépasse 2 Mo : découpez-le en plusieurs imports.")
                )
            else:
                try:
                    report = directory_import.import_directory_csv(
                        actor=request.user,
                        content=upload.read(),
                        filename=upload.name,
                        replace=form.cleaned_data["remplacer"],
                        request=request,
                    )
                except directory_import.ImportRefused as error:
                    form.add_error("fichier", str(error))
                else:
                    return redirect(reverse("admin:annuaire_importreport_change", args=[report.pk]))
        return render(
            request,
            "annuaire/admin/import.html",
            {
                **self.admin_site.each_context(request),
                "form": form,
                "title": _("Importer des lieux (CSV)"),
                "opts": self.model._meta,
            },
        )
