"""Admin (/gestion/) of the engine. Démarches, documents and messages are
read-only and can never be deleted here: every change goes through the
services, which journal it (a deletion in the admin would leave no trace).
Authorities are configuration: their changes go through services too."""

from django.contrib import admin

from titres.core.admin import ReadOnlyAdmin, ReadOnlyPermissions

from . import services
from .models import Authority, Demarche, Document, Message, StatusChange


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    actions = None  # no bulk deletion (one journaled deletion at a time)

    def save_model(self, request, obj, form, change):
        services.save_authority(
            authority=obj, actor=request.user, changed=list(form.changed_data), request=request
        )

    def delete_model(self, request, obj):
        services.delete_authority(authority=obj, actor=request.user, request=request)


class StatusChangeInline(ReadOnlyPermissions, admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "event", "actor", "actor_role", "comment"]
    readonly_fields = fields


@admin.register(Demarche)
class DemarcheAdmin(ReadOnlyAdmin):
    """Read-only: statuses change through the workflow services only."""

    list_display = ["number", "procedure_code", "owner", "status", "authority", "created_at"]
    list_filter = ["status", "procedure_code"]
    search_fields = ["number"]
    raw_id_fields = ["owner", "authority"]
    inlines = [StatusChangeInline]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["id", "demarche", "code", "content_type", "pages", "status", "created_at"]
    list_filter = ["status", "content_type"]
    exclude = ["file"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["demarche", "kind", "author_role", "created_at"]
