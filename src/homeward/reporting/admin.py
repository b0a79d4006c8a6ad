"""Donor reports in the admin: to look up, never to edit (a submitted report is final; drafts change on their page)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from homeward.reporting.models import DonorReport


@admin.register(DonorReport)
class DonorReportAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "period_start", "period_end", "status", "created_by", "submitted_at")
    list_filter = ("status", "programme")
    search_fields = ("title",)
    exclude = ("frozen",)  # a large JSON document: read it through the report's page or the API

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
