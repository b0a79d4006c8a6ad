"""The counselling panel on the case page: sessions, the informed decision, detention, the declaration."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from homeward.counselling.selectors import counselling_state

register = template.Library()


@register.simple_tag(takes_context=True)
def counselling_panel(context: dict[str, Any], case: Any) -> str:
    html = render_to_string(
        "counselling/_panel.html", {"case": case, "state": counselling_state(case)}, request=context.get("request")
    )
    return mark_safe(html)  # noqa: S308 (rendered from our own template, auto-escaped)
