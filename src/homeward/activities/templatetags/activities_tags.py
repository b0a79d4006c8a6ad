"""The activities card on the case page (enrolments and an enrol form) and the "Activities" menu entry."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.activities import selectors
from homeward.activities.forms import EnrolForm
from homeward.cases import workflow
from homeward.core.nav import nav_links, signed_in_user

register = template.Library()


@register.simple_tag(takes_context=True)
def activities_nav(context: dict[str, Any]) -> str:
    user = signed_in_user(context)
    if user is None or not permissions.has_perm_anywhere(user, Perm.VIEW_CASE):
        return ""
    return nav_links([(reverse("activities:list"), _("Activities"))])


@register.simple_tag(takes_context=True)
def activities_panel(context: dict[str, Any], case: Any) -> str:
    """Nothing when the case has no enrolment and the user could not enrol anyone."""
    request = context.get("request")
    user = getattr(request, "user", None)
    enrolments = selectors.enrolments_of_case(case)
    form = None
    if permissions.can_change_case(user, case) and case.status in workflow.BEFORE_DEPARTURE:
        activities = selectors.open_activities(case)
        if activities:
            form = EnrolForm(activities=activities, members=list(case.members.all()), prefix="enrol")
    if not enrolments and form is None:
        return ""
    html = render_to_string(
        "activities/_panel.html", {"case": case, "enrolments": enrolments, "form": form}, request=request
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
