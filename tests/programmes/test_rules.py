"""The pure rules: each rule kind with both outcomes and its words; properties of entitlements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homeward.programmes import rules
from homeward.programmes.schema import RuleVersion

DAY = dt.date(2026, 6, 1)


def version(eligibility: dict[str, Any] | None = None, benefits: dict[str, Any] | None = None) -> RuleVersion:
    return RuleVersion.model_validate(
        {"effective_from": "2026-01-01", "eligibility": eligibility or {}, "benefits": benefits or {}}
    )


def member(
    name: str = "A", age: int | None = 35, nationality: str = "PK", vulnerabilities: tuple[str, ...] = (), **extra: Any
) -> rules.MemberFacts:
    return rules.MemberFacts(
        name=name, age_range=None if age is None else (age, age), nationality=nationality,
        vulnerabilities=frozenset(vulnerabilities), **extra,
    )  # fmt: skip


def facts(*members: rules.MemberFacts, **extra: Any) -> rules.CaseFacts:
    values: dict[str, Any] = {"decision_date": DAY, "destination_country": "PK", "members": members or (member(),)}
    values.update(extra)
    return rules.CaseFacts(**values)


def texts(assessment: rules.Assessment) -> str:
    return " ".join(o.explanation for o in assessment.outcomes + [o for m in assessment.members for o in m.outcomes])


ROMANIA = {
    "legal_status": {
        "accepted": ["protection_rejected", "asylum_withdrawn", "return_decision"],
        "label": "Romania category (a)–(c)",
    }
}


def test_legal_status_met_and_not_met_in_words() -> None:
    yes = rules.assess(version(ROMANIA), facts(legal_status="asylum_withdrawn"))
    no = rules.assess(version(ROMANIA), facts(legal_status="asylum_seeker"))
    unknown = rules.assess(version(ROMANIA), facts())
    assert yes.outcome == rules.ELIGIBLE
    assert "Romania category (a)–(c) met" in texts(yes)
    assert no.outcome == rules.NOT_ELIGIBLE
    assert "Not eligible: Romania category (a)–(c) not met." in texts(no)
    assert unknown.outcome == rules.NEEDS_REVIEW


def test_required_vulnerability_through_any_member() -> None:
    rule = version({"vulnerabilities": {"any_of": ["trafficking", "child"]}})
    assert rules.assess(rule, facts(member(), member("B", 10, vulnerabilities=("child",)))).outcome == rules.ELIGIBLE
    refused = rules.assess(rule, facts(member()))
    assert refused.outcome == rules.NOT_ELIGIBLE
    assert "no member has a vulnerability the programme targets" in texts(refused)


def test_priority_vulnerability_only_flags_for_review() -> None:
    rule = version({"vulnerabilities": {"any_of": ["trafficking"], "mode": "priority"}})
    assert rules.assess(rule, facts()).outcome == rules.NEEDS_REVIEW


def test_nationality_lists() -> None:
    allowed = version({"nationalities": {"allowed": ["PK", "AF"]}})
    excluded = version({"nationalities": {"excluded": ["SY"]}})
    assert rules.assess(allowed, facts(member(nationality="AF"))).outcome == rules.ELIGIBLE
    assert rules.assess(allowed, facts(member(nationality="IQ"))).outcome == rules.NOT_ELIGIBLE
    refused = rules.assess(excluded, facts(member(nationality="SY")))
    assert refused.outcome == rules.NOT_ELIGIBLE
    assert "nationality SY is excluded" in texts(refused)


def test_one_ineligible_member_does_not_sink_the_family() -> None:
    rule = version({"nationalities": {"excluded": ["SY"]}})
    result = rules.assess(rule, facts(member(nationality="PK"), member("B", nationality="SY")))
    assert result.outcome == rules.ELIGIBLE
    assert [m.outcome for m in result.members] == [rules.ELIGIBLE, rules.NOT_ELIGIBLE]


def test_reintegration_only_where_there_is_an_office() -> None:
    rule = version({"reintegration_requires_origin_office": True})
    with_office = rules.assess(rule, facts(origin_offices=frozenset({"PK"})))
    without = rules.assess(rule, facts(origin_offices=frozenset({"AF"})))
    assert with_office.reintegration
    assert not without.reintegration
    assert without.outcome == rules.ELIGIBLE  # the return itself is still assisted
    assert "no office in PK" in texts(without)


@pytest.mark.parametrize(
    ("within", "excludes", "assisted_on", "outcome", "reintegration"),
    [
        (5, "all", dt.date(2023, 1, 1), rules.NOT_ELIGIBLE, False),
        (5, "all", dt.date(2019, 1, 1), rules.ELIGIBLE, True),
        (None, "all", dt.date(2001, 1, 1), rules.NOT_ELIGIBLE, False),
        (3, "reintegration", dt.date(2025, 1, 1), rules.ELIGIBLE, False),
    ],
)
def test_previous_assistance(
    within: int | None, excludes: str, assisted_on: dt.date, outcome: str, reintegration: bool
) -> None:
    rule = version({"previous_assistance": {"within_years": within, "excludes": excludes}})
    result = rules.assess(rule, facts(member(previous_assistance_on=assisted_on)))
    assert result.outcome == outcome
    assert result.reintegration == reintegration


def test_exclusions_destinations_and_authority_approval() -> None:
    rule = version({"exclusions": ["criminal_offence"], "excluded_destinations": ["SY"],
                    "authority_approval": {"authority": "Immigration and Asylum Office"}})  # fmt: skip
    assert (
        rules.assess(rule, facts(exclusions=frozenset({"criminal_offence"}), authority_approval_on=DAY)).outcome
        == rules.NOT_ELIGIBLE
    )
    assert rules.assess(rule, facts(destination_country="SY", authority_approval_on=DAY)).outcome == rules.NOT_ELIGIBLE
    waiting = rules.assess(rule, facts())
    assert waiting.outcome == rules.NEEDS_REVIEW
    assert "Approval by Immigration and Asylum Office is required" in texts(waiting)
    assert rules.assess(rule, facts(authority_approval_on=DAY)).outcome == rules.ELIGIBLE


def test_age_limits_with_imprecise_dates() -> None:
    rule = version({"age": {"min": 18}})
    assert rules.assess(rule, facts(member(age=30))).outcome == rules.ELIGIBLE
    assert rules.assess(rule, facts(member(age=12))).outcome == rules.NOT_ELIGIBLE
    fuzzy = rules.MemberFacts(name="A", age_range=(17, 18), nationality="PK", vulnerabilities=frozenset())
    assert rules.assess(rule, facts(fuzzy)).outcome == rules.NEEDS_REVIEW


CASH = {"pre_departure_cash": {"currency": "USD", "per_person": {"adult": 100, "minor": 50},
                               "by_place": {"islands": {"adult": 150, "minor": 75}},
                               "family_cap": 300, "large_family_bonus": {"from_members": 4, "amount": 40}}}  # fmt: skip


def test_pre_departure_cash_by_age_band_place_bonus_and_cap() -> None:
    rule = version(benefits=CASH)
    single = rules.entitlements(rule, f := facts(), rules.assess(rule, f))
    assert [(line.amount, line.currency) for line in single.lines] == [(Decimal("100.00"), "USD")]
    assert "adult" in single.lines[0].rule
    islands = rules.entitlements(rule, f := facts(member(), member("B", 8), place="islands"), rules.assess(rule, f))
    assert [line.amount for line in islands.lines] == [Decimal("150.00"), Decimal("75.00")]
    big = facts(member(), member("B", 33), member("C", 9), member("D", 5))
    result = rules.entitlements(rule, big, rules.assess(rule, big))
    assert result.totals()[("pre_departure_cash", "USD")] == Decimal("300.00")  # 300 + 40 bonus capped at 300
    assert any("family cap" in line.rule for line in result.lines)
    assert any("large-family bonus" in line.rule for line in result.lines)


def test_per_diem_only_for_precarious_persons() -> None:
    rule = version(benefits={"per_diem": {"currency": "RON", "per_day": 20, "max_days": 10}})
    f = facts(member(precarious=True), member("B"))
    result = rules.entitlements(rule, f, rules.assess(rule, f))
    assert [(line.member, line.amount) for line in result.lines] == [("A", Decimal("200.00"))]


def test_reintegration_ceilings_top_ups_and_payment_words() -> None:
    rule = version(benefits={"reintegration": {"currency": "EUR", "per_individual": 1500, "per_family": 3000, "payment": "in_kind",
                                               "use_within_months": 12,
                                               "vulnerability_top_up": {"amount": 500, "for_vulnerabilities": ["single_parent"], "components": ["housing"]}}})  # fmt: skip
    one = rules.entitlements(rule, f := facts(), rules.assess(rule, f))
    assert one.totals() == {("reintegration", "EUR"): Decimal("1500.00")}
    family = facts(member(vulnerabilities=("single_parent",)), member("B", 6))
    two = rules.entitlements(rule, family, rules.assess(rule, family))
    assert two.totals() == {("reintegration", "EUR"): Decimal("3500.00")}
    assert "in kind only" in " ".join(two.notes)
    assert "12 months" in " ".join(two.notes)


def test_no_entitlement_when_not_eligible() -> None:
    rule = version(ROMANIA, CASH)
    f = facts(legal_status="asylum_seeker")
    assert rules.entitlements(rule, f, rules.assess(rule, f)).lines == []


def test_an_unconfirmed_amount_makes_the_entitlements_unpayable() -> None:
    rule = version(
        benefits={
            "reintegration": {"currency": "EUR", "per_member": {"value": 1000, "confirmed": False, "note": "confirm"}}
        }
    )
    result = rules.entitlements(rule, f := facts(), rules.assess(rule, f))
    assert result.lines[0].confirmed is False
    assert not result.payable


amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
households = st.lists(st.tuples(st.integers(0, 90), st.booleans(), st.booleans()), min_size=1, max_size=9)


@settings(max_examples=150, deadline=None)
@given(adult=amounts, minor=amounts, cap=st.none() | amounts, bonus=st.none() | amounts, per_member=amounts,
       family_cap=st.none() | amounts, top_up=amounts, household=households)  # fmt: skip
def test_entitlements_never_negative_never_above_a_cap_and_add_up(
    adult: Decimal, minor: Decimal, cap: Decimal | None, bonus: Decimal | None, per_member: Decimal,
    family_cap: Decimal | None, top_up: Decimal, household: list[tuple[int, bool, bool]],
) -> None:  # fmt: skip
    cash: dict[str, Any] = {"currency": "USD", "per_person": {"adult": adult, "minor": minor}}
    if cap is not None:
        cash["family_cap"] = cap
    if bonus is not None:
        cash["large_family_bonus"] = {"from_members": 3, "amount": bonus}
    reint: dict[str, Any] = {"currency": "EUR", "per_member": per_member}
    if family_cap is not None:
        reint["family_cap"] = family_cap
    rule = version(benefits={"pre_departure_cash": cash, "reintegration": reint})
    members = tuple(
        member(f"M{i}", age, vulnerabilities=("health_needs",) if vulnerable else (), precarious=precarious)
        for i, (age, vulnerable, precarious) in enumerate(household)
    )
    f = facts(*members)
    result = rules.entitlements(rule, f, rules.assess(rule, f))
    totals = result.totals()
    assert all(total >= 0 for total in totals.values())
    cash_total = totals.get(("pre_departure_cash", "USD"), Decimal(0))
    reint_total = totals.get(("reintegration", "EUR"), Decimal(0))
    if cap is not None:
        assert cash_total <= cap
    if family_cap is not None:
        assert reint_total <= family_cap
    # The household's total is the sum of its members' lines, plus any household-level adjustment.
    member_lines = sum(
        (line.amount for line in result.lines if line.benefit == "reintegration" and line.member), Decimal(0)
    )
    household_lines = sum(
        (line.amount for line in result.lines if line.benefit == "reintegration" and not line.member), Decimal(0)
    )
    assert reint_total == member_lines + household_lines
    if family_cap is None:
        assert reint_total == member_lines == per_member.quantize(Decimal("0.01")) * len(members)


def test_an_age_limit_without_a_date_of_birth_needs_review() -> None:
    result = rules.assess(version({"age": {"max": 80}}), facts(member(age=None)))
    assert result.outcome == rules.NEEDS_REVIEW
    assert "Date of birth not recorded" in texts(result)


def test_top_ups_come_on_top_of_the_family_cap() -> None:
    rule = version(benefits={"reintegration": {"currency": "EUR", "per_member": 1000, "family_cap": 3000,
                                               "vulnerability_top_up": {"amount": 500, "for_vulnerabilities": ["health_needs"]}}})  # fmt: skip
    f = facts(member("A", vulnerabilities=("health_needs",)), member("B"), member("C", 9), member("D", 7))
    result = rules.entitlements(rule, f, rules.assess(rule, f))
    assert result.totals()[("reintegration", "EUR")] == Decimal("3500.00")
    assert [line.reasons for line in result.lines if "top-up" in line.rule] == [frozenset({"health_needs"})]
