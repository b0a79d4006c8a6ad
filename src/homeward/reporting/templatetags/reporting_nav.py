"""Main-menu entries: "Reports" for those who see figures, "Import" for those who register cases."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.reporting import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def reporting_nav(context: dict[str, Any]) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    entries = []
    if selectors.may_report(user):
        entries.append((reverse("reporting:home"), _("Reports")))
    if permissions.has_perm_anywhere(user, Perm.REGISTER_CASE):
        entries.append((reverse("imports:home"), _("Import")))
    return format_html_join(
        "", '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', ((url, label) for url, label in entries)
    )
