"""The "Inquiries" menu entry, the case card naming the inquiry a case came from, and contact links."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from homeward.core.nav import signed_in_user
from homeward.triage import selectors
from homeward.triage.models import Inquiry

register = template.Library()


@register.simple_tag(takes_context=True)
def triage_nav(context: dict[str, Any]) -> str:
    """ "Inquiries" with the number of new ones, for those who register cases somewhere (one count query)."""
    user = signed_in_user(context)
    if user is None or not selectors.triage_missions(user):
        return ""
    html = render_to_string("triage/_nav.html", {"new": selectors.new_count(user)})
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template


@register.simple_tag(takes_context=True)
def inquiry_panel(context: dict[str, Any], case: Any) -> str:
    """The inquiry a case came from, linked for those who work the mission's triage queue."""
    inquiry = selectors.inquiry_of_case(case)
    if inquiry is None:
        return ""
    request = context.get("request")
    link = selectors.may_triage(signed_in_user(context), inquiry.mission_id)
    html = render_to_string("triage/_panel.html", {"inquiry": inquiry, "link": link}, request=request)
    return mark_safe(html)  # noqa: S308 - rendered by our own auto-escaping template


@register.filter
def tel_number(number: str) -> str:
    """A number as a tel: link wants it: + and digits only."""
    number = number or ""
    digits = "".join(c for c in number if c.isdigit())
    return f"+{digits}" if number.strip().startswith("+") else digits


@register.simple_tag
def messenger_links(inquiry: Inquiry) -> str:
    """Links that open a chat with the person's WhatsApp and/or Signal number."""
    digits = "".join(c for c in inquiry.messenger_number if c.isdigit())
    if not digits:
        return ""
    links = []
    if inquiry.messenger in (Inquiry.Messenger.WHATSAPP, Inquiry.Messenger.BOTH, Inquiry.Messenger.NONE):
        links.append((f"https://wa.me/{digits}", _("WhatsApp")))
    if inquiry.messenger in (Inquiry.Messenger.SIGNAL, Inquiry.Messenger.BOTH):
        links.append((f"https://signal.me/#p/+{digits}", _("Signal")))
    items = format_html_join(
        " · ", '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', ((url, label) for url, label in links)
    )
    return format_html("{} ({})", inquiry.messenger_number, items)


@register.filter
def staff_name(user: Any) -> str:
    """A staff member's full name, else their username; "" for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.username
