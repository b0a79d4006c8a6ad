"""The work panel on the case page (placeholder until the work pages exist)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def case_tasks_panel(context: dict[str, Any], case: Any) -> str:
    return ""
