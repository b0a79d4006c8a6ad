"""Languages a migrant speaks, by ISO 639 code (ISO 639-1 where there is one)."""

from __future__ import annotations

import gettext
from functools import cache
from typing import Any

import pycountry
from django.utils.translation import get_language

# The languages AVRR counselling most often runs in; others can be typed by code.
COMMON = [
    "en", "fr", "ar", "fa", "prs", "ps", "ur", "pa", "bn", "hi", "ne", "ku", "ckb", "tr",
    "ti", "am", "so", "om", "sw", "ha", "yo", "ig", "wo", "ln", "es", "pt", "ru", "uk",
    "ka", "hy", "az", "uz", "tg", "sq", "sr", "ro", "bg", "el", "zh", "vi", "tl", "si", "ta",
]  # fmt: skip


@cache
def _lookup(code: str) -> Any:
    code = code.strip().lower()
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    return pycountry.languages.get(alpha_3=code)


def is_known(code: str) -> bool:
    return _lookup(code) is not None


def name(code: str) -> str:
    record = _lookup(code)
    if record is None:
        return code
    return _iso639(get_language() or "en").gettext(record.name)


@cache
def _iso639(language: str) -> gettext.NullTranslations:
    # pycountry ships the ISO 639 names translated, in gettext domain iso639-3.
    return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def choices() -> list[tuple[str, str]]:
    return sorted(((code, name(code)) for code in COMMON), key=lambda c: c[1])
