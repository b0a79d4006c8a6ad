"""Text normalisation for search across scripts and accents."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]+")


def search_key(*parts: str | None) -> str:
    """Fold names to lower-case ASCII so that 'Μαρία', 'María' and 'maria' meet.

    Original-script names are transliterated (anyascii), accents dropped; the
    result is what list searches compare against with ``icontains``.
    """
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKC", text)
    folded = _PUNCTUATION.sub(" ", anyascii(text).casefold())
    return _SPACES.sub(" ", folded).strip()


def transliterate(text: str) -> str:
    """A Latin spelling for a name typed only in its original script."""
    return _SPACES.sub(" ", anyascii(unicodedata.normalize("NFKC", text))).strip()
