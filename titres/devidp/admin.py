from django.contrib import admin

from .models import DemoCitizen


@admin.register(DemoCitizen)
class DemoCitizenAdmin(admin.ModelAdmin):
    list_display = ("display_name", "birthdate", "birthcountry_label", "email")
    readonly_fields = ("user",)
