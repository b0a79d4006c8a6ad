"""The case card saying how the case's people heard of the programme, with a small form to set it; the menu entries."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.core.nav import nav_links, signed_in_user
from homeward.outreach import selectors
from homeward.outreach.forms import SourceForm

register = template.Library()


@register.simple_tag(takes_context=True)
def outreach_panel(context: dict[str, Any], case: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    source = selectors.source_of(case)
    form = None
    if permissions.can_change_case(user, case):
        initial = {}
        if source is not None:
            initial = {"how": source.how, "session": source.session_id, "call": source.call_id, "note": source.note}
        form = SourceForm(
            sessions=list(selectors.sessions_for_case(case)),
            calls=list(selectors.calls_for_case(case)),
            prefix="source",
            initial=initial,
        )
    html = render_to_string("outreach/_panel.html", {"case": case, "source": source, "form": form}, request=request)
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template


@register.simple_tag(takes_context=True)
def outreach_nav(context: dict[str, Any]) -> str:
    """ "Hotline" for those who read cases and "Outreach" for those who read cases or figures, in the main menu."""
    user = signed_in_user(context)
    if user is None:
        return ""
    entries = []
    if permissions.has_perm_anywhere(user, Perm.VIEW_CASE):
        entries.append((reverse("outreach:hotline"), _("Hotline")))
    if selectors.read_missions(user):
        entries.append((reverse("outreach:campaigns"), _("Outreach")))
    return nav_links(entries)
