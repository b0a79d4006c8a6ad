"""Survey API shapes: separate input and output schemas."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field, StrictInt

from homeward.cases.schemas import ErrorOut

__all__ = [
    "ErrorOut",
    "InstrumentDetailOut",
    "InstrumentOut",
    "PeriodIn",
    "RateOut",
    "ResponseIn",
    "ResponseOut",
    "SatisfactionIn",
    "SatisfactionOut",
]


class WeightTableOut(Schema):
    id: int
    name: str  # the label every score shows, e.g. "equal-weight default, not an official weighting"
    source: str
    is_default: bool


class InstrumentOut(Schema):
    id: int
    code: str
    version: int
    title: str
    status: str
    weight_tables: list[WeightTableOut]


class InstrumentDetailOut(InstrumentOut):
    definition: dict[str, Any]
    weights: dict[str, Any]  # {weight table name: its weights}


class ScoreOut(Schema):
    weight_table: str  # the weighting's name, shown with every score
    weight_table_id: int
    dimensions: dict[str, float | None]
    composite: float | None
    bands: dict[str, str | None]


class ResponseIn(Schema):
    instrument_id: int | None = None  # null: the current version of the RSS
    kind: str
    taken_on: dt.date
    answers: dict[str, str]  # {indicator code: option code}


class ResponseOut(Schema):
    id: int
    case_id: int
    instrument_id: int
    instrument: str
    kind: str
    taken_on: dt.date
    answers: dict[str, str]
    source: str
    recorded_by: str
    scores: list[ScoreOut]


class SatisfactionIn(Schema):
    questionnaire: str  # counselling, travel or reintegration
    taken_on: dt.date
    answers: dict[str, StrictInt | str]  # Likert 1..5 or open text; true is not 1


class SatisfactionOut(Schema):
    id: int
    case_id: int
    questionnaire: str
    version: int
    taken_on: dt.date
    answers: dict[str, int | str]
    overall: int
    recorded_by: str


class PeriodIn(Schema):
    """``?from=2025-01-01&to=2025-12-31``, both ends included, either may be left out."""

    model_config = ConfigDict(populate_by_name=True)

    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")


class RateOut(Schema):
    questionnaire: str
    title: str
    respondents: int
    satisfied: int
    rate: float | None  # share satisfied or very satisfied; null without respondents
