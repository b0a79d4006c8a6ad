"""The case card of pre-departure accommodation (stays, waiting list, check-in) and the menu entry."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from homeward.accommodation import selectors
from homeward.accommodation.forms import CheckInForm, CheckOutForm, WaitingForm
from homeward.accounts import permissions
from homeward.accounts.roles import Sensitivity
from homeward.cases import workflow
from homeward.core.nav import nav_links, signed_in_user

register = template.Library()


@register.simple_tag(takes_context=True)
def accommodation_nav(context: dict[str, Any]) -> str:
    """ "Accommodation" in the main menu for those who read cases or manage facilities."""
    user = signed_in_user(context)
    if user is None or not selectors.read_missions(user):
        return ""
    return nav_links([(reverse("accommodation:board"), _("Accommodation"))])


@register.simple_tag(takes_context=True)
def accommodation_panel(context: dict[str, Any], case: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    placements = selectors.placements_of(case)
    waiting = selectors.waiting_of(case)
    today = timezone.localdate()
    may_change = permissions.can_change_case(user, case)
    if not placements and not waiting and not (may_change and case.status in workflow.BEFORE_DEPARTURE):
        return ""  # nothing to show and nothing to do: no empty card on a case long gone
    current = []
    for p in placements:
        if p.is_open:
            p.overdue = p.expected_check_out_on is not None and p.expected_check_out_on < today
            current.append((p, CheckOutForm(prefix=f"checkout-{p.pk}") if may_change else None))
    ctx: dict[str, Any] = {
        "case": case,
        "current": current,
        "past": [p for p in placements if not p.is_open],
        "waiting": waiting,
        "may_change": may_change,
        # The free-text reason may tell why someone is vulnerable: only for those who see every kind of fact.
        "show_reason": Sensitivity.PROTECTION in permissions.visible_sensitivities(user, case),
    }
    if may_change and case.status in workflow.BEFORE_DEPARTURE:
        facilities = list(selectors.facilities_of(case.host_mission, active_only=True))
        housed = {p.member_id for p, _form in current}
        free = [m for m in case.members.all() if m.pk not in housed]
        if facilities and free:
            ctx["check_in_form"] = CheckInForm(members=free, facilities=facilities, prefix="checkin")
            ctx["waiting_form"] = WaitingForm(members=free, facilities=facilities, prefix="waiting")
        ctx["no_facility"] = not facilities
    html = render_to_string("accommodation/_panel.html", ctx, request=request)
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
