"""The monitoring card on the case page: the next visit due, the visits done, the closure."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from homeward.monitoring import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def monitoring_panel(context: dict[str, Any], case: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    html = render_to_string(
        "monitoring/_panel.html", {"case": case, "summary": selectors.summary(user, case)}, request=request
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
