"""The reintegration card on the case page: the plans' status, totals, ceiling, remaining balance and deadlines."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from homeward.reintegration import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_panel(context: dict[str, Any], case: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    view = selectors.overview(user, case)
    if not view.plans and view.ceiling is None:
        return ""  # nothing to plan: the case has no reintegration assistance
    html = render_to_string("reintegration/_panel.html", {"case": case, "view": view}, request=request)
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
