"""Tasks in the admin: to look at only. Every change goes through the services (pages, API, worker)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from homeward.work.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("kind", "case", "mission", "role", "assignee", "due_at", "status", "reminded_at")
    list_filter = ("status", "kind", "mission", "role")
    list_select_related = ("case", "mission", "assignee")
    search_fields = ("case__reference", "assignee__username")
    date_hierarchy = "due_at"

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
