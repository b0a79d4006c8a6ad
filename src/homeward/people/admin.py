from django.contrib import admin

from homeward.people.models import VulnerabilityType


@admin.register(VulnerabilityType)
class VulnerabilityTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sensitivity", "derived", "minors_only", "order"]
    list_editable = ["order"]
