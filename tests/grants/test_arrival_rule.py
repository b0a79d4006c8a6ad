"""The ``arrival_grant`` benefit of the programme rule format: its schema, its entitlement lines, its documentation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from homeward.programmes import rules
from homeward.programmes.schema import RuleVersion

DAY = dt.date(2026, 6, 1)
ARRIVAL = {"currency": "eur", "per_person": {"adult": 80, "minor": {"value": 40, "confirmed": False}}}


def version(arrival: dict[str, Any], **eligibility: Any) -> RuleVersion:
    return RuleVersion.model_validate(
        {"effective_from": "2026-01-01", "eligibility": eligibility, "benefits": {"arrival_grant": arrival}}
    )


def person(name: str, age: int | None, nationality: str = "PK") -> rules.MemberFacts:
    ages = None if age is None else (age, age)
    return rules.MemberFacts(name=name, age_range=ages, nationality=nationality, vulnerabilities=frozenset())


def lines(v: RuleVersion, *members: rules.MemberFacts) -> list[rules.Line]:
    facts = rules.CaseFacts(decision_date=DAY, destination_country="PK", members=members)
    return rules.entitlements(v, facts, rules.assess(v, facts)).lines


def test_each_eligible_member_gets_the_arrival_grant_of_their_age_band() -> None:
    got = lines(version(ARRIVAL), person("Imran", 40), person("Sana", 10), person("Unknown age", None))
    assert [(line.benefit, line.member, line.amount, line.currency, line.confirmed) for line in got] == [
        ("arrival_grant", "Imran", Decimal("80.00"), "EUR", True),
        ("arrival_grant", "Sana", Decimal("40.00"), "EUR", False),
        ("arrival_grant", "Unknown age", Decimal("80.00"), "EUR", True),  # paid as a minor only if certainly one
    ]
    assert got[1].rule == "on arrival, per person, minor (under 18)"


def test_a_member_not_eligible_gets_no_arrival_grant() -> None:
    v = version(ARRIVAL, nationalities={"allowed": ["PK"]})
    got = lines(v, person("Imran", 40), person("Other", 30, nationality="IR"))
    assert [line.member for line in got] == ["Imran"]


@pytest.mark.parametrize(
    ("arrival", "place"),
    [
        ({"currency": "EUR", "per_person": {"adult": 80, "minor": 40}, "family_cap": 100}, "family_cap"),
        ({"currency": "XXY", "per_person": {"adult": 80, "minor": 40}}, "currency"),
        ({"currency": "EUR", "per_person": {"adult": -1, "minor": 40}}, "per_person.adult.value"),
        ({"currency": "EUR"}, "per_person"),
    ],
)
def test_a_wrong_arrival_grant_names_its_place(arrival: dict[str, Any], place: str) -> None:
    with pytest.raises(ValidationError) as caught:
        version(arrival)
    places = {".".join(str(p) for p in error["loc"]) for error in caught.value.errors()}
    assert f"benefits.arrival_grant.{place}" in places


def test_the_rule_format_documents_the_arrival_grant() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules-format.md").read_text()
    assert "### `arrival_grant`" in doc
    assert "[`arrival_grant`](#arrival_grant)" in doc
