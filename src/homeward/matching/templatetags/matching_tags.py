"""Matching on other pages: the "Duplicates" menu entry and the case page's likely matches."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.core.nav import nav_links, signed_in_user
from homeward.matching import review

register = template.Library()


@register.simple_tag(takes_context=True)
def matching_nav(context: dict[str, Any]) -> str:
    """ "Duplicates" for case supervisors."""
    user = signed_in_user(context)
    if user is None or not permissions.has_perm_anywhere(user, Perm.ASSIGN_CASE):
        return ""
    return nav_links([(reverse("matching:duplicates"), _("Duplicates"))])


@register.simple_tag(takes_context=True)
def matching_panel(context: dict[str, Any], case: Any) -> str:
    """Each member's likely earlier records: linked to the comparison when visible, else where and whom to ask."""
    user = signed_in_user(context)
    if user is None:
        return ""
    found = review.matches_of_case(user, case)
    if not found:
        return ""
    html = render_to_string("matching/_panel.html", {"found": found}, request=context.get("request"))
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
