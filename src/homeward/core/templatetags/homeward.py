from __future__ import annotations

import phonenumbers
from django import template

register = template.Library()


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


@register.filter
def percent(value: float | None) -> str:
    """A probability as a whole percentage, never 100 % or 0 % for what is only nearly so."""
    if value is None:
        return ""
    shown = round(value * 100)
    if shown >= 100 and value < 1:
        shown = 99
    if shown <= 0 < value:
        shown = 1
    return f"{shown} %"
