"""Scoring one pair of profiles: the levels, the probability and each level's contribution.

Every caller (the look-up, the batch run, the pair page, the import) scores through here, so a
refinement of the model (e.g. weighing how common a name is) reaches them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeward.matching.compare import Vector, compare_names
from homeward.matching.model import Contribution, Parameters
from homeward.matching.profile import Profile


@dataclass(frozen=True)
class Scored:
    probability: float
    vector: Vector
    contributions: tuple[Contribution, ...]


def score(a: Profile, b: Profile, model: Parameters) -> Scored:
    """The levels, and the probability with the name weighed by how common its matched words are
    (when the model has learnt name frequencies): a few dict look-ups more than the levels alone."""
    vector, pairings = compare_names(a, b)
    factor = model.name_factor(vector[0], pairings)
    contributions = tuple(model.contributions(vector, factor, pairings))
    odds = model.prior / (1 - model.prior)
    for c in contributions:
        odds *= c.bayes_factor
    return Scored(odds / (1 + odds), vector, contributions)
