"""Text normalisation for search across scripts and accents."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]+")

# Greek digraphs that letter-by-letter transliteration gets wrong (ELOT 743):
# Παπαδοπούλου is Papadopoulou, not Papadopoyloy; Ευάγγελος is Evangelos.
_GREEK_DIGRAPH = re.compile(r"([ΟοΌό])([Υυύ])|([ΑαΆάΕεΈέΗηΉή])([Υυύ])(?=(.?))|([Γγ])([ΓγΞξΧχ])", re.DOTALL)
_GREEK_VOICELESS = set("θκξπσςτφχψΘΚΞΠΣΤΦΧΨ")
_VOWEL = {"α": "a", "ά": "a", "ε": "e", "έ": "e", "η": "i", "ή": "i"}


def _digraph(match: re.Match[str]) -> str:
    def cased(latin: str, first: str, second: str) -> str:
        if first.isupper() and second.isupper():
            return latin.upper()
        return latin.capitalize() if first.isupper() else latin

    if match.group(1):
        return cased("ou", match.group(1), match.group(2))
    if match.group(3):
        vowel, upsilon, following = match.group(3), match.group(4), match.group(5)
        consonant = "f" if not following or following in _GREEK_VOICELESS or not following.isalpha() else "v"
        return cased(_VOWEL[vowel.lower()] + consonant, vowel, upsilon)
    gamma, next_letter = match.group(6), match.group(7)
    return cased("n", gamma, next_letter) + next_letter


def _latin(text: str) -> str:
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text))
    return anyascii(_GREEK_DIGRAPH.sub(_digraph, text))


def search_key(*parts: str | None) -> str:
    """Fold names to lower-case ASCII so that 'Μαρία', 'María' and 'maria' meet.

    Original-script names are transliterated (anyascii, with ELOT rules for
    Greek digraphs), accents dropped; list searches compare against the result.
    """
    text = " ".join(p for p in parts if p)
    folded = _PUNCTUATION.sub(" ", _latin(text).casefold())
    return _SPACES.sub(" ", folded).strip()


def transliterate(text: str) -> str:
    """A Latin spelling for a name typed only in its original script."""
    return _SPACES.sub(" ", _latin(text)).strip()
