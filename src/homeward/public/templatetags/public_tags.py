"""The menu entry of the public site's editor."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm

register = template.Library()


@register.simple_tag(takes_context=True)
def site_nav(context: dict[str, Any]) -> str:
    """ "Public site" for those who edit a mission's public site."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.has_perm_anywhere(user, Perm.MANAGE_SITE):
        return ""
    return format_html(
        '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>',
        reverse("public:editor_index"),
        _("Public site"),
    )
