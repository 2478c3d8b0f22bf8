from django.contrib import admin

from .models import Authority, Demarche, Document, Message, StatusChange


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "event", "actor", "actor_role", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Demarche)
class DemarcheAdmin(admin.ModelAdmin):
    """Read-only: statuses change through the workflow services only."""

    list_display = ["number", "procedure_code", "owner", "status", "authority", "created_at"]
    list_filter = ["status", "procedure_code"]
    search_fields = ["number"]
    raw_id_fields = ["owner", "authority"]
    inlines = [StatusChangeInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["id", "demarche", "code", "content_type", "pages", "status", "created_at"]
    list_filter = ["status", "content_type"]
    exclude = ["file"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["demarche", "kind", "author_role", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
