"""Menu entries and case cards of accommodation (stubs until the app fills them)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def accommodation_nav(context: dict[str, Any]) -> str:
    return ""


@register.simple_tag(takes_context=True)
def accommodation_panel(context: dict[str, Any], case: Any) -> str:
    return ""
