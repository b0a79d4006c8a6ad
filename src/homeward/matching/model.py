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
from typing import Any

from django.utils.translation import gettext_lazy as _

from homeward.matching.compare import FEATURES, LEVELS, Pairing, Vector

SHIPPED = Path(__file__).with_name("parameters.json")
# No level is ever impossible: an unseen level must not veto a match or prove one.
FLOOR = 1e-4


# How common the matched name words are, as a reason of its own (a "feature" the model derives
# from the name): when they at least halve the name's weight (common), or double it with none of
# them listed among the frequent words (rare); any other factor is folded into the name's weight.
NAME_FREQUENCY = "name_frequency"
NAME_FREQUENCY_LEVELS = {0: _("common names"), 1: _("rare names")}


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
        if self.feature == NAME_FREQUENCY:
            return NAME_FREQUENCY_LEVELS[self.level]
        return LEVELS[self.feature][self.level]


# From this name level up: at "one name in common" the word shared is mostly a family name, which
# relatives share too; its rarity says as much for a brother as for the same man.
NAME_FREQUENCY_FROM = 2


@dataclass(frozen=True)
class NameFrequencies:
    """How common each name word is (Splink's term frequencies), learnt with the model.

    Two people who both bear a common name agree on it more often than the level's average ``u``
    says, and on a rare one less. For each word two names share (the same vowel form), the Bayes
    factor is multiplied by ``mean / frequency``, ``mean`` being the chance that two words drawn
    at random are the same, so that the factor averages 1 over chance agreements (Splink's
    ``u`` for a value). A word's frequency is that of its commonest reading (Alhassan: Hassan),
    the greater of the two words' (as Splink does), so that no other record scores a name
    higher than the record itself; and never below ``floor``: a word too rare to be listed, or a
    typo, cannot outweigh the rest. Words matched only as spellings of each other (Hosseiniwal,
    Huseinikhel) are not the same rare word: they count only against, when one is common.
    """

    words: dict[str, float]
    floor: float
    mean: float

    def of(self, forms: Iterable[str]) -> float:
        get = self.words.get
        return max(self.floor, *(get(form, 0.0) for form in forms))

    def factor(self, pairings: tuple[Pairing, ...]) -> float:
        """The factor of the words matched; of several pairs of name forms reaching the level, the
        smallest (so that it is the same whichever name is given first)."""
        best = None
        for pairs in pairings:
            factor = 1.0
            for x, y in pairs:
                word = self.mean / max(self.of(x[0]), self.of(y[0]))
                factor *= word if set(x[0]).intersection(y[0]) else min(1.0, word)
            best = factor if best is None else min(best, factor)
        return 1.0 if best is None else best

    def level(self, pairings: tuple[Pairing, ...], factor: float) -> int | None:
        """The ``NAME_FREQUENCY_LEVELS`` that says how common the matched words are, if any does."""
        if factor <= 0.5:
            return 0
        words = [token for pairs in pairings for pair in pairs for token in pair]
        if factor >= 2 and words and all(self.of(token[0]) == self.floor for token in words):
            return 1
        return None

    def to_json(self) -> dict[str, object]:
        return {"floor": self.floor, "mean": self.mean, "words": self.words}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NameFrequencies:
        return cls(
            words={str(k): float(v) for k, v in data["words"].items()},
            floor=float(data["floor"]),
            mean=float(data["mean"]),
        )


@dataclass
class Parameters:
    prior: float
    m: dict[str, dict[int, float]]
    u: dict[str, dict[int, float]]
    trained_on: dict[str, object] = field(default_factory=dict)
    # None (a model trained before they were, or without names): every name weighs its level's average.
    names: NameFrequencies | None = None

    def name_factor(self, level: int | None, pairings: tuple[Pairing, ...]) -> float:
        """How much more or less the matched name words say than the level's average (dict look-ups only)."""
        if self.names is None or level is None or level < NAME_FREQUENCY_FROM:
            return 1.0
        return self.names.factor(pairings)

    def contributions(
        self, vector: Vector, name_factor: float = 1.0, pairings: tuple[Pairing, ...] = ()
    ) -> list[Contribution]:
        """Each known level's Bayes factor, and the name's ``name_factor`` (``name_factor()``): a
        reason of its own when common or rare names (``NAME_FREQUENCY_LEVELS``), else in the name's."""
        found = []
        for f, level in zip(FEATURES, vector, strict=True):
            if level is None:
                continue
            factor = self.m[f][level] / self.u[f][level]
            if f == "name" and name_factor != 1.0:
                said = self.names.level(pairings, name_factor) if self.names is not None else None
                if said is not None:
                    found.append(Contribution(f, level, factor))
                    found.append(Contribution(NAME_FREQUENCY, said, name_factor))
                    continue
                factor *= name_factor
            found.append(Contribution(f, level, factor))
        return found

    def probability(self, vector: Vector, name_factor: float = 1.0) -> float:
        """The chance that a candidate pair with these levels is one person."""
        odds = self.prior / (1 - self.prior)
        for c in self.contributions(vector, name_factor):
            odds *= c.bayes_factor
        return odds / (1 + odds)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "prior": self.prior,
            "m": {f: {str(k): v for k, v in levels.items()} for f, levels in self.m.items()},
            "u": {f: {str(k): v for k, v in levels.items()} for f, levels in self.u.items()},
            "trained_on": self.trained_on,
        }
        if self.names is not None:
            data["name_frequencies"] = self.names.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Parameters:
        def levels(table: object) -> dict[str, dict[int, float]]:
            return {f: {int(k): float(v) for k, v in values.items()} for f, values in table.items()}  # type: ignore[attr-defined]

        return cls(
            prior=float(data["prior"]),  # type: ignore[arg-type]
            m=levels(data["m"]),
            u=levels(data["u"]),
            trained_on=dict(data.get("trained_on") or {}),  # type: ignore[call-overload]
            names=NameFrequencies.from_json(data["name_frequencies"]) if data.get("name_frequencies") else None,  # type: ignore[arg-type]
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
        for _iteration in range(iterations):
            weighted = [(vector, n * params.probability(vector)) for vector, n in counts.items()]
            previous = params.prior
            prior = min(max(sum(w for _v, w in weighted) / total, FLOOR), 1 - FLOOR)
            params = Parameters(prior=prior, m=_frequencies(weighted), u=u)
            if abs(params.prior - previous) < 1e-8:
                break
        self.m, self.prior = params.m, params.prior
        return self
