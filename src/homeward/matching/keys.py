"""Blocking keys: where a person is filed, so candidates come from index look-ups, not scans.

A person is filed under every pair of two different words of the name, one word's skeleton whole
and the other's first consonants, both ways round, in either form (Latin and original script)
and reading (variants): one spelling change, a typo, a script change or given and family names
swapped leave some keys in place. Name keys are searched within a birth
year either side (or an unknown year); a phone or a document number (its blind index,
core.crypto.document_digest: the keys are not encrypted) finds a person whatever the
name or year; so does an exact date of birth.
"""

from __future__ import annotations

import itertools

from homeward.matching.profile import Profile

KEY_LENGTH = 48
# Consonants of the second word in a name key.
PREFIX = 2


def name_keys(profile: Profile) -> set[str]:
    found: set[str] = set()
    for form in profile.names:
        skeletons = [token[1] for token in form if token[1]]
        if len(skeletons) == 1:  # a one-word name: filed under that word alone
            found.update(f"n:{s}" for s in skeletons[0])
        for first, second in itertools.combinations(skeletons, 2):
            for one, other in itertools.product(first, second):
                # One word whole, the other by its first consonants: a typo later in either word
                # (Nasratian, Nastatian) leaves one of the two keys in place.
                found.add(f"n:{one}|{other[:PREFIX]}")
                found.add(f"n:{other}|{one[:PREFIX]}")
    return {k[:KEY_LENGTH] for k in found}


def identity_keys(profile: Profile) -> set[str]:
    """A document number, a phone, an exact date of birth (for a name typed with a mistake in
    every word): small blocks, searched whatever the name."""
    keys = {f"d:{digest}" for digest in profile.documents}  # digests, cut to the key length
    if profile.birth_date and profile.birth_precision == "exact":
        keys.add(f"b:{profile.birth_date.isoformat()}")
    if profile.phone:
        keys.add(f"p:{profile.phone}")
    return {k[:KEY_LENGTH] for k in keys}
