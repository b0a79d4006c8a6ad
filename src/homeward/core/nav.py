"""What the apps' menu entries and case cards share: who is signed in, and the entries' markup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.html import format_html_join


def signed_in_user(context: Any) -> Any:
    """The template's signed-in user, or None (a page rendered without a request, or anonymous)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user if user is not None and user.is_authenticated else None


def nav_links(entries: Iterable[tuple[str, Any]]) -> str:
    """Main-menu entries, each ``(url, label)``."""
    return format_html_join("", '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', entries)
