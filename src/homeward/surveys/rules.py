"""Scoring the reintegration sustainability survey: pure functions, no database.

- A dimension's score is the weighted mean of the values of its answered
  indicators, the weights re-normalised over those answered: "does not know" and
  "refuses" (and unanswered indicators) drop out instead of counting as 0.
- Fewer answered indicators than the table's ``min_answered`` (or answered ones
  that all weigh 0): the dimension has no score (None), not a misleading one.
- The composite is the weighted mean of the dimension scores, the dimension
  weights re-normalised over the dimensions that have a score; with fewer scored
  dimensions than ``composite.min_dimensions`` there is no composite.
- A score's band is the last band whose ``from`` the score reaches.

Scores are rounded to 6 decimals (rounding keeps their order) and lie in [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from homeward.surveys.schema import Band, InstrumentDefinition, WeightTableDefinition

COMPOSITE = "composite"
UNKNOWN, NOT_AN_OPTION, MISSING = "unknown", "not_an_option", "missing"


@dataclass(frozen=True)
class Scores:
    dimensions: dict[str, float | None]
    composite: float | None
    bands: dict[str, str | None] = field(default_factory=dict)
    answered: dict[str, int] = field(default_factory=dict)


def _mean(pairs: list[tuple[float, float]]) -> float | None:
    """Weighted mean of (weight, value) pairs, weights re-normalised; None when they weigh nothing."""
    total = math.fsum(w for w, _v in pairs)
    if total <= 0:
        return None
    mean = math.fsum(w * v for w, v in pairs) / total
    return round(min(1.0, max(0.0, mean)), 6)


def band_of(score: float | None, bands: list[Band]) -> str | None:
    if score is None:
        return None
    chosen = None
    for band in bands:
        if score >= band.from_:
            chosen = band.code
    return chosen


def dimension_score(
    instrument: InstrumentDefinition, table: WeightTableDefinition, dimension: str, answers: Mapping[str, str]
) -> tuple[float | None, int]:
    """The score of one dimension and how many of its indicators were answered with a value."""
    dim = next(d for d in instrument.dimensions if d.code == dimension)
    weights = table.dimensions[dimension]
    pairs = []
    for indicator in dim.indicators:
        option = answers.get(indicator.code)
        value = indicator.value_of(option) if option is not None else None
        if value is not None:
            pairs.append((weights.weights.get(indicator.code, 0.0), value))
    if len(pairs) < weights.min_answered:
        return None, len(pairs)
    return _mean(pairs), len(pairs)


def score(instrument: InstrumentDefinition, table: WeightTableDefinition, answers: Mapping[str, str]) -> Scores:
    """Every dimension's score, the composite and their bands (the module docstring has the rules)."""
    dimensions: dict[str, float | None] = {}
    answered: dict[str, int] = {}
    for dim in instrument.dimensions:
        dimensions[dim.code], answered[dim.code] = dimension_score(instrument, table, dim.code, answers)
    scored = [(table.composite.weights.get(code, 0.0), s) for code, s in dimensions.items() if s is not None]
    composite = _mean(scored) if len(scored) >= table.composite.min_dimensions else None
    bands = {code: band_of(s, table.bands) for code, s in dimensions.items()}
    bands[COMPOSITE] = band_of(composite, table.bands)
    return Scores(dimensions=dimensions, composite=composite, bands=bands, answered=answered)


def answer_errors(instrument: InstrumentDefinition, answers: Mapping[str, str]) -> dict[str, str]:
    """``{indicator: problem}`` for answers the instrument does not allow and indicators left unanswered;
    the problem is ``UNKNOWN``, ``NOT_AN_OPTION`` or ``MISSING``."""
    errors: dict[str, str] = {}
    for code, option in answers.items():
        indicator = instrument.indicator(code)
        if indicator is None:
            errors[code] = UNKNOWN
        elif not isinstance(option, str) or not indicator.has_option(option):
            errors[code] = NOT_AN_OPTION
    for indicator in instrument.indicators():
        if indicator.code not in answers:
            errors[indicator.code] = MISSING
    return errors
