"""The travel card on the case page: documents per traveller, the confirmed route, a link to the travel page."""

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
