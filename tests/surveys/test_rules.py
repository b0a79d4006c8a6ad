"""Scoring properties (hypothesis), on generated instruments and weight tables and on the shipped RSS."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from homeward.surveys import rules
from homeward.surveys.schema import (
    DIMENSIONS,
    SPECIAL,
    InstrumentDefinition,
    SurveyFile,
    WeightTableDefinition,
    check_weights_fit,
)

SHIPPED = SurveyFile.model_validate(
    yaml.safe_load((Path(rules.__file__).parent / "instruments" / "rss-v1.yaml").read_text(encoding="utf-8"))
)
BANDS = [{"code": "low", "label": "low", "from": 0}, {"code": "medium", "label": "medium", "from": 0.33},
         {"code": "high", "label": "high", "from": 0.66}]  # fmt: skip

# ---------------------------------------------------------------- generators


def _normalised(raw: list[float]) -> list[float]:
    total = math.fsum(raw)
    return [r / total for r in raw]


@st.composite
def instruments(draw: Any) -> tuple[InstrumentDefinition, WeightTableDefinition]:
    """An instrument of 1–3 dimensions of 1–4 indicators, each valued 0..1 with specials, and a table for it."""
    dims = draw(st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=3, unique=True))
    n = 0
    dimensions, table_dims = [], {}
    for dim in dims:
        indicators = []
        for _ in range(draw(st.integers(1, 4))):
            n += 1
            middle = draw(st.lists(st.floats(0, 1, allow_nan=False), max_size=3))
            values = [0.0, 1.0, *middle]
            options = [{"code": f"o{k}", "label": f"o{k}", "value": v} for k, v in enumerate(values)]
            options += [{"code": s, "label": s} for s in SPECIAL]
            indicators.append({"code": f"i{n}", "label": f"i{n}", "question": "?", "options": options})
        dimensions.append({"code": dim, "label": dim, "indicators": indicators})
        raw = draw(st.lists(st.floats(0.01, 1), min_size=len(indicators), max_size=len(indicators)))
        table_dims[dim] = {
            "min_answered": draw(st.integers(1, len(indicators))),
            "weights": dict(zip([i["code"] for i in indicators], _normalised(raw), strict=True)),
        }
    raw = draw(st.lists(st.floats(0.01, 1), min_size=len(dims), max_size=len(dims)))
    instrument = InstrumentDefinition.model_validate(
        {"code": "gen", "version": 1, "title": "generated", "dimensions": dimensions}
    )
    table = WeightTableDefinition.model_validate({
        "instrument": "gen", "version": 1, "name": "generated", "dimensions": table_dims,
        "composite": {"min_dimensions": draw(st.integers(1, len(dims))),
                      "weights": dict(zip(dims, _normalised(raw), strict=True))},
        "bands": BANDS,
    })  # fmt: skip
    assert check_weights_fit(instrument, table) == {}
    return instrument, table


@st.composite
def answered(draw: Any) -> tuple[InstrumentDefinition, WeightTableDefinition, dict[str, str]]:
    instrument, table = draw(instruments())
    answers = {i.code: draw(st.sampled_from([o.code for o in i.options])) for i in instrument.indicators()}
    return instrument, table, answers


def all_scores(result: rules.Scores) -> list[float | None]:
    return [*result.dimensions.values(), result.composite]


def _extreme(instrument: InstrumentDefinition, value: float) -> dict[str, str]:
    return {i.code: next(o.code for o in i.options if o.value == value) for i in instrument.indicators()}


# ---------------------------------------------------------------- properties


@given(answered())
def test_every_score_is_between_0_and_1(case: Any) -> None:
    instrument, table, answers = case
    for value in all_scores(rules.score(instrument, table, answers)):
        assert value is None or 0 <= value <= 1


@given(instruments())
def test_all_best_answers_give_1_and_all_worst_give_0(case: Any) -> None:
    instrument, table = case
    assert all_scores(rules.score(instrument, table, _extreme(instrument, 1.0))) == [1.0] * (
        len(instrument.dimensions) + 1
    )
    assert all_scores(rules.score(instrument, table, _extreme(instrument, 0.0))) == [0.0] * (
        len(instrument.dimensions) + 1
    )


@given(answered(), st.data())
def test_improving_an_answer_never_lowers_a_score(case: Any, data: Any) -> None:
    instrument, table, answers = case
    indicator = data.draw(st.sampled_from(instrument.indicators()))
    current = indicator.value_of(answers[indicator.code])
    assume(current is not None)
    better = [o.code for o in indicator.options if o.value is not None and o.value >= current]
    improved = answers | {indicator.code: data.draw(st.sampled_from(better))}
    before, after = rules.score(instrument, table, answers), rules.score(instrument, table, improved)
    for old, new in zip(all_scores(before), all_scores(after), strict=True):
        assert (old is None) == (new is None)
        assert old is None or new >= old  # type: ignore[operator]


@given(answered(), st.data())
def test_a_dimension_depends_only_on_its_own_indicators(case: Any, data: Any) -> None:
    instrument, table, answers = case
    dimension = data.draw(st.sampled_from(instrument.dimensions))
    own = {i.code for i in dimension.indicators}
    changed = dict(answers)
    for indicator in instrument.indicators():
        if indicator.code not in own:
            changed[indicator.code] = data.draw(st.sampled_from([o.code for o in indicator.options]))
    assert (
        rules.score(instrument, table, answers).dimensions[dimension.code]
        == rules.score(instrument, table, changed).dimensions[dimension.code]
    )


@settings(max_examples=50)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=6))
def test_weights_not_summing_to_1_are_refused(weights: list[float]) -> None:
    assume(abs(math.fsum(weights) - 1) > 1e-9)
    table = _table_data()
    table["dimensions"]["economic"]["weights"] = {f"i{n}": w for n, w in enumerate(weights)}
    with pytest.raises(ValidationError, match="sum to"):
        WeightTableDefinition.model_validate(table)
    table = _table_data()
    table["composite"]["weights"] = dict(zip(DIMENSIONS, weights, strict=False))
    assume(abs(math.fsum(table["composite"]["weights"].values()) - 1) > 1e-9)
    with pytest.raises(ValidationError, match="sum to"):
        WeightTableDefinition.model_validate(table)


def _table_data() -> dict[str, Any]:
    return {
        "instrument": "rss", "version": 1, "name": "t", "bands": BANDS,
        "dimensions": {"economic": {"min_answered": 1, "weights": {"i0": 1}}},
        "composite": {"weights": {"economic": 1}},
    }  # fmt: skip


# ---------------------------------------------------------------- worked examples on the shipped RSS


INSTRUMENT, TABLE = SHIPPED.instrument, SHIPPED.weight_tables[0]


def test_the_shipped_table_is_equal_weight_and_says_so() -> None:
    assert INSTRUMENT is not None
    assert TABLE.name == "equal-weight default, not an official weighting"
    assert check_weights_fit(INSTRUMENT, TABLE) == {}
    for dim in TABLE.dimensions.values():
        assert len(set(dim.weights.values())) == 1
    assert len(set(TABLE.composite.weights.values())) == 1


def test_does_not_know_and_refuses_are_left_out_and_the_weights_renormalised() -> None:
    answers = _extreme(INSTRUMENT, 1.0)  # type: ignore[arg-type]
    # Economic: 5 equal weights; two answered 0, one "does not know", one refuses, one best.
    answers |= {"economic_situation": "very_dissatisfied", "employment": "none", "debt": "dont_know",
                "food_security": "refuses", "borrowing": "easily"}  # fmt: skip
    result = rules.score(INSTRUMENT, TABLE, answers)  # type: ignore[arg-type]
    assert result.dimensions["economic"] == pytest.approx(1 / 3)  # not 1/5: the unknowns do not count as 0
    assert result.answered["economic"] == 3
    assert result.bands["economic"] == "medium"


def test_a_dimension_with_too_few_answers_has_no_score_and_the_composite_uses_the_others() -> None:
    answers = _extreme(INSTRUMENT, 1.0)  # type: ignore[arg-type]
    for code in ("economic_situation", "employment", "debt"):
        answers[code] = "dont_know"
    answers["food_security"] = "often"  # 0
    result = rules.score(INSTRUMENT, TABLE, answers)  # type: ignore[arg-type]
    assert result.dimensions["economic"] is None  # 2 answered, 3 needed
    assert result.bands["economic"] is None
    assert result.composite == 1.0  # the mean of social and psychosocial only


def test_no_composite_below_the_minimum_of_scored_dimensions() -> None:
    answers = {i.code: "refuses" for i in INSTRUMENT.indicators()}  # type: ignore[union-attr]
    answers |= {"housing": "adequate", "education": "yes", "health_care": "yes"}
    result = rules.score(INSTRUMENT, TABLE, answers)  # type: ignore[arg-type]
    assert result.dimensions == {"economic": None, "social": 1.0, "psychosocial": None}
    assert result.composite is None  # the shipped table asks for 2 scored dimensions


def test_answer_errors_name_the_indicator() -> None:
    answers = _extreme(INSTRUMENT, 1.0)  # type: ignore[arg-type]
    answers["debt"] = "lots"
    del answers["safety"]
    answers["mood"] = "fine"
    assert rules.answer_errors(INSTRUMENT, answers) == {  # type: ignore[arg-type]
        "debt": rules.NOT_AN_OPTION, "safety": rules.MISSING, "mood": rules.UNKNOWN,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": 0.5, "code": "dont_know"}, "carries no value"),
        ({"value": None, "code": "good"}, "needs a value"),
        ({"value": 1.5, "code": "good"}, "less than or equal to 1"),
    ],
)
def test_an_option_is_valued_0_to_1_unless_special(change: dict[str, Any], message: str) -> None:
    data = INSTRUMENT.model_dump(mode="json", by_alias=True)  # type: ignore[union-attr]
    data["dimensions"][0]["indicators"][0]["options"][1] = {"label": "x", **change}
    with pytest.raises(ValidationError, match=message):
        InstrumentDefinition.model_validate(data)


def test_an_indicator_without_a_worst_answer_is_refused() -> None:
    data = INSTRUMENT.model_dump(mode="json", by_alias=True)  # type: ignore[union-attr]
    data["dimensions"][0]["indicators"][0]["options"] = [
        {"code": "a", "label": "a", "value": 1}, {"code": "b", "label": "b", "value": 0.5},
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="from 0"):
        InstrumentDefinition.model_validate(data)


def test_fractions_are_weights() -> None:
    table = _table_data()
    table["dimensions"]["economic"]["weights"] = {"a": "1/3", "b": "1/3", "c": "1/3"}
    assert WeightTableDefinition.model_validate(table).dimensions["economic"].weights["a"] == pytest.approx(1 / 3)
