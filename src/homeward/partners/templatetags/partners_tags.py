"""The case card of referrals in from partners, with a small form to record one; the menu entry."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.core.nav import nav_links, signed_in_user
from homeward.partners import selectors
from homeward.partners.forms import IncomingReferralForm

register = template.Library()


@register.simple_tag(takes_context=True)
def partners_nav(context: dict[str, Any]) -> str:
    """ "Partners" in the main menu, for those who read a mission's directory."""
    user = signed_in_user(context)
    if user is None or not selectors.read_missions(user):
        return ""
    return nav_links([(reverse("partners:list"), _("Partners"))])


@register.simple_tag(takes_context=True)
def partners_panel(context: dict[str, Any], case: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    form = None
    if permissions.can_change_case(user, case):
        form = IncomingReferralForm(prefix="referral", partners=list(selectors.referring_partners(case)))
    referrals = list(selectors.referrals_of(case))
    html = render_to_string(
        "partners/_panel.html",
        {"case": case, "referrals": referrals, "form": form, "readable": selectors.read_missions(user)},
        request=request,
    )
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template
