"""The safeguarding panel on the case page: what is still missing before travel."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from homeward.safeguarding.selectors import checklist_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def safeguarding_panel(context: dict[str, Any], case: Any) -> str:
    """Missing and total items the user may see, with a count of those they may not; nothing
    when no member's vulnerability calls for safeguarding items."""
    request = context.get("request")
    state = checklist_for_user(request.user, case)
    if state.is_empty:
        return ""
    html = render_to_string("safeguarding/_panel.html", {"case": case, "state": state}, request=request)
    return mark_safe(html)  # noqa: S308 (rendered from our own template, auto-escaped)
