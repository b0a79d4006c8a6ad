"""The "Providers" and "Invoices" menu entries, for those who may use them."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from homeward.assistance import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def providers_nav(context: dict[str, Any]) -> str:
    request = context.get("request")
    if request is None or not selectors.may_view_providers(request.user):
        return ""
    return format_html(
        '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>',
        reverse("assistance:provider_list"),
        _("Providers"),
    )


@register.simple_tag(takes_context=True)
def invoices_nav(context: dict[str, Any]) -> str:
    """The "Invoices" entry, for finance officers and supervisors: invoices waiting for approval or payment."""
    request = context.get("request")
    if request is None or not selectors.may_work_invoices(request.user):
        return ""
    return format_html(
        '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>',
        reverse("assistance:invoices"),
        _("Invoices"),
    )
