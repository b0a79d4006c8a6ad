"""Main-menu entries: "Reports" for those who see figures, "Import" for those who register cases."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.core.nav import nav_links, signed_in_user
from homeward.reporting import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def reporting_nav(context: dict[str, Any]) -> str:
    user = signed_in_user(context)
    if user is None:
        return ""
    entries = []
    if selectors.may_report(user):
        entries.append((reverse("reporting:home"), _("Reports")))
    if permissions.has_perm_anywhere(user, Perm.REGISTER_CASE):
        entries.append((reverse("imports:home"), _("Import")))
    return nav_links(entries)
