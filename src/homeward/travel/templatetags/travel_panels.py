"""The travel card on the case page (documents per traveller, the confirmed route) and the day board menu entry."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from homeward.travel import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def travel_panel(context: dict[str, Any], case: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    html = render_to_string(
        "travel/_panel.html",
        {
            "case": case,
            "documents": selectors.documents_by_traveller(case, list(case.members.all())),
            "confirmed": selectors.confirmed_view(case, user),
            "itinerary_count": case.itineraries.count(),
            "to_reconcile": case.itineraries.filter(needs_reconciliation=True).exists(),
        },
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template


@register.simple_tag(takes_context=True)
def day_board_nav(context: dict[str, Any], *args: Any) -> str:
    """The "Day board" menu entry, for those who arrange travel."""
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    from homeward.accounts import permissions
    from homeward.accounts.roles import Perm

    request = context.get("request")
    if request is None or not permissions.has_perm_anywhere(request.user, Perm.ARRANGE_TRAVEL):
        return ""
    return format_html(
        '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', reverse("travel:board"), _("Day board")
    )
