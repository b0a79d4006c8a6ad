"""The probable-duplicate rule for imported people: one function, so a proper matcher can replace it."""

from __future__ import annotations

from homeward.imports.selectors import DuplicateIndex, Known

# Birth years this far apart still match: trackers often hold an estimated year.
YEAR_TOLERANCE = 1


def probable_duplicates(
    index: DuplicateIndex, *, name_key: str, nationality: str, birth_year: int | None
) -> list[Known]:
    """People already recorded who are probably this one.

    Rule: the same name folded by ``core.text.search_key`` (accents, case, script),
    the same nationality, and years of birth at most one apart; when either year
    is unknown the name and nationality decide.
    """
    return [
        known
        for known in index.get((name_key, nationality), [])
        if birth_year is None or known.birth_year is None or abs(known.birth_year - birth_year) <= YEAR_TOLERANCE
    ]
