from django.contrib import admin

from .models import RefusalTally


class ReadOnlyPermissions:
    """Records that change only through services (and their journal): the
    operators' admin shows them and never adds, changes or deletes them
    (bulk actions included). For model admins and inlines alike."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyPermissions, admin.ModelAdmin):
    actions = None


@admin.register(RefusalTally)
class RefusalTallyAdmin(ReadOnlyAdmin):
    list_display = ["window_start", "event", "kind", "source", "count", "last_at"]
    list_filter = ["event"]
    search_fields = ["source"]
