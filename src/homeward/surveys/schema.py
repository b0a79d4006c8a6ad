"""The survey file format: an RSS instrument, a weight table, satisfaction questionnaires.

A survey file (YAML or JSON) holds any of ``instrument`` (with optional
``weight_tables``), ``weight_table`` (for an instrument already loaded) and
``questionnaires``. Every key is known; an error names its place
(``instrument.dimensions[0].indicators[2].options[1].value``).

Weights are plain numbers or fractions written ``"1/3"``; the weights of a
dimension's indicators, and of the composite's dimensions, sum to 1 (within 1e-9).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

DIMENSIONS = ("economic", "social", "psychosocial")
# Answers that say nothing about the returnee's situation: they carry no value and are left out of scores.
SPECIAL = ("dont_know", "refuses")
SUM_TOLERANCE = 1e-9
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _weight(value: Any) -> float:
    """A number or a fraction ``"a/b"``."""
    if isinstance(value, bool):
        raise ValueError("a weight is a number, not true or false")
    if isinstance(value, str):
        try:
            return float(Fraction(value.strip()))
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{value!r} is not a weight (write 0.25 or 1/4)") from None
    return value


Weight = Annotated[float, BeforeValidator(_weight), Field(ge=0, le=1)]


def _unique(codes: list[str], what: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{what} {code!r} appears twice")
        seen.add(code)


# ---------------------------------------------------------------- the RSS instrument


class Option(Strict):
    code: Code
    label: str = Field(min_length=1)
    # None only for "does not know" and "refuses".
    value: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _valued_unless_special(self) -> Option:
        if self.code in SPECIAL and self.value is not None:
            raise ValueError(f"the answer {self.code!r} carries no value")
        if self.code not in SPECIAL and self.value is None:
            raise ValueError(f"the answer {self.code!r} needs a value from 0 to 1")
        return self


class Indicator(Strict):
    code: Code
    label: str = Field(min_length=1)
    question: str = Field(min_length=1)
    options: list[Option] = Field(min_length=2)

    @model_validator(mode="after")
    def _valued_consistently(self) -> Indicator:
        _unique([o.code for o in self.options], "the answer")
        values = [o.value for o in self.options if o.value is not None]
        # The worst answer is worth 0 and the best 1 on every indicator, so all are on one scale.
        if not values or min(values) != 0 or max(values) != 1:
            raise ValueError("the answers' values run from 0 (worst) to 1 (best)")
        return self

    def value_of(self, option: str) -> float | None:
        return next((o.value for o in self.options if o.code == option), None)

    def has_option(self, option: str) -> bool:
        return any(o.code == option for o in self.options)


class Dimension(Strict):
    code: Literal["economic", "social", "psychosocial"]
    label: str = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)


class InstrumentDefinition(Strict):
    code: Code
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    description: str = ""
    dimensions: list[Dimension] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_unique(self) -> InstrumentDefinition:
        _unique([d.code for d in self.dimensions], "the dimension")
        _unique([i.code for i in self.indicators()], "the indicator")
        return self

    def indicators(self) -> list[Indicator]:
        return [i for d in self.dimensions for i in d.indicators]

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators() if i.code == code), None)


# ---------------------------------------------------------------- weight tables


class DimensionWeights(Strict):
    # Fewer answered indicators than this: the dimension has no score rather than a misleading one.
    min_answered: int = Field(ge=1)
    weights: dict[Code, Weight] = Field(min_length=1)

    @model_validator(mode="after")
    def _sums_to_one(self) -> DimensionWeights:
        _check_sum(self.weights, "the indicator weights")
        return self


class CompositeWeights(Strict):
    min_dimensions: int = Field(default=1, ge=1, le=3)
    weights: dict[Literal["economic", "social", "psychosocial"], Weight] = Field(min_length=1)

    @model_validator(mode="after")
    def _sums_to_one(self) -> CompositeWeights:
        _check_sum(self.weights, "the dimension weights")
        return self


class Band(Strict):
    code: Code
    label: str = Field(min_length=1)
    # A score belongs to the last band whose ``from`` it reaches.
    from_: float = Field(alias="from", ge=0, le=1)


class WeightTableDefinition(Strict):
    instrument: Code
    version: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=120)
    source: str = ""
    default: bool = False
    dimensions: dict[Literal["economic", "social", "psychosocial"], DimensionWeights] = Field(min_length=1)
    composite: CompositeWeights
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_ordered(self) -> WeightTableDefinition:
        _unique([b.code for b in self.bands], "the band")
        starts = [b.from_ for b in self.bands]
        if starts[0] != 0 or any(b <= a for a, b in itertools.pairwise(starts)):
            raise ValueError("the bands start at 0 and their 'from' values increase")
        return self


def _check_sum(weights: dict[str, float], what: str) -> None:
    total = math.fsum(weights.values())
    if abs(total - 1) > SUM_TOLERANCE:
        raise ValueError(f"{what} sum to {total:.12g}, not 1")


def check_weights_fit(instrument: InstrumentDefinition, table: WeightTableDefinition) -> dict[str, list[str]]:
    """Where ``table`` does not fit ``instrument``: every dimension and indicator weighed, nothing else."""
    errors: dict[str, list[str]] = {}
    dims = {d.code: d for d in instrument.dimensions}
    if set(table.dimensions) != set(dims):
        errors["weight_table.dimensions"] = [f"weigh exactly the dimensions {', '.join(sorted(dims))}"]
    if set(table.composite.weights) != set(dims):
        errors["weight_table.composite.weights"] = [f"weigh exactly the dimensions {', '.join(sorted(dims))}"]
    for code, weights in table.dimensions.items():
        if code not in dims:
            continue
        expected = {i.code for i in dims[code].indicators}
        missing, unknown = sorted(expected - set(weights.weights)), sorted(set(weights.weights) - expected)
        place = f"weight_table.dimensions.{code}"
        if missing:
            errors.setdefault(f"{place}.weights", []).append(f"no weight for {', '.join(missing)}")
        if unknown:
            errors.setdefault(f"{place}.weights", []).append(f"not an indicator of {code}: {', '.join(unknown)}")
        if weights.min_answered > len(expected):
            errors.setdefault(f"{place}.min_answered", []).append(f"the dimension has {len(expected)} indicators")
    return errors


# ---------------------------------------------------------------- satisfaction questionnaires

LIKERT = (1, 2, 3, 4, 5)
SATISFIED = (4, 5)  # satisfied, very satisfied


class Question(Strict):
    code: Code
    kind: Literal["likert", "text"]
    text: str = Field(min_length=1)
    # The one Likert question whose answer decides whether the respondent is satisfied.
    overall: bool = False
    required: bool = False


class QuestionnaireDefinition(Strict):
    code: Literal["counselling", "travel", "reintegration"]
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_overall(self) -> QuestionnaireDefinition:
        _unique([q.code for q in self.questions], "the question")
        overall = [q for q in self.questions if q.overall]
        if len(overall) != 1 or overall[0].kind != "likert":
            raise ValueError("exactly one Likert question is the overall one (overall: true)")
        return self

    @property
    def overall(self) -> Question:
        return next(q for q in self.questions if q.overall)


class SurveyFile(Strict):
    instrument: InstrumentDefinition | None = None
    weight_tables: list[WeightTableDefinition] = []
    weight_table: WeightTableDefinition | None = None
    questionnaires: list[QuestionnaireDefinition] = []

    @model_validator(mode="after")
    def _not_empty(self) -> SurveyFile:
        if self.instrument is None and self.weight_table is None and not self.questionnaires:
            raise ValueError("the file holds no instrument, weight table or questionnaire")
        if self.weight_tables and self.instrument is None:
            raise ValueError("weight_tables come with their instrument; load one table alone as weight_table")
        return self
