"""A case assessed under its programme's rules: stored, explained, re-run, overridden; its entitlements."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.cases import eligibility, services
from homeward.cases.models import Case, Relationship
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.programmes.services import programme_load
from tests.factories import case_data, person

pytestmark = pytest.mark.django_db

RULES: dict[str, Any] = {
    "programme": {"code": "RO/TEST", "name": "Romania test", "donor": "AMIF", "missions": ["GR"], "currency": "RON",
                  "start": "2024-01-01", "end": "2030-12-31"},
    "rules": [
        {"effective_from": "2024-01-01",
         "eligibility": {"legal_status": {"accepted": ["protection_rejected", "asylum_withdrawn", "return_decision"],
                                          "label": "Romania category (a)–(c)"},
                         "reintegration_requires_origin_office": True},
         "benefits": {"pre_departure_cash": {"currency": "USD", "per_person": {"adult": 100, "minor": 100}},
                      "reintegration": {"currency": "RON", "per_individual": 5000, "per_family": 10000, "payment": "in_kind"}}},
    ],
}  # fmt: skip


@pytest.fixture
def programme(gr: Mission, pk: Mission) -> Programme:
    return programme_load(acting_user=None, data=RULES)


def _assess(user: User, case: Case, programme: Programme | None = None) -> Any:
    return eligibility.case_assess(acting_user=user, case=case, programme=programme)


def test_an_assessment_is_stored_with_its_rules_and_explains_itself(
    counsellor_gr: User, case_gr: Case, programme: Programme
) -> None:
    services.case_update(
        acting_user=counsellor_gr,
        case=case_gr,
        data=case_data(legal_status="asylum_withdrawn", counsellor=counsellor_gr),
    )
    assessment = _assess(counsellor_gr, case_gr, programme)
    assert assessment.outcome == "eligible"
    assert assessment.reintegration  # there is an origin mission in Pakistan
    assert assessment.rules == programme.version_on(assessment.decision_date).rules
    assert "Romania category (a)–(c) met." in [o["explanation"] for o in assessment.result["outcomes"]]
    case_gr.refresh_from_db()
    assert case_gr.programme == programme


def test_a_case_outside_the_categories_is_not_eligible_in_words(
    counsellor_gr: User, case_gr: Case, programme: Programme
) -> None:
    services.case_update(
        acting_user=counsellor_gr, case=case_gr, data=case_data(legal_status="asylum_seeker", counsellor=counsellor_gr)
    )
    assessment = _assess(counsellor_gr, case_gr, programme)
    assert assessment.outcome == "not_eligible"
    assert "Not eligible: Romania category (a)–(c) not met." in [
        o["explanation"] for o in assessment.result["outcomes"]
    ]


def test_a_programme_the_host_mission_does_not_implement_is_refused(
    counsellor_ro: User, case_ro: Case, programme: Programme
) -> None:
    with pytest.raises(ServiceError, match="does not implement"):
        _assess(counsellor_ro, case_ro, programme)


def test_a_change_to_the_case_re_runs_the_assessment(counsellor_gr: User, case_gr: Case, programme: Programme) -> None:
    first = _assess(counsellor_gr, case_gr, programme)
    services.case_update(
        acting_user=counsellor_gr,
        case=case_gr,
        data=case_data(legal_status="return_decision", counsellor=counsellor_gr),
    )
    latest = eligibility.latest_assessment(case_gr)
    assert latest.pk != first.pk
    assert (first.outcome, latest.outcome) == ("needs_review", "eligible")


def test_older_decisions_keep_the_rules_they_were_made_under(
    counsellor_gr: User, case_gr: Case, programme: Programme
) -> None:
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC)):
        old = _assess(counsellor_gr, case_gr, programme)
    newer = copy.deepcopy(RULES)
    newer["rules"].append({**copy.deepcopy(RULES["rules"][0]), "effective_from": "2026-01-01"})
    newer["rules"][1]["benefits"]["pre_departure_cash"]["per_person"]["adult"] = 150
    programme_load(acting_user=None, data=newer)
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
        new = _assess(counsellor_gr, case_gr, programme)
    old.refresh_from_db()
    assert old.rules["benefits"]["pre_departure_cash"]["per_person"]["adult"]["value"] == "100"
    assert new.rules["benefits"]["pre_departure_cash"]["per_person"]["adult"]["value"] == "150"
    assert old.rule_version.effective_from == dt.date(2024, 1, 1)


def test_only_a_supervisor_overrides_with_a_reason(
    counsellor_gr: User, supervisor_gr: User, case_gr: Case, programme: Programme
) -> None:
    assessment = _assess(counsellor_gr, case_gr, programme)
    with pytest.raises(PermissionDenied):
        eligibility.assessment_override(
            acting_user=counsellor_gr, assessment=assessment, outcome="eligible", reason="Because I say so."
        )
    with pytest.raises(ServiceError) as error:
        eligibility.assessment_override(
            acting_user=supervisor_gr, assessment=assessment, outcome="eligible", reason="ok"
        )
    assert "reason" in error.value.fields
    eligibility.assessment_override(
        acting_user=supervisor_gr,
        assessment=assessment,
        outcome="eligible",
        reason="Rejection confirmed by IGI letter 123.",
    )
    assessment.refresh_from_db()
    assert (assessment.outcome, assessment.final_outcome, assessment.overridden_by) == (
        "needs_review",
        "eligible",
        supervisor_gr,
    )


def test_entitlements_per_person_and_per_family(counsellor_gr: User, case_gr: Case, programme: Programme) -> None:
    services.case_update(
        acting_user=counsellor_gr,
        case=case_gr,
        data=case_data(legal_status="protection_rejected", counsellor=counsellor_gr),
    )
    result = eligibility.entitlements_of(_assess(counsellor_gr, case_gr, programme))
    assert result.totals() == {
        ("pre_departure_cash", "USD"): Decimal("300.00"),
        ("reintegration", "RON"): Decimal("10000.00"),
    }
    assert result.payable


def test_the_entitlements_page_shows_amounts_and_rules(
    counsellor_gr: User, case_gr: Case, programme: Programme
) -> None:
    client = Client()
    client.force_login(counsellor_gr)
    client.post(reverse("cases:assess", args=[case_gr.reference]), {"programme": programme.pk})
    page = client.get(reverse("cases:entitlements", args=[case_gr.reference])).content.decode()
    assert "100.00" in page
    assert "ceiling per family" in page
    detail = client.get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert "Legal status not recorded" in detail


def test_a_finance_officer_reads_entitlements_but_cannot_assess(
    finance_gr: User, counsellor_gr: User, case_gr: Case, programme: Programme
) -> None:
    _assess(counsellor_gr, case_gr, programme)
    client = Client()
    client.force_login(finance_gr)
    assert client.get(reverse("cases:entitlements", args=[case_gr.reference])).status_code == 200
    assert (
        client.post(reverse("cases:assess", args=[case_gr.reference]), {"programme": programme.pk}).status_code == 403
    )


def test_a_member_added_later_counts(counsellor_gr: User, case_gr: Case, programme: Programme) -> None:
    _assess(counsellor_gr, case_gr, programme)
    services.member_add(
        acting_user=counsellor_gr,
        case=case_gr,
        member=services.MemberInput(Relationship.CHILD, person("Omar", "Khan", year=2020)),
    )
    result = eligibility.entitlements_of(eligibility.latest_assessment(case_gr))
    assert result.totals()[("pre_departure_cash", "USD")] == Decimal("400.00")


def test_totals_in_another_currency_show_the_rate_used_or_ask_for_one(
    counsellor_gr: User, case_gr: Case, programme: Programme
) -> None:
    from homeward.programmes.services import rates_import

    services.case_update(
        acting_user=counsellor_gr,
        case=case_gr,
        data=case_data(legal_status="protection_rejected", counsellor=counsellor_gr),
    )
    assessment = _assess(counsellor_gr, case_gr, programme)
    client = Client()
    client.force_login(counsellor_gr)
    url = reverse("cases:entitlements", args=[case_gr.reference])
    assert "No exchange rate from USD to RON" in client.get(url).content.decode()
    rates_import(acting_user=None, text=f"USD,RON,{assessment.decision_date.isoformat()},4.5,BNR\n")
    rows = eligibility.totals_in_programme_currency(assessment, eligibility.entitlements_of(assessment))
    cash = next(r for r in rows if r["benefit"] == "pre_departure_cash")
    assert (cash["converted"], cash["converted_currency"]) == (Decimal("1350.00"), "RON")
    assert "1350.00" in client.get(url).content.decode()


def test_who_needs_an_escort_is_shown_only_to_readers_who_may_see_why(
    counsellor_gr: User, finance_gr: User, case_gr: Case, programme: Programme
) -> None:
    escorted = copy.deepcopy(RULES)
    escorted["rules"][0]["benefits"]["travel"] = {"ticket_from": "Athens (ATH)", "escort_for": ["trafficking"]}
    programme_load(acting_user=None, data=escorted)
    spouse = case_gr.members.select_related("person").get(relationship="spouse")
    services.member_update(
        acting_user=counsellor_gr,
        member=spouse,
        relationship="spouse",
        data=person("Ayesha", "Khan", year=1988, vulnerabilities=["trafficking"]),
    )
    _assess(counsellor_gr, case_gr, programme)
    url = reverse("cases:entitlements", args=[case_gr.reference])
    pages = {}
    for user in (counsellor_gr, finance_gr):
        client = Client()
        client.force_login(user)
        pages[user.username] = client.get(url).content.decode()
    assert "Escort needed for: Ayesha Khan." in pages["counsellor.gr"]
    assert "Escort needed" not in pages["finance.gr"]


def test_a_decision_keeps_its_amounts_until_assessed_again(
    counsellor_gr: User, case_gr: Case, programme: Programme
) -> None:
    from homeward.programmes.services import rule_version_set_cash

    services.case_update(
        acting_user=counsellor_gr,
        case=case_gr,
        data=case_data(legal_status="return_decision", counsellor=counsellor_gr),
    )
    decided = _assess(counsellor_gr, case_gr, programme)
    rule_version_set_cash(
        acting_user=None, version=decided.rule_version, adult=Decimal(500), minor=Decimal(500), confirmed=True
    )
    decided = eligibility.latest_assessment(case_gr)
    assert decided.rules_changed
    assert eligibility.entitlements_of(decided).totals()[("pre_departure_cash", "USD")] == Decimal("300.00")
    again = _assess(counsellor_gr, case_gr)
    assert eligibility.entitlements_of(again).totals()[("pre_departure_cash", "USD")] == Decimal("1500.00")


def test_nothing_is_payable_to_a_case_that_is_not_eligible_or_needs_review(
    counsellor_gr: User, case_gr: Case, programme: Programme
) -> None:
    review = _assess(counsellor_gr, case_gr, programme)  # no legal status recorded
    assert review.outcome == "needs_review"
    assert not eligibility.entitlements_of(review).payable


def test_a_top_up_for_a_protection_fact_shows_no_name_to_the_finance_officer(
    counsellor_gr: User, finance_gr: User, case_gr: Case, gr: Mission, pk: Mission
) -> None:
    topped = copy.deepcopy(RULES)
    topped["rules"][0]["benefits"]["reintegration"]["vulnerability_top_up"] = {
        "amount": 500,
        "for_vulnerabilities": ["trafficking"],
    }
    programme = programme_load(acting_user=None, data=topped)
    spouse = case_gr.members.select_related("person").get(relationship="spouse")
    services.member_update(
        acting_user=counsellor_gr,
        member=spouse,
        relationship="spouse",
        data=person("Ayesha", "Khan", year=1988, vulnerabilities=["trafficking"]),
    )
    result = eligibility.entitlements_of(_assess(counsellor_gr, case_gr, programme))
    counsellor_lines, _e = eligibility.for_reader(counsellor_gr, case_gr, result)
    finance_lines, _e = eligibility.for_reader(finance_gr, case_gr, result)
    assert any(line.member == "Ayesha Khan" and "top-up" in line.rule for line in counsellor_lines)
    assert not any(line.member == "Ayesha Khan" and "top-up" in line.rule for line in finance_lines)
    assert any(not line.member and line.rule == "vulnerability top-up" for line in finance_lines)
    assert sum(line.amount for line in finance_lines) == sum(line.amount for line in counsellor_lines)


def test_editing_the_notes_keeps_the_assessment_and_its_override(
    counsellor_gr: User, supervisor_gr: User, case_gr: Case, programme: Programme
) -> None:
    assessment = _assess(counsellor_gr, case_gr, programme)
    eligibility.assessment_override(
        acting_user=supervisor_gr, assessment=assessment, outcome="eligible", reason="Checked with IGI by phone."
    )
    services.case_update(
        acting_user=counsellor_gr,
        case=case_gr,
        data=case_data(notes="Called back on Monday.", counsellor=counsellor_gr),
    )
    latest = eligibility.latest_assessment(case_gr)
    assert latest.pk == assessment.pk
    assert latest.final_outcome == "eligible"
