"""Matching on other pages: the menu entry and the case page's panel (STUBS: helper C fills them in)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def matching_nav(context: dict) -> str:
    return ""


@register.simple_tag(takes_context=True)
def matching_panel(context: dict, case: object) -> str:
    return ""
