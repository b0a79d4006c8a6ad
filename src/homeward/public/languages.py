"""The public site's languages (settings.HOMEWARD_PUBLIC_LANGUAGES): which, named how, written which way."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header

DEFAULT = "en"


def codes() -> list[str]:
    return [code for code, _native, _rtl in settings.HOMEWARD_PUBLIC_LANGUAGES]


def is_public(code: str) -> bool:
    return code in codes()


def native_name(code: str) -> str:
    """The language named in itself, as the switcher shows it."""
    return next((native for c, native, _rtl in settings.HOMEWARD_PUBLIC_LANGUAGES if c == code), code)


def is_rtl(code: str) -> bool:
    return any(c == code and rtl for c, _native, rtl in settings.HOMEWARD_PUBLIC_LANGUAGES)


def negotiate(accept_language: str) -> str:
    """The first language of the browser's Accept-Language the site speaks (``fr-CA`` counts as ``fr``), else English."""
    ours = codes()
    for asked, _quality in parse_accept_lang_header(accept_language or ""):
        asked = asked.lower()
        for candidate in (asked, asked.split("-")[0]):
            if candidate in ours:
                return candidate
    return DEFAULT
