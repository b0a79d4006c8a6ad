"""The batch duplicate run: every pair of persons that blocking puts together, scored once.

Blocks are the ``MatchKey`` rows sharing a key (a name key within a birth year either side, or
an unknown year; an identity key whatever the year), read a few hundred keys at a time, so a
million persons never sit in memory at once; profiles are read per chunk and kept in a bounded
cache. Two persons usually share several keys: a pair is scored only in the block of the
smallest key they share (in Python's order, so the database's collation does not matter), which
needs no memory of the pairs already seen.
"""

from __future__ import annotations

import itertools
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.matching import selectors
from homeward.matching.compare import Vector
from homeward.matching.models import MatchKey, MatchRecord, NotSamePerson
from homeward.matching.profile import Profile
from homeward.matching.scoring import score

if TYPE_CHECKING:
    from homeward.jobs.models import Job

KIND = "matching.duplicates"
# A block window (one name key, a birth year either side and the unknown years; or one identity
# key) shared by more persons than this is a name and year too common to tell anyone apart by:
# scoring all its pairs would cost its size squared. Its pairs are left to the other keys they
# share (another pair of words of the name, a phone, a document, an exact date of birth), as
# ``selectors.find`` stops at MAX_CANDIDATES for one look-up.
MAX_BLOCK = 1000
ROWS_PER_CHUNK = 20_000
CACHED_PERSONS = 200_000

Pair = tuple[int, int, float, Vector]


def _compatible(a: int | None, b: int | None) -> bool:
    return a is None or b is None or abs(a - b) <= 1


class _Blocks:
    """The keys to visit (held by two persons or more; with a scope, by one of its persons) and,
    for the few big ones, how many persons each birth year holds."""

    def __init__(self, scope: QuerySet[Any] | set[int] | None) -> None:
        counted = MatchKey.objects.values("key").annotate(n=Count("id")).filter(n__gte=2)
        if isinstance(scope, QuerySet):
            counted = counted.filter(key__in=MatchKey.objects.filter(person_id__in=scope).values("key"))
        self.sizes = dict(counted.values_list("key", "n"))
        if isinstance(scope, set):  # ids: their keys, read in slices (SQLite limits a query's parameters)
            ids, mine = sorted(scope), set()
            for i in range(0, len(ids), 5000):
                mine.update(MatchKey.objects.filter(person_id__in=ids[i : i + 5000]).values_list("key", flat=True))
            self.sizes = {k: n for k, n in self.sizes.items() if k in mine}
        self.keys = sorted(self.sizes)
        big = [k for k, n in self.sizes.items() if n > MAX_BLOCK]
        self.years: dict[str, Counter[int | None]] = defaultdict(Counter)
        by_year = MatchKey.objects.filter(key__in=big).values("key", "birth_year").annotate(n=Count("id"))
        for key, year, n in by_year.values_list("key", "birth_year", "n"):
            self.years[key][year] = n

    def chunks(self) -> Iterator[list[str]]:
        """The keys a few at a time, about ROWS_PER_CHUNK persons' keys in each."""
        chunk: list[str] = []
        rows = 0
        for key in self.keys:
            chunk.append(key)
            rows += self.sizes[key]
            if rows >= ROWS_PER_CHUNK:
                yield chunk
                chunk, rows = [], 0
        if chunk:
            yield chunk

    def too_big(self, key: str, a: int | None, b: int | None) -> bool:
        """Whether the window in which ``key`` puts persons born ``a`` and ``b`` holds more than MAX_BLOCK."""
        years = self.years.get(key)
        if years is None:
            return False
        known = [y for y in (a, b) if y is not None]
        if not key.startswith("n:") or not known:
            return sum(years.values()) > MAX_BLOCK
        low, high = min(known), max(known)
        return years[None] + sum(years[y] for y in range(low - 1, high + 2)) > MAX_BLOCK


class _Cache:
    """Profiles, birth years and keys of persons, the least recently used forgotten first."""

    def __init__(self) -> None:
        self.size = CACHED_PERSONS
        self.rows: OrderedDict[int, tuple[Profile, int | None, frozenset[str]]] = OrderedDict()

    def load(self, person_ids: Iterable[int]) -> None:
        """Have ``person_ids`` at hand, forgetting only others (the cache outgrows its size for a
        chunk larger than it)."""
        wanted = set(person_ids)
        for person_id in wanted & self.rows.keys():
            self.rows.move_to_end(person_id)
        missing = sorted(wanted - self.rows.keys())
        while self.rows and len(self.rows) + len(missing) > self.size:
            oldest = next(iter(self.rows))
            if oldest in wanted:
                break
            del self.rows[oldest]
        for i in range(0, len(missing), 2000):
            chunk = missing[i : i + 2000]
            found: dict[int, list[str]] = defaultdict(list)
            for person_id, key in MatchKey.objects.filter(person_id__in=chunk).values_list("person_id", "key"):
                found[person_id].append(key)
            for record in MatchRecord.objects.filter(person_id__in=chunk, person__merged_into__isnull=True):
                profile = selectors.record_profile(record)
                self.rows[record.person_id] = (profile, profile.birth_year, frozenset(found[record.person_id]))

    def get(self, person_id: int) -> tuple[Profile, int | None, frozenset[str]] | None:
        row = self.rows.get(person_id)
        if row is not None:
            self.rows.move_to_end(person_id)
        return row


