"""Pure checks of bank details: no ORM, no translation, easy to test exhaustively.

An IBAN (ISO 13616) is a country code, two check digits and up to 30 letters or
digits; its check digits make the whole number, read as digits, leave 1 when
divided by 97. Many countries of origin have no IBAN: a plain account number is
accepted as typed.
"""

from __future__ import annotations

import re

from django_countries import countries

_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_ACCOUNT = re.compile(r"^[A-Z0-9][A-Z0-9 ./-]{2,38}[A-Z0-9]$")
_BIC = re.compile(r"^[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}([A-Z0-9]{3})?$")


def compact(value: str) -> str:
    """Upper case without spaces: how IBANs and BICs are stored and compared."""
    return re.sub(r"\s+", "", value or "").upper()


def looks_like_iban(value: str) -> bool:
    """Starts with a country code and two digits and has an IBAN's length (15 to 34)."""
    text = compact(value)
    return bool(_IBAN_SHAPE.match(text)) and text[:2] in countries


def iban_checksum_ok(value: str) -> bool:
    """ISO 13616 mod-97: move the first four characters to the end, letters to 10–35, remainder 1."""
    text = compact(value)
    if not re.fullmatch(r"[A-Z0-9]{5,}", text):
        return False
    rearranged = text[4:] + text[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


def iban_grouped(value: str) -> str:
    """An IBAN in groups of four, as printed on statements: ``GB82 WEST 1234 …``."""
    text = compact(value)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def account_number_ok(value: str) -> bool:
    """A plain account number: 4 to 40 letters, digits, spaces, dots, slashes or dashes."""
    return bool(_ACCOUNT.match((value or "").strip().upper()))


def bic_ok(value: str) -> bool:
    """A SWIFT/BIC: 4 letters (bank), a country code, 2 letters or digits (place), optionally 3 (branch)."""
    match = _BIC.match(compact(value))
    return bool(match) and match.group(1) in countries  # type: ignore[union-attr]
