from django.contrib import admin

from .models import FranceConnectIdentity


@admin.register(FranceConnectIdentity)
class FranceConnectIdentityAdmin(admin.ModelAdmin):
    """Read-only: the identity is what FranceConnect certified."""

    list_display = ("user", "given_name", "family_name", "origin", "eidas_level", "last_login_at")
    list_filter = ("origin", "eidas_level", "link_method")
    search_fields = ("user__username", "user__email", "family_name", "given_name")
    readonly_fields = [f.name for f in FranceConnectIdentity._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
