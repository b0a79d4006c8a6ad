"""How two profiles compare, field by field: a level per feature, and the words for each level.

The levels are what the model (``model.py``) learns weights for; a missing value on either side
is ``None`` and weighs nothing either way. Every function here is symmetric: compare(a, b) and
compare(b, a) give the same levels.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import JaroWinkler

from homeward.core.dates import DatePrecision
from homeward.matching.profile import Profile, Token

# Two vowel forms this close (Jaro-Winkler) are spellings of one name: muhamad/muhamid,
# ahmadzai/ahmadzi; hasan/husin (Hassan/Hussein) stay well below.
SIMILAR = 0.88
_VOWELS = frozenset("aiu")

FEATURES = ("name", "birth", "sex", "nationality", "place_of_birth", "phone", "document")

# What each level means, for the reasons shown beside a match (highest level first).
LEVELS: dict[str, dict[int, object]] = {
    "name": {
        5: _("same names after transliteration"),
        4: _("names match after transliteration"),
        3: _("every word of the shorter name matches"),
        2: _("names partly match"),
        1: _("one name in common"),
        0: _("names differ"),
    },
    "birth": {
        5: _("same date of birth"),
        4: _("born the same month (one date has no day)"),
        3: _("dates of birth compatible (one is less precise)"),
        2: _("born the same year, on another day"),
        1: _("birth year differs by one"),
        0: _("dates of birth differ"),
    },
    "sex": {1: _("same sex"), 0: _("sex differs")},
    "nationality": {1: _("same nationality"), 0: _("nationality differs")},
    "place_of_birth": {1: _("same place of birth"), 0: _("place of birth differs")},
    "phone": {1: _("same phone"), 0: _("phone differs")},
    "document": {1: _("same document number"), 0: _("document numbers differ")},
}
LABELS = {
    "name": _("name"),
    "birth": _("date of birth"),
    "sex": _("sex"),
    "nationality": _("nationality"),
    "place_of_birth": _("place of birth"),
    "phone": _("phone"),
    "document": _("document"),
}

Vector = tuple[int | None, ...]


def _abjad(x: str, y: str) -> bool:
    """Whether one form is the other without some of its vowels, as Arabic script writes a name:
    only the long vowels (العبيدي is ubidi without its first u: Al-Obaidi; الموسوي musui, Mousavi
    musavi, its w read u). Four letters at least: Ali and Alia stay apart."""
    short, long_ = sorted((x.replace("v", "u"), y.replace("v", "u")), key=len)
    if len(short) < 4 or len(short) == len(long_):
        return False
    i = 0
    for ch in long_:
        if i < len(short) and ch == short[i]:
            i += 1
        elif ch not in _VOWELS:
            return False
    return i == len(short)


def _tokens_match(a: Token, b: Token) -> bool:
    vowels_a, skeletons_a = a
    vowels_b, skeletons_b = b
    if set(vowels_a) & set(vowels_b):
        return True
    # A name written without its short vowels (Arabic script: hsn) is one of every vocalisation.
    if any(not _VOWELS & set(v) for v in (vowels_a[0], vowels_b[0])):
        return bool(set(skeletons_a) & set(skeletons_b))
    for x in vowels_a:
        for y in vowels_b:
            if x + "a" == y or y + "a" == x:  # the feminine of a name: Samir, Samira; Karim, Karima
                continue
            # Short names differ in a letter (Ali, Alia; Omar, Amar): only a longer one can be misspelt.
            similar = min(len(x), len(y)) >= 4 and JaroWinkler.normalized_similarity(x, y) >= SIMILAR
            if (x[0] == y[0] and similar) or _abjad(x, y):
                return True
    return False


# The words of two names that were paired up, each a token of one name and its match in the other.
Pairing = tuple[tuple[Token, Token], ...]


def _matched(a: tuple[Token, ...], b: tuple[Token, ...]) -> tuple[int, bool, Pairing]:
    """How many tokens pair up (each used once, any order), whether all pairs were exact, and the pairs."""
    free = list(range(len(b)))
    exact = True
    pairs: list[tuple[Token, Token]] = []
    for token in a:
        same = next((j for j in free if set(token[0]) & set(b[j][0])), None)
        hit = same if same is not None else next((j for j in free if _tokens_match(token, b[j])), None)
        if hit is not None:
            free.remove(hit)
            pairs.append((token, b[hit]))
            exact = exact and hit == same
    return len(pairs), exact, tuple(pairs)


def _name_level(a: tuple[Token, ...], b: tuple[Token, ...]) -> tuple[int, Pairing]:
    # The shorter name pairs its words first; of two as long, the one that sorts first, so that the
    # pairing (and with it the level) is the same whichever name is given first.
    count, exact, pairs = _matched(a, b) if (len(a), a) <= (len(b), b) else _matched(b, a)
    shorter, longer = sorted((len(a), len(b)))
    if count == shorter == longer:
        level = 5 if exact else 4
    # A second given name dropped, or a father named in his child's name: weaker than all words.
    elif count == shorter and count >= 2:
        level = 3
    elif count >= 2 or count == shorter == 1:
        level = 2
    else:
        level = 1 if count == 1 else 0
    return level, pairs


def name_match(a: Profile, b: Profile) -> tuple[int | None, tuple[Pairing, ...]]:
    """The name level, and the words paired up in each pair of forms (Latin, original script) that
    reach it: the model weighs how common those words are (``model.NameFrequencies``)."""
    if not a.comparable or not b.comparable:
        return None, ()
    best, pairings = -1, []
    for x in a.names:
        for y in b.names:
            level, pairs = _name_level(x, y)
            if level > best:
                best, pairings = level, [pairs]
            elif level == best:
                pairings.append(pairs)
    return best, tuple(pairings)


def name_level(a: Profile, b: Profile) -> int | None:
    return name_match(a, b)[0]


_PARTS = {DatePrecision.EXACT: 3, DatePrecision.MONTH: 2, DatePrecision.YEAR: 1, DatePrecision.ESTIMATED: 1}


def birth_level(a: Profile, b: Profile) -> int | None:
    """A year-only date is compatible with any date of that year (weak: a fifth of people give no
    more), a month with any day of that month; an estimated year is a year."""
    if a.birth_date is None or b.birth_date is None:
        return None
    known = min(_PARTS.get(a.birth_precision, 1), _PARTS.get(b.birth_precision, 1))
    x, y = a.birth_date, b.birth_date
    if x.year == y.year:
        if known == 3:
            return 5 if x == y else 2
        if known == 2:
            return 4 if x.month == y.month else 2
        return 3
    return 1 if abs(x.year - y.year) == 1 else 0


def _same(a: str, b: str) -> int | None:
    if not a or not b:
        return None
    return int(a == b)


def compare_names(a: Profile, b: Profile) -> tuple[Vector, tuple[Pairing, ...]]:
    """``compare``, and the name words paired up (``name_match``)."""
    place = None
    if a.place_of_birth and b.place_of_birth:
        place = int(JaroWinkler.normalized_similarity(a.place_of_birth, b.place_of_birth) >= SIMILAR)
    document = int(bool(a.documents & b.documents)) if a.documents and b.documents else None
    name, pairings = name_match(a, b)
    vector = (
        name,
        birth_level(a, b),
        _same(a.sex, b.sex),
        _same(a.nationality, b.nationality),
        place,
        _same(a.phone, b.phone),
        document,
    )
    return vector, pairings


def compare(a: Profile, b: Profile) -> Vector:
    """The level of each feature in ``FEATURES`` order; ``None`` where either side is missing."""
    return compare_names(a, b)[0]


def reasons(vector: Vector) -> list[tuple[str, object]]:
    """The words for each known level: (feature, words)."""
    return [(f, LEVELS[f][level]) for f, level in zip(FEATURES, vector, strict=True) if level is not None]
