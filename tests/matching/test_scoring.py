"""Scoring a pair: a name weighs by how common its matched words are (term frequencies), the
reasons say so, and a model without frequencies scores by the levels alone."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.matching.compare import FEATURES, LEVELS, compare
from homeward.matching.model import NAME_FREQUENCY, NameFrequencies, shipped
from homeward.matching.profile import of_values
from homeward.matching.scoring import score
from homeward.matching.training import name_frequencies

# Mohammad and Ahmadi are common; Zarifullah and Tokhi are listed as no more common than the floor.
FREQUENCIES = NameFrequencies(words={"muhamad": 0.04, "ahmadi": 0.01, "hasan": 0.02}, floor=1e-4, mean=0.002)


def _model():
    return dataclasses.replace(shipped(), names=FREQUENCIES)


def _person(given_: str, family: str, year: int = 1990, **fields: object):
    return of_values(given=given_, family=family, birth_date=dt.date(year, 1, 1), birth_precision="year", **fields)


def _of(scored, feature: str = "name") -> object:
    return next((c for c in scored.contributions if c.feature == feature), None)


def _name_weight(scored) -> float:
    """The name's Bayes factor with its frequency, whether said apart or folded in."""
    frequency = _of(scored, NAME_FREQUENCY)
    return _of(scored).bayes_factor * (frequency.bayes_factor if frequency else 1.0)


def test_a_common_name_matching_exactly_scores_lower_than_a_rare_one() -> None:
    model = _model()
    common = score(_person("Mohammad", "Ahmadi", sex="M"), _person("Mohammad", "Ahmadi", sex="M"), model)
    rare = score(_person("Zarifullah", "Tokhi", sex="M"), _person("Zarifullah", "Tokhi", sex="M"), model)
    assert common.vector == rare.vector
    assert common.probability < rare.probability
    level_5 = model.m["name"][5] / model.u["name"][5]
    assert _of(common).bayes_factor == _of(rare).bayes_factor == pytest.approx(level_5)
    assert _of(common, NAME_FREQUENCY).bayes_factor == pytest.approx((0.002 / 0.04) * (0.002 / 0.01))
    assert _of(rare, NAME_FREQUENCY).bayes_factor == pytest.approx((0.002 / 1e-4) ** 2)
    # Each said as a reason of its own, against and for.
    assert str(_of(common, NAME_FREQUENCY).words) == "common names"
    assert _of(common, NAME_FREQUENCY).weight < 0
    assert str(_of(rare, NAME_FREQUENCY).words) == "rare names"
    assert _of(rare, NAME_FREQUENCY).weight > 0
    assert [c.feature for c in common.contributions] == ["name", NAME_FREQUENCY, "birth", "sex"]
    # A listed word with a rare one is neither: the factor is folded into the name's weight.
    mixed = score(_person("Hassan", "Zarifullah"), _person("Hassan", "Zarifullah"), model)
    assert _of(mixed, NAME_FREQUENCY) is None
    assert _of(mixed).bayes_factor == pytest.approx(level_5 * (0.002 / 0.02) * (0.002 / 1e-4))
    assert str(_of(mixed).words) == str(LEVELS["name"][5])


def test_a_small_frequency_factor_is_folded_into_the_names_weight() -> None:
    model = dataclasses.replace(
        shipped(), names=NameFrequencies(words={"hasan": 0.0025, "ali": 0.0016}, floor=1e-4, mean=0.002)
    )
    scored = score(_person("Ali", "Hassan"), _person("Ali", "Hassan"), model)
    assert _of(scored, NAME_FREQUENCY) is None
    assert _of(scored).bayes_factor == pytest.approx(model.m["name"][5] / model.u["name"][5] * 0.8 * 1.25)