Row = tuple[Profile, int | None, frozenset[str]]


def _windows(
    key: str, rows: list[tuple[int, Row]]
) -> Iterator[tuple[list[tuple[int, Row]], list[tuple[int, Row]] | None]]:
    """The groups of a block whose pairs are candidates: (group, None) for the pairs within a
    group, (group, other) for the pairs across two. A name key pairs years one apart at most,
    and an unknown year with any; an identity key pairs everyone."""
    if not key.startswith("n:"):
        yield rows, None
        return
    by_year: dict[int | None, list[tuple[int, Row]]] = defaultdict(list)
    for person_id, row in rows:
        by_year[row[1]].append((person_id, row))
    unknown = by_year.pop(None, [])
    yield unknown, None
    for year, group in sorted(by_year.items()):
        yield group, None
        if year + 1 in by_year:
            yield group, by_year[year + 1]
        yield unknown, group


def likely_pairs(
    *,
    person_ids: QuerySet[Any] | Iterable[int] | None = None,
    progress: Any = None,
    at_least: float | None = None,
    counts: dict[str, int] | None = None,
) -> list[Pair]:
    """Pairs (first < second) probably one person, most probable first, as (first, second,
    probability, levels). With ``person_ids`` (ids or a query of ids), only pairs with at least one
    of them. Pairs a supervisor said are two people and merged records are left out. ``progress``
    is a ``jobs.Progress``; ``counts`` (a dict) receives the blocks, the pairs scored and the pairs
    left out in windows larger than MAX_BLOCK.
    """
    floor = selectors.threshold() if at_least is None else at_least
    scope: QuerySet[Any] | set[int] | None
    if person_ids is None or isinstance(person_ids, QuerySet):
        scope = person_ids
        members = None if person_ids is None else set(person_ids)
    else:
        scope = members = set(person_ids)
    blocks = _Blocks(scope)
    two_people = set(NotSamePerson.objects.values_list("first_id", "second_id"))
    model = selectors.parameters()
    cache = _Cache()
    tally = counts if counts is not None else {}
    tally.update(blocks=len(blocks.keys), scored=0, left_out=0)
    if progress is not None:
        progress.stage(_("Comparing the persons who share a key"), len(blocks.keys))

    def first_shared(a: Row, b: Row) -> str:
        """The smallest key under which the pair is a candidate in a window not too big."""
        same_years = _compatible(a[1], b[1])
        shared = (k for k in a[2] & b[2] if same_years or not k.startswith("n:"))
        return min((k for k in shared if not blocks.too_big(k, a[1], b[1])), default="")

    found: list[Pair] = []
    for chunk in blocks.chunks():
        held: dict[str, set[int]] = defaultdict(set)
        for key, person_id in MatchKey.objects.filter(key__in=chunk).values_list("key", "person_id"):
            held[key].add(person_id)
        cache.load(itertools.chain.from_iterable(held.values()))
        for key in chunk:
            rows = [(p, row) for p in sorted(held[key]) if (row := cache.get(p)) is not None]
            for group, other in _windows(key, rows):
                if not group or other == []:
                    continue
                if members is not None and not any(p in members for p, _r in itertools.chain(group, other or ())):
                    continue
                pairs = itertools.combinations(group, 2) if other is None else itertools.product(group, other)
                if blocks.too_big(key, group[0][1][1], (other or group)[0][1][1]):
                    size = len(group) * (len(group) - 1) // 2 if other is None else len(group) * len(other)
                    tally["left_out"] += size
                    continue
                for (a, row_a), (b, row_b) in pairs:
                    if a > b:
                        a, b, row_a, row_b = b, a, row_b, row_a
                    if members is not None and a not in members and b not in members:
                        continue
                    if (a, b) in two_people or first_shared(row_a, row_b) != key:
                        continue
                    scored = score(row_a[0], row_b[0], model)
                    tally["scored"] += 1
                    if scored.probability >= floor:
                        found.append((a, b, scored.probability, scored.vector))
        if progress is not None:
            progress.advance(len(chunk))
    found.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    return found


def duplicates_run_start(*, acting_user: Any) -> Job:
    """Queue a batch duplicate run over the persons of the missions ``acting_user`` supervises.

    Rule: only a case supervisor (``Perm.ASSIGN_CASE``) may list duplicates; the scope is checked
    again when the job runs.
    """
    from django.utils import translation

    from homeward.jobs.services import job_start

    if not permissions.has_perm_anywhere(acting_user, Perm.ASSIGN_CASE):
        raise PermissionDenied
    return job_start(
        kind=KIND,
        title=_("Likely duplicates"),
        acting_user=acting_user,
        params={"language": translation.get_language()},
    )
