"""The cash grants card on the case page (what was proposed, approved and paid) and the airport cash menu entry."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from homeward.grants import selectors
from homeward.grants.models import Grant

register = template.Library()


@register.simple_tag(takes_context=True)
def grants_panel(context: dict[str, Any], case: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    grants = list(selectors.grants_of(user, case).select_related(None).only("status", "amount", "currency"))
    statuses = Counter(g.status for g in grants)
    paid: dict[str, Decimal] = {}
    for g in grants:
        if g.status == Grant.Status.PAID:
            paid[g.currency] = paid.get(g.currency, Decimal(0)) + g.amount
    html = render_to_string(
        "grants/_panel.html",
        {
            "case": case,
            "count": len(grants),
            "statuses": [(label, statuses[value]) for value, label in Grant.Status.choices if statuses[value]],
            "paid": sorted(paid.items()),
            "to_reconcile": selectors.airport_cash_to_reconcile(user, case).count(),
        },
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template


@register.simple_tag(takes_context=True)
def airport_cash_nav(context: dict[str, Any]) -> str:
    """An "Airport cash" menu entry while cash of a traveller who did not depart is still out."""
    request = context.get("request")
    if request is None:
        return ""
    count = selectors.airport_cash_to_reconcile(request.user).count()
    if not count:
        return ""
    return format_html(
        '<li class="nav-item"><a class="nav-link" href="{}">{} <span class="badge text-bg-warning">{}</span></a></li>',
        reverse("grants:reconcile"),
        _("Airport cash"),
        count,
    )
