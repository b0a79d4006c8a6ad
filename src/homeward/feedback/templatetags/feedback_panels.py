"""The returnee feedback card on the case page: new feedback and complaints still to review."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from homeward.feedback import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_panel(context: dict[str, Any], case: Any) -> str:
    request = context.get("request")
    counts = selectors.counts_of(getattr(request, "user", None), case)
    if counts is None:
        return ""
    html = render_to_string("feedback/_panel.html", {"case": case, "counts": counts}, request=request)
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
