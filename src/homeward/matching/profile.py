"""What matching compares of a person, computed once: the name's tokens in their reduced forms,
the date of birth with its precision, sex, nationality, place of birth, phone and documents.

A profile is built from a saved person (``of_person``) or from what a counsellor is typing
(``of_values``), and stored (``as_row`` / ``of_row``) so that scoring a candidate reads no name
twice: reducing a name costs more than comparing two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from homeward.core.crypto import document_digest, normalise_document_number
from homeward.matching.names import skeleton, tokens, variants, vowel_form

# A token as compared: its vowel forms and skeletons, one per reading (variants).
Token = tuple[tuple[str, ...], tuple[str, ...]]


def token_forms(token: str) -> Token:
    readings = variants(token)
    return tuple(dict.fromkeys(vowel_form(v) for v in readings)), tuple(
        dict.fromkeys(s for s in (skeleton(v) for v in readings) if s)
    )


def name_forms(given: str, family: str, given_original: str = "", family_original: str = "") -> list[list[Token]]:
    """The name as typed in Latin letters, and as written in its original script where one was
    typed (our reduction of Arabic script knows its article and long vowels, anyascii does not)."""
    forms = []
    for parts in ((given, family), (given_original or given, family_original or family)):
        found = [token_forms(t) for part in parts for t in tokens(part)]
        if found and found not in forms:
            forms.append(found)
    return forms


def document_key(number: str) -> str:
    """A document number as it is compared: letters and digits only (A 123-456 is A123456)."""
    return normalise_document_number(number)


@dataclass(frozen=True)
class Profile:
    names: tuple[tuple[Token, ...], ...]
    sex: str = ""  # F, M or X; empty when not stated
    birth_date: dt.date | None = None
    birth_precision: str = ""  # core.dates.DatePrecision
    nationality: str = ""
    place_of_birth: str = ""
    phone: str = ""
    documents: frozenset[str] = frozenset()

    @property
    def comparable(self) -> bool:
        """A name with at least one token of two letters: anything less cannot be compared."""
        return any(len(f[0][0]) >= 2 for form in self.names for f in form)

    @property
    def birth_year(self) -> int | None:
        return self.birth_date.year if self.birth_date else None

    def as_row(self) -> dict[str, Any]:
        return {
            "names": [[[list(v), list(s)] for v, s in form] for form in self.names],
            "sex": self.sex,
            "birth_date": self.birth_date,
            "birth_precision": self.birth_precision,
            "nationality": self.nationality,
            "place_of_birth": self.place_of_birth,
            "phone": self.phone,
            "documents": sorted(self.documents),
        }


def of_row(
    names: list[Any],
    sex: str,
    birth_date: dt.date | None,
    birth_precision: str,
    nationality: str,
    place_of_birth: str,
    phone: str,
    documents: list[str],
) -> Profile:
    return Profile(
        names=tuple(tuple((tuple(v), tuple(s)) for v, s in form) for form in names),
        sex=sex,
        birth_date=birth_date,
        birth_precision=birth_precision,
        nationality=nationality,
        place_of_birth=place_of_birth,
        phone=phone,
        documents=frozenset(documents),
    )


def of_values(
    *,
    given: str,
    family: str = "",
    given_original: str = "",
    family_original: str = "",
    sex: str = "",
    birth_date: dt.date | None = None,
    birth_precision: str = "",
    nationality: str = "",
    place_of_birth: str = "",
    phone: str = "",
    documents: list[str] | frozenset[str] = frozenset(),
) -> Profile:
    from homeward.core.text import search_key

    return Profile(
        names=tuple(tuple(form) for form in name_forms(given, family, given_original, family_original)),
        sex="" if sex in ("", "U") else sex,
        birth_date=birth_date,
        birth_precision=birth_precision if birth_date else "",
        nationality=str(nationality or "").upper(),
        place_of_birth=search_key(place_of_birth),
        phone=phone,
        # Blind indexes, never the numbers: match records and keys are not encrypted (decision 0013).
        documents=frozenset(document_digest(k) for k in (document_key(n) for n in documents) if len(k) >= 4),
    )


def of_person(person: Any, documents: list[str] | None = None) -> Profile:
    """The profile of a saved ``people.Person``; ``documents`` (numbers) when already fetched."""
    if documents is None:
        documents = list(person.documents.values_list("number", flat=True)) if person.pk else []
    return of_values(
        given=person.given_names,
        family=person.family_name,
        given_original=person.given_names_original,
        family_original=person.family_name_original,
        sex=person.sex,
        birth_date=person.birth_date,
        birth_precision=person.birth_date_precision,
        nationality=person.nationality.code if hasattr(person.nationality, "code") else person.nationality,
        place_of_birth=getattr(person, "place_of_birth", ""),
        phone=person.phone,
        documents=documents,
    )
