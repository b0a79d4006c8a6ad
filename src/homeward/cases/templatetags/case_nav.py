"""The "Referrals" menu entry, with how many await an answer, for those who receive returnees."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm

register = template.Library()


@register.simple_tag(takes_context=True)
def referrals_nav(context: dict[str, Any]) -> str:
    from homeward.cases.referrals import inbox

    request = context.get("request")
    if request is None or not permissions.has_perm_anywhere(request.user, Perm.RECEIVE_RETURNEE):
        return ""
    waiting = inbox(request.user).count()
    badge = format_html(' <span class="badge text-bg-warning">{}</span>', waiting) if waiting else ""
    return format_html(
        '<li class="nav-item"><a class="nav-link" href="{}">{}{}</a></li>',
        reverse("cases:referrals"),
        _("Referrals"),
        badge,
    )
