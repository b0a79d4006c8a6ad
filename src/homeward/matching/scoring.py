"""Scoring one pair of profiles: the levels, the probability and each level's contribution.

Every caller (the look-up, the batch run, the pair page, the import) scores through here, so a
refinement of the model (e.g. weighing how common a name is) reaches them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeward.matching.compare import Vector, compare
from homeward.matching.model import Contribution, Parameters
from homeward.matching.profile import Profile


@dataclass(frozen=True)
class Scored:
    probability: float
    vector: Vector
    contributions: tuple[Contribution, ...]


def score(a: Profile, b: Profile, model: Parameters) -> Scored:
    vector = compare(a, b)
    return Scored(model.probability(vector), vector, tuple(model.contributions(vector)))
