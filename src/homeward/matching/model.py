"""A Fellegi–Sunter model: how much each compared feature says for or against "the same person".

For each feature and level, ``m`` is the chance of that level when the two records are the same
person and ``u`` when they are not; their ratio is the Bayes factor the level contributes, and
``prior`` the chance that two records drawn at random are one person. All three are learnt from
data without knowing who is who (``training.py``: ``u`` from random pairs, ``m`` by
expectation–maximisation on blocked pairs, as Splink does), so the probability is a probability
and the threshold means one.

``parameters.json`` beside this file is what ships (``bench/matching_quality.py
--write-parameters``, trained on the synthetic set; its ``trained_on`` says which run); an
installation can estimate it again on its own people with ``training.train``.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from homeward.matching.compare import FEATURES, LEVELS, Vector

SHIPPED = Path(__file__).with_name("parameters.json")
# No level is ever impossible: an unseen level must not veto a match or prove one.
FLOOR = 1e-4


@dataclass(frozen=True)
class Contribution:
    feature: str
    level: int
    bayes_factor: float

    @property
    def weight(self) -> float:
        """log2 of the Bayes factor: + for "same person", − against."""
        return math.log2(self.bayes_factor)

    @property
    def words(self) -> object:
        return LEVELS[self.feature][self.level]


@dataclass
class Parameters:
    prior: float
    m: dict[str, dict[int, float]]
    u: dict[str, dict[int, float]]
    trained_on: dict[str, object] = field(default_factory=dict)

    def contributions(self, vector: Vector) -> list[Contribution]:
        return [
            Contribution(f, level, self.m[f][level] / self.u[f][level])
            for f, level in zip(FEATURES, vector, strict=True)
            if level is not None
        ]

    def probability(self, vector: Vector) -> float:
        """The chance that a candidate pair with these levels is one person."""
        odds = self.prior / (1 - self.prior)
        for c in self.contributions(vector):
            odds *= c.bayes_factor
        return odds / (1 + odds)

    def to_json(self) -> dict[str, object]:
        return {
            "prior": self.prior,
            "m": {f: {str(k): v for k, v in levels.items()} for f, levels in self.m.items()},
            "u": {f: {str(k): v for k, v in levels.items()} for f, levels in self.u.items()},
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Parameters:
        def levels(table: object) -> dict[str, dict[int, float]]:
            return {f: {int(k): float(v) for k, v in values.items()} for f, values in table.items()}  # type: ignore[attr-defined]

        return cls(
            prior=float(data["prior"]),  # type: ignore[arg-type]
            m=levels(data["m"]),
            u=levels(data["u"]),
            trained_on=dict(data.get("trained_on") or {}),  # type: ignore[call-overload]
        )


@cache
def shipped() -> Parameters:
    return Parameters.from_json(json.loads(SHIPPED.read_text()))


def _frequencies(weighted: Iterable[tuple[Vector, float]]) -> dict[str, dict[int, float]]:
    """The share of each level of each feature among the vectors that have it, with a floor."""
    counts = {f: Counter[int]() for f in FEATURES}
    for vector, weight in weighted:
        for f, level in zip(FEATURES, vector, strict=True):
            if level is not None:
                counts[f][level] += weight
    table = {}
    for f in FEATURES:
        total = sum(counts[f].values())
        table[f] = {level: max(FLOOR, counts[f][level] / total if total else 1 / len(LEVELS[f])) for level in LEVELS[f]}
    return table


def estimate_u(random_pairs: Iterable[Vector]) -> dict[str, dict[int, float]]:
    """``u`` from pairs drawn at random: among them a match is so rare it does not count."""
    return _frequencies((v, 1.0) for v in random_pairs)


def _start_m() -> dict[str, dict[int, float]]:
    """A start for EM: the higher the level, the likelier among matches."""
    table = {}
    for f, levels in LEVELS.items():
        weights = {level: 2.0**level for level in levels}
        total = sum(weights.values())
        table[f] = {level: w / total for level, w in weights.items()}
    return table


def _without(vector: Vector, features: frozenset[str]) -> Vector:
    return tuple(None if f in features else level for f, level in zip(FEATURES, vector, strict=True))


@dataclass
class Session:
    """One EM run on the pairs one blocking rule finds. The features the rule blocks on agree on
    nearly every pair it finds, match or not, so they teach nothing there and are left out."""

    pairs: Counter[Vector]
    blocked_on: frozenset[str]
    m: dict[str, dict[int, float]] = field(default_factory=dict)
    prior: float = 0.0

    def run(self, u: dict[str, dict[int, float]], *, iterations: int = 60) -> Session:
        counts = Counter[Vector]()
        for vector, n in self.pairs.items():
            counts[_without(vector, self.blocked_on)] += n
        total = sum(counts.values())
        params = Parameters(prior=0.1, m=_start_m(), u=u)
        for _ in range(iterations):
            weighted = [(vector, n * params.probability(vector)) for vector, n in counts.items()]
            previous = params.prior
            prior = min(max(sum(w for _v, w in weighted) / total, FLOOR), 1 - FLOOR)
            params = Parameters(prior=prior, m=_frequencies(weighted), u=u)
            if abs(params.prior - previous) < 1e-8:
                break
        self.m, self.prior = params.m, params.prior
        return self
