"""The money card on the case page, and the link to a programme's budget for those who see its money."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.budgets import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def money_panel(context: dict[str, Any], case: Any) -> str:
    """Committed and paid for the case, per currency; nothing for someone who may not view the case."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not permissions.can_view_case(user, case):
        return ""
    html = render_to_string(
        "budgets/_panel.html", {"case": case, "totals": selectors.case_totals(case)}, request=request
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template


@register.simple_tag(takes_context=True)
def budget_link(context: dict[str, Any], programme: Any) -> str:
    """A link to the programme's budget page, for those who see aggregates, pay or supervise there."""
    request = context.get("request")
    if request is None or not selectors.sees_money(request.user, programme):
        return ""
    return format_html(
        '<a class="btn btn-sm btn-outline-primary ms-2" href="{}">{}</a>',
        reverse("budgets:programme_budget", args=[programme.pk]),
        _("Budget and spending"),
    )
