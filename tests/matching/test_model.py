"""The Fellegi–Sunter model: EM finds the weights a known truth was drawn from, the probability
follows the evidence, the parameters survive JSON, and training needs no truth."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.matching.compare import FEATURES, LEVELS, compare, name_match
from homeward.matching.model import NameFrequencies, Parameters, Session, estimate_u, shipped
from homeward.matching.profile import of_values
from homeward.matching.training import train

# A known truth: the level distributions of matches (m) and non-matches (u) for three features.
M = {"name": {5: 0.5, 4: 0.3, 3: 0.1, 2: 0.05, 1: 0.04, 0: 0.01}, "birth": {5: 0.3, 4: 0.1, 3: 0.3, 2: 0.05, 1: 0.2, 0: 0.05},
     "phone": {1: 0.8, 0: 0.2}}  # fmt: skip
U = {"name": {5: 0.01, 4: 0.02, 3: 0.03, 2: 0.04, 1: 0.2, 0: 0.7}, "birth": {5: 0.005, 4: 0.005, 3: 0.04, 2: 0.05, 1: 0.1, 0: 0.8},
     "phone": {1: 0.01, 0: 0.99}}  # fmt: skip


def _draw(rng: random.Random, table: dict[str, dict[int, float]]) -> tuple[int | None, ...]:
    levels = {f: rng.choices(list(t), weights=list(t.values()))[0] for f, t in table.items()}
    return tuple(levels.get(f) for f in FEATURES)


def test_em_recovers_m_and_the_share_of_matches_from_unlabelled_pairs() -> None:
    rng = random.Random(3)  # noqa: S311 - test data
    pairs = Counter(_draw(rng, M) if rng.random() < 0.2 else _draw(rng, U) for _ in range(20_000))
    u = estimate_u(_draw(rng, U) for _ in range(50_000))
    run = Session(pairs, frozenset(FEATURES) - set(M)).run(u)
    assert run.prior == pytest.approx(0.2, abs=0.02)
    for feature, levels in M.items():
        for level, expected in levels.items():
            assert run.m[feature][level] == pytest.approx(expected, abs=0.03), (feature, level)


def test_a_higher_name_level_is_always_more_probable_with_the_shipped_model() -> None:
    model = shipped()
    base = [None] * len(FEATURES)
    base[FEATURES.index("birth")] = 3
    chances = []
    for level in sorted(LEVELS["name"]):
        vector = list(base)
        vector[FEATURES.index("name")] = level
        chances.append(model.probability(tuple(vector)))
    assert chances == sorted(chances)
    assert chances[0] < 0.01 < 0.5 < chances[-1]


@given(st.sampled_from(FEATURES), st.data())
def test_the_probability_moves_with_the_bayes_factor_of_a_level(feature: str, data: st.DataObject) -> None:
    model = shipped()
    one, other = data.draw(st.lists(st.sampled_from(sorted(LEVELS[feature])), min_size=2, max_size=2, unique=True))
    vector = [data.draw(st.sampled_from([None, *sorted(LEVELS[f])])) for f in FEATURES]
    i = FEATURES.index(feature)
    first, second = list(vector), list(vector)
    first[i], second[i] = one, other
    factor = model.m[feature][one] / model.u[feature][one] - model.m[feature][other] / model.u[feature][other]
    difference = model.probability(tuple(first)) - model.probability(tuple(second))
    assert difference == 0 or (difference > 0) == (factor > 0)


def test_a_missing_value_weighs_nothing() -> None:
    model = shipped()
    assert model.probability((None,) * len(FEATURES)) == pytest.approx(model.prior)
    assert model.contributions((None,) * len(FEATURES)) == []


def test_parameters_survive_a_json_round_trip() -> None:
    model = shipped()
    again = Parameters.from_json(json.loads(json.dumps(model.to_json())))
    assert again == model
    vector = (5, 3, 1, 1, None, 0, None)
    assert again.probability(vector) == model.probability(vector)


def test_name_frequencies_survive_a_json_round_trip() -> None:
    model = dataclasses.replace(
        shipped(), names=NameFrequencies(words={"muhamad": 0.04, "tuhi": 0.0002}, floor=1e-4, mean=0.002)
    )
    data = json.loads(json.dumps(model.to_json()))
    assert data["name_frequencies"]["words"] == {"muhamad": 0.04, "tuhi": 0.0002}
    again = Parameters.from_json(data)
    assert again == model
    assert again.names is not None
    assert again.names.of(("tuhi",)) == 0.0002
    assert again.names.of(("zalmai",)) == 1e-4


def test_parameters_saved_before_name_frequencies_still_read_and_weigh_no_frequency() -> None:
    data = shipped().to_json()
    del data["name_frequencies"]
    old = Parameters.from_json(json.loads(json.dumps(data)))
    assert old.names is None
    pairings = name_match(of_values(given="Mohammad"), of_values(given="Mohammad"))[1]
    assert old.name_factor(5, pairings) == 1.0
    assert "name_frequencies" not in old.to_json()


def test_the_shipped_model_says_how_it_was_trained() -> None:
    trained_on = shipped().trained_on
    assert trained_on["records"] >= 10_000
    assert "bench/persons.py" in str(trained_on["data"])


GIVEN = ["Ahmad", "Karim", "Hassan", "Hussein", "Omar", "Yusuf", "Farid", "Nasir", "Walid", "Jamal", "Tariq", "Sami",
         "Zaid", "Fatima", "Amina", "Layla", "Maryam", "Samira", "Huda", "Nadia"]  # fmt: skip
FAMILY = [f"{stem}{suffix}" for stem in ("Karim", "Rahim", "Noor", "Hakim", "Sultan", "Popal", "Tamim", "Obaid",
          "Amir", "Safi") for suffix in ("i", "zai", "yar", "")]  # fmt: skip


def _population(seed: int) -> tuple[dict[int, object], set[tuple[int, int]]]:
    """1,500 persons and 150 of them registered again in another spelling, half with the year only."""
    rng = random.Random(seed)  # noqa: S311 - test data
    people: dict[int, object] = {}
    again: set[tuple[int, int]] = set()
    for pid in range(1500):
        born = dt.date(rng.randint(1950, 2010), rng.randint(1, 12), rng.randint(1, 28))
        given_, family = rng.choice(GIVEN), rng.choice(FAMILY)
        phone = f"+{rng.randint(10**9, 10**10)}" if rng.random() < 0.5 else ""
        people[pid] = of_values(given=given_, family=family, birth_date=born, birth_precision="exact", phone=phone)
        if pid % 10 == 0:
            people[10_000 + pid] = of_values(given=given_.replace("a", "e", 1), family=family, birth_date=born,
                                             birth_precision=rng.choice(["year", "exact"]),
                                             phone=phone if rng.random() < 0.5 else "")  # fmt: skip
            again.add((pid, 10_000 + pid))
    return people, again


def test_training_without_the_truth_finds_the_people_registered_twice() -> None:
    people, again = _population(5)
    model = train(people, random_pairs=20_000, max_pairs=20_000)  # type: ignore[arg-type]
    assert model.m["name"][5] > model.u["name"][5]
    assert model.m["birth"][0] < model.u["birth"][0]
    assert 0 < model.prior < 0.01
    found = [model.probability(compare(people[a], people[b])) for a, b in sorted(again)]  # type: ignore[arg-type]
    assert sum(p >= 0.5 for p in found) >= 0.8 * len(found)
    strangers = [model.probability(compare(people[a], people[a + 1])) for a in range(1, 200)]  # type: ignore[arg-type]
    assert sum(p >= 0.5 for p in strangers) <= 2
    # How common each name is comes with the model, learnt from the same people (no truth).
    assert model.names is not None
    assert model.names.of(("ahmad",)) > model.names.of(("zalmai",)) == model.names.floor


def test_training_needs_people() -> None:
    with pytest.raises(ValueError, match="at least"):
        train({1: of_values(given="Ali")})
