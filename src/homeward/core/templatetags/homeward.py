from __future__ import annotations

from typing import Any

import phonenumbers
from django import template

register = template.Library()

_EMPTY = {"None", "", "[]", "{}"}


@register.simple_tag
def audit_changes(entry: Any) -> list[tuple[str, str | None, str]]:
    """An audit entry's changes as (field, old, new), blank values shown as a dash.

    A creation lists only the fields it filled; old is None there.
    """
    rows = []
    created = entry.action == entry.Action.CREATE
    for field, (old, new) in entry.changes_display_dict.items():
        old, new = str(old), str(new)
        if created and new in _EMPTY:
            continue
        rows.append(
            (field, None if created else (old if old not in _EMPTY else "—"), new if new not in _EMPTY else "—")
        )
    return rows


@register.filter
def phone(value: str) -> str:
    """An E.164 number grouped for reading: +306912345678 → +30 691 234 5678."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
