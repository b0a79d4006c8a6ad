"""The menu entry of the public site's editor."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.core.nav import nav_links, signed_in_user

register = template.Library()


@register.simple_tag(takes_context=True)
def site_nav(context: dict[str, Any]) -> str:
    """ "Public site" for those who edit a mission's public site."""
    user = signed_in_user(context)
    if user is None or not permissions.has_perm_anywhere(user, Perm.MANAGE_SITE):
        return ""
    return nav_links([(reverse("public:editor_index"), _("Public site"))])
