"""Blocking keys: where a person is filed, so candidates come from index look-ups, not scans.

A person is filed under every pair of skeletons of two different words of the name, in either
form (Latin and original script) and reading (variants): one spelling change, a script change or
given and family names swapped leave most keys in place. Name keys are searched within a birth
year either side (or an unknown year); a phone or a document number finds a person whatever the
name or year; so does an exact date of birth.
"""

from __future__ import annotations

import itertools

from homeward.matching.profile import Profile

KEY_LENGTH = 48


def name_keys(profile: Profile) -> set[str]:
    found: set[str] = set()
    for form in profile.names:
        skeletons = [token[1] for token in form if token[1]]
        if len(skeletons) == 1:  # a one-word name: filed under that word alone
            found.update(f"n:{s}" for s in skeletons[0])
        for first, second in itertools.combinations(skeletons, 2):
            found.update("n:" + "|".join(sorted(pair)) for pair in itertools.product(first, second))
    return {k[:KEY_LENGTH] for k in found}


def identity_keys(profile: Profile) -> set[str]:
    """A document number, a phone, an exact date of birth (for a name typed with a mistake in
    every word): small blocks, searched whatever the name."""
    keys = {f"d:{number}" for number in profile.documents}
    if profile.birth_date and profile.birth_precision == "exact":
        keys.add(f"b:{profile.birth_date.isoformat()}")
    if profile.phone:
        keys.add(f"p:{profile.phone}")
    return {k[:KEY_LENGTH] for k in keys}
