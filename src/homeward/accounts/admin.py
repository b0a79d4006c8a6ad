"""The administrator's pages: missions, users and their roles (reference data, not cases).

Cases and persons are deliberately not in the admin: they are reached only
through the scoped pages and API.
"""

from typing import Any

from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from homeward.accounts.models import ApiToken, Membership, Mission, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["mission"]


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "country", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(User)
class HomewardUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("Homeward", {"fields": ["language"]}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    exclude = ["digest"]

    def has_add_permission(self, request: object) -> bool:
        return False  # tokens are created by their owner, who alone sees the secret


# The audit log holds every mission's personal data; it is read through the
# scoped case history, never listed whole.
admin.site.unregister(LogEntry)


def login_with_second_factor(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's own login form takes a password alone; ours asks anyone with two factors on for a code."""
    return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"), reverse("accounts:login"))


admin.site.login = login_with_second_factor  # type: ignore[method-assign]
