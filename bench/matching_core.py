"""Shared by the matching benchmarks: profiles of generated records, candidate pairs by blocking
(the same keys and year window as the database look-up), and precision/recall/F1."""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from homeward.matching import keys, profile  # noqa: E402
from homeward.matching.compare import compare  # noqa: E402


def profile_of(record) -> profile.Profile:  # a bench.persons.Record
    if record.birth_year is None:
        born, precision = None, ""
    elif record.birth_day:
        born, precision = dt.date(record.birth_year, record.birth_month, record.birth_day), "exact"
    elif record.birth_month:
        born, precision = dt.date(record.birth_year, record.birth_month, 1), "month"
    else:
        born, precision = dt.date(record.birth_year, 1, 1), "year"
    return profile.of_values(
        given=record.given, family=record.family, sex=record.sex, birth_date=born, birth_precision=precision,
        nationality=record.nationality, phone=record.phone, place_of_birth=record.place_of_birth,
    )  # fmt: skip


def candidate_pairs(profiles: dict[int, profile.Profile]) -> set[tuple[int, int]]:
    """Pairs sharing a name key within a birth year either side (or an unknown one), or an identity key."""
    by_key: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
    pairs: set[tuple[int, int]] = set()
    for rid, p in profiles.items():
        year = p.birth_year
        for key in keys.name_keys(p):
            for other, other_year in by_key[key]:
                if year is None or other_year is None or abs(year - other_year) <= 1:
                    pairs.add((other, rid))
            by_key[key].append((rid, year))
        for key in keys.identity_keys(p):
            pairs.update((other, rid) for other, _y in by_key[key])
            by_key[key].append((rid, year))
    return pairs


def random_pairs(ids: list[int], n: int, seed: int = 7) -> Iterator[tuple[int, int]]:
    rng = random.Random(seed)  # noqa: S311 - sampling, not secrets
    for _ in range(n):
        a, b = rng.sample(ids, 2)
        yield (a, b)


def vectors(profiles: dict[int, profile.Profile], pairs: Iterable[tuple[int, int]]) -> Iterator:
    for a, b in pairs:
        yield compare(profiles[a], profiles[b])


def quality(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
