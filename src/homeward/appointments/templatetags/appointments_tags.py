"""The menu entries of appointments ("Calendar", "Offices") and the case card of its appointments."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.appointments import selectors
from homeward.appointments.models import Appointment
from homeward.core.nav import nav_links, signed_in_user

register = template.Library()


@register.simple_tag(takes_context=True)
def appointments_nav(context: dict[str, Any]) -> str:
    """ "Calendar" for those who counsel somewhere; "Offices" for administrators."""
    user = signed_in_user(context)
    if user is None:
        return ""
    entries = []
    if permissions.has_perm_anywhere(user, Perm.COUNSEL):
        entries.append((reverse("appointments:calendar"), _("Calendar")))
    if permissions.has_perm_anywhere(user, Perm.MANAGE_SITE):
        entries.append((reverse("appointments:offices"), _("Offices")))
    return nav_links(entries)


@register.simple_tag(takes_context=True)
def appointments_panel(context: dict[str, Any], case: Any) -> str:
    """The case's appointments and those of the inquiry or call that became it, with the no-shows counted."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # Only those who read appointments (selectors.READ_PERM) and the case see the card; others, nothing.
    missions = (case.host_mission_id, case.referred_to_mission_id)
    if (
        user is None
        or not permissions.can_view_case(user, case)
        or not any(selectors.may_read(user, m) for m in missions)
    ):
        return ""
    appointments = selectors.for_case(user, case)
    may_book = any(selectors.may_book(user, m) for m in (case.host_mission_id, case.referred_to_mission_id) if m)
    html = render_to_string(
        "appointments/_panel.html",
        {"case": case, "appointments": appointments, "may_book": may_book,
         "no_shows": sum(a.status == Appointment.Status.NO_SHOW for a in appointments)},
        request=request,
    )  # fmt: skip
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template


@register.simple_tag(takes_context=True)
def inquiry_appointments(context: dict[str, Any], inquiry: Any) -> str:
    """For the triage page: the inquiry's appointments and a "Book an appointment" link (?inquiry=<pk>)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not selectors.may_read(user, inquiry.mission_id):
        return ""
    appointments = list(selectors.appointments_for(user).filter(inquiry=inquiry).order_by("starts_at", "pk"))
    html = render_to_string(
        "appointments/_inquiry_panel.html",
        {"inquiry": inquiry, "appointments": appointments,
         "may_book": inquiry.is_open and selectors.may_book(user, inquiry.mission_id)},
        request=request,
    )  # fmt: skip
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