def test_spellings_of_two_rare_words_are_not_the_same_rare_word() -> None:
    """Hosseiniwal and Huseinikhel match as spellings, not as one rare word: no extra weight."""
    model = _model()
    fuzzy = score(_person("Aziza", "Hosseiniwal"), _person("Aziza", "Huseinikhel"), model)
    same = score(_person("Aziza", "Hosseiniwal"), _person("Aziza", "Hosseiniwal"), model)
    assert _of(fuzzy, NAME_FREQUENCY).bayes_factor == pytest.approx(0.002 / 1e-4)  # Aziza alone
    assert _of(same, NAME_FREQUENCY).bayes_factor == pytest.approx((0.002 / 1e-4) ** 2)


def test_one_name_in_common_is_not_weighed_by_its_frequency() -> None:
    """A family name shared by relatives says as much for a brother: the level's average applies."""
    model = _model()
    scored = score(_person("Zarifullah", "Tokhi"), _person("Gulbuddin", "Tokhi"), model)
    assert scored.vector[FEATURES.index("name")] == 1
    assert _of(scored, NAME_FREQUENCY) is None
    assert _of(scored).bayes_factor == pytest.approx(model.m["name"][1] / model.u["name"][1])


def test_without_frequencies_the_levels_alone_decide() -> None:
    plain = dataclasses.replace(shipped(), names=None)
    a, b = _person("Mohammad", "Ahmadi", sex="M"), _person("Muhammad", "Ahmadi", sex="M", year=1991)
    scored = score(a, b, plain)
    assert scored.probability == pytest.approx(plain.probability(compare(a, b)))
    assert [c.feature for c in scored.contributions] == ["name", "birth", "sex"]
    assert str(_of(scored).words) == str(LEVELS["name"][scored.vector[0]])


def test_the_shipped_model_knows_mohammad_is_common_and_still_finds_him_in_another_spelling() -> None:
    model = shipped()
    assert model.names is not None
    assert model.names.of(("muhamad",)) > 10 * model.names.floor
    earlier = of_values(given="Muhammad", family="Al-Hassan", birth_date=dt.date(1990, 1, 1), birth_precision="year")
    typed = of_values(given="Mohamad", family="Alhasan", birth_date=dt.date(1990, 1, 1), birth_precision="year")
    scored = score(typed, earlier, model)
    assert scored.probability >= 0.5
    assert {c.feature for c in scored.contributions} <= {"name", NAME_FREQUENCY, "birth"}
    assert {str(c.words) for c in scored.contributions} & {str(LEVELS["name"][4]), str(LEVELS["name"][5])}


def test_name_frequencies_are_each_words_share_of_all_words_above_a_floor() -> None:
    syllables = ["ba", "da", "fa", "ka", "la", "ma", "na", "ra"]
    families = [f"{x}{y}".title() for x in syllables for y in syllables if x != y][:40]
    people = [of_values(given="Mohammad", family=family) for family in families]
    people += [of_values(given="Zalmai", family="Tokhi")]
    found = name_frequencies(people, floor=0.05)
    assert found.words == {"muhamad": pytest.approx(40 / 82)}
    assert found.mean == pytest.approx((40 / 82) ** 2 + 42 * (1 / 82) ** 2)
    assert found.of(("zalmai",)) == 0.05


NAMES = ["Mohammad", "Muhammad", "Ahmadi", "Ahmady", "Hassan", "Alhassan", "Zarifullah", "Tokhi", "Aziza",
         "Hosseiniwal", "Huseinikhel", "محمد", "الحسن", ""]  # fmt: skip


def _person_of(given_: str, family: str, year: int | None, sex: str):
    born = dt.date(year, 1, 1) if year else None
    return of_values(given=given_, family=family, birth_date=born, birth_precision="year" if year else "", sex=sex)


people = st.builds(
    _person_of,
    st.sampled_from(NAMES),
    st.sampled_from(NAMES),
    st.one_of(st.none(), st.integers(1989, 1991)),
    st.sampled_from(["", "M", "F"]),
)


@given(people, people)
def test_scoring_is_symmetric_and_a_record_matches_itself_best(a, b) -> None:
    model = _model()
    assert score(a, b, model).probability == pytest.approx(score(b, a, model).probability, rel=1e-12)
    assert score(a, a, model).probability >= score(a, b, model).probability
