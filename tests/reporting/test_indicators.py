"""Every indicator of the registry on the known data set (tests/reporting/dataset.py), against figures
worked out by hand: the values, the breakdowns donors ask for, the targets, the missions counted and the period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from homeward.core.errors import ServiceError
from homeward.reporting.indicators import INDICATORS, REGISTRY
from homeward.reporting.periods import Period, parse_period
from homeward.reporting.selectors import report_for, report_programme_for, scope_for
from tests.factories import UserFactory
from tests.reporting import dataset
from tests.reporting.dataset import EXPECTED, EXPECTED_GR_RO, LIFE, Q1, Q2, YEAR, KnownData

known = dataset.known  # the data set, built once for this module

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc(known: KnownData) -> dict[str, Any]:
    """The quarter's report for a case supervisor of Greece (exact numbers)."""
    return report_for(known.user("supervisor_gr"), known.programme, Q1)


def values(doc: dict[str, Any]) -> dict[str, tuple[object, object]]:
    return {code: (f["value"], f["basis"]) for code, f in doc["indicators"].items()}


def cells(doc: dict[str, Any], code: str, dimension: str) -> dict[str, object]:
    return {c["key"]: c["value"] for c in doc["indicators"][code]["disaggregations"][dimension]}


def nonzero(doc: dict[str, Any], code: str, dimension: str) -> dict[str, object]:
    return {k: v for k, v in cells(doc, code, dimension).items() if v}


# ---------------------------------------------------------------- every indicator


def test_every_indicator_of_the_registry_has_a_hand_worked_value() -> None:
    """Adding an indicator to the registry fails here until its expected figure is written in dataset.py."""
    assert list(EXPECTED) == [i.code for i in INDICATORS]
    assert set(EXPECTED_GR_RO) == set(REGISTRY)


def test_every_indicator_of_the_quarter(doc: dict[str, Any]) -> None:
    assert list(doc["indicators"]) == [i.code for i in INDICATORS]
    assert values(doc) == EXPECTED


def test_every_indicator_for_a_user_of_both_missions(known: KnownData) -> None:
    doc = report_for(known.user("me_gr_ro"), known.programme, Q1)
    assert values(doc) == EXPECTED_GR_RO
    assert doc["missions"] == ["GR", "RO"]
    assert cells(doc, "persons_assisted", "host_mission") == {"GR": 6, "RO": 1}


def test_each_figure_has_the_breakdowns_the_definitions_page_lists(doc: dict[str, Any]) -> None:
    for code, figure in doc["indicators"].items():
        assert list(figure["disaggregations"]) == list(REGISTRY[code].disaggregations), code


def test_each_breakdown_adds_up_to_its_total_where_a_person_counts_once(doc: dict[str, Any]) -> None:
    several = {"vulnerability", "component_type"}  # a person counts under each of theirs
    for code, figure in doc["indicators"].items():
        if not REGISTRY[code].is_count:
            continue
        for dimension, found in figure["disaggregations"].items():
            if dimension not in several:
                assert sum(c["value"] for c in found) == figure["value"], (code, dimension)


# ---------------------------------------------------------------- the breakdowns donors ask for


def test_persons_assisted_by_every_dimension(doc: dict[str, Any]) -> None:
    code = "persons_assisted"
    assert cells(doc, code, "sex_age") == {"men": 2, "women": 2, "boys": 1, "girls": 1, "other": 0}
    assert cells(doc, code, "sex") == {"F": 3, "M": 3}
    # The programme's own bands (0, 5, 18, 60): Zara is 17 on the day she left, though 18 ten days later.
    assert cells(doc, code, "age_group") == {"0-4": 0, "5-17": 2, "18-59": 3, "60+": 1, "unknown": 0}
    assert cells(doc, code, "nationality") == {"AF": 1, "PK": 5}
    assert cells(doc, code, "destination_country") == {"AF": 1, "PK": 5}
    assert cells(doc, code, "destination_region") == {"Islamabad": 1, "Kabul": 1, "Lahore": 4}
    assert cells(doc, code, "host_mission") == {"GR": 6}
    assert cells(doc, code, "case_type") == {"individual": 2, "family": 4}
    assert cells(doc, code, "programme") == {"GR/KNOWN": 6}
    assert cells(doc, code, "month") == {"2025-01": 1, "2025-02": 4, "2025-03": 1}
    assert cells(doc, code, "quarter") == {"2025-Q1": 6}
    # Ayesha counts under both of hers; the children and the elderly follow from the age on departure.
    assert nonzero(doc, code, "vulnerability") == {
        "child": 2, "elderly": 1, "health_needs": 1, "disability": 1, "serious_medical_condition": 1,
    }  # fmt: skip
    labels = {c["key"]: c["label"] for c in doc["indicators"][code]["disaggregations"]["sex_age"]}
    assert labels["boys"] == "boys (under 18)"


def test_children_family_members_and_vulnerable_persons(doc: dict[str, Any]) -> None:
    assert cells(doc, "children_assisted", "sex_age") == {"men": 0, "women": 0, "boys": 1, "girls": 1, "other": 0}
    assert cells(doc, "children_assisted", "age_group") == {"0-4": 0, "5-17": 2, "18-59": 0, "60+": 0, "unknown": 0}
    assert cells(doc, "family_members_assisted", "sex_age") == {
        "men": 0, "women": 1, "boys": 1, "girls": 1, "other": 0,
    }  # fmt: skip
    code = "persons_with_vulnerability"
    assert cells(doc, code, "sex_age") == {"men": 0, "women": 2, "boys": 1, "girls": 1, "other": 0}
    assert cells(doc, code, "age_group") == {"0-4": 0, "5-17": 2, "18-59": 1, "60+": 1, "unknown": 0}
    assert cells(doc, code, "nationality") == {"AF": 1, "PK": 3}
    assert nonzero(doc, code, "vulnerability") == nonzero(doc, "persons_assisted", "vulnerability")


def test_cases_by_type_country_and_month(doc: dict[str, Any]) -> None:
    assert cells(doc, "individual_cases", "destination_country") == {"AF": 1, "PK": 1}
    assert cells(doc, "individual_cases", "month") == {"2025-01": 1, "2025-02": 0, "2025-03": 1}
    assert cells(doc, "family_cases", "month") == {"2025-01": 0, "2025-02": 1, "2025-03": 0}
    assert cells(doc, "family_cases", "quarter") == {"2025-Q1": 1}


def test_counselling_by_month_and_the_persons_counselled(doc: dict[str, Any]) -> None:
    assert cells(doc, "counselling_sessions", "month") == {"2025-01": 3, "2025-02": 2, "2025-03": 1}
    assert cells(doc, "informed_decisions", "decision") == {"wants_to_return": 4}
    assert cells(doc, "informed_decisions", "month") == {"2025-01": 2, "2025-02": 1, "2025-03": 1}
    code = "persons_counselled"
    assert cells(doc, code, "sex_age") == {"men": 4, "women": 2, "boys": 1, "girls": 1, "other": 0}
    assert cells(doc, code, "destination_region") == {
        "Islamabad": 1, "Kabul": 1, "Lahore": 5, "Peshawar, at Farid's uncle": 1,
    }  # fmt: skip


def test_documents_visits_outreach_and_exits_by_month(doc: dict[str, Any]) -> None:
    assert cells(doc, "travel_documents_requested", "month") == {"2025-01": 3, "2025-02": 0, "2025-03": 0}
    assert cells(doc, "travel_documents_issued", "month") == {"2025-01": 1, "2025-02": 3, "2025-03": 0}
    assert cells(doc, "travel_documents_issued", "destination_country") == {"AF": 1, "PK": 3}
    assert cells(doc, "monitoring_visits_due", "month") == {"2025-01": 1, "2025-02": 0, "2025-03": 2}
    assert cells(doc, "monitoring_visits_done", "month") == {"2025-01": 1, "2025-02": 0, "2025-03": 1}
    assert cells(doc, "info_sessions", "month") == {"2025-01": 1, "2025-02": 1, "2025-03": 0}
    assert cells(doc, "info_session_participants", "month") == {"2025-01": 20, "2025-02": 11, "2025-03": 0}
    assert cells(doc, "info_session_participants", "sex_age") == {
        "men": 16, "women": 7, "boys": 4, "girls": 2, "other": 2,
    }  # fmt: skip
    assert cells(doc, "materials_distributed", "month") == {"2025-01": 200, "2025-02": 0, "2025-03": 30}
    assert cells(doc, "hotline_calls", "month") == {"2025-01": 1, "2025-02": 0, "2025-03": 1}
    assert cells(doc, "withdrawals", "month") == {"2025-01": 0, "2025-02": 1, "2025-03": 0}
    assert cells(doc, "no_shows", "host_mission") == {"GR": 1}


def test_reintegration_by_component_type_with_the_age_on_delivery(doc: dict[str, Any]) -> None:
    """The household plan reaches all four Khans; Hamid's individual plan reaches him, not his son."""
    code = "persons_reintegration"
    assert nonzero(doc, code, "component_type") == {"household_items": 4, "medical": 1}
    assert cells(doc, code, "component_type")["vocational_training"] == 0  # delivered in April
    # Zara turned 18 on 20 February: a girl on departure, a woman when the household items came on 1 March.
    assert cells(doc, code, "sex_age") == {"men": 2, "women": 2, "boys": 1, "girls": 0, "other": 0}
    assert cells(doc, code, "age_group") == {"0-4": 0, "5-17": 1, "18-59": 4, "60+": 0, "unknown": 0}


def test_spend_per_budget_line_nets_the_reversed_payment(known: KnownData, doc: dict[str, Any]) -> None:
    lines = dict(known.programme.budget_lines.values_list("category", "pk"))
    by_line = cells(doc, "spend", "budget_line")
    assert {category: by_line[str(pk)] for category, pk in lines.items()} == {
        "travel": 0.0, "cash_grants": 500.0, "reintegration": 1000.0,
    }  # fmt: skip


# ---------------------------------------------------------------- targets


def target(doc: dict[str, Any], code: str) -> tuple[object, object, object]:
    figure = doc["indicators"][code]
    return figure["target"], figure["target_period"], figure["percent_of_target"]


def test_a_quarter_report_compares_with_the_quarter_target(doc: dict[str, Any]) -> None:
    assert target(doc, "persons_assisted") == (8.0, "quarter", 75.0)
    assert target(doc, "counselling_sessions") == (10.0, "quarter", 60.0)
    assert [code for code in REGISTRY if doc["indicators"][code]["target"] is not None] == [
        "persons_assisted", "counselling_sessions",
    ]  # fmt: skip


def test_a_year_report_compares_with_the_year_target(known: KnownData) -> None:
    doc = report_for(known.user("supervisor_gr"), known.programme, YEAR)
    assert doc["indicators"]["persons_assisted"]["value"] == 6
    assert target(doc, "persons_assisted") == (12.0, "year", 50.0)
    assert target(doc, "counselling_sessions") == (None, None, None)  # its target is for a quarter


def test_a_life_report_compares_with_the_life_target_and_counts_december(known: KnownData) -> None:
    doc = report_for(known.user("supervisor_gr"), known.programme, LIFE)
    assert doc["indicators"]["persons_assisted"]["value"] == 8  # and the two Rahimis of December
    assert target(doc, "persons_assisted") == (20.0, "life", 40.0)
    assert doc["indicators"]["spend"]["value"] == 1700.0
    assert cells(doc, "persons_assisted", "quarter") == {
        "2024-Q1": 0, "2024-Q2": 0, "2024-Q3": 0, "2024-Q4": 2, "2025-Q1": 6, "2025-Q2": 0, "2025-Q3": 0, "2025-Q4": 0,
    }  # fmt: skip


def test_a_period_without_a_target_shows_none(known: KnownData) -> None:
    doc = report_for(known.user("supervisor_gr"), known.programme, Q2)
    assert doc["indicators"]["persons_assisted"]["value"] == 0
    assert all(target(doc, code) == (None, None, None) for code in REGISTRY)
    # In the second quarter: the vocational training of 10 April reaches the Khans, and the call of 1 April.
    assert doc["indicators"]["persons_reintegration"]["value"] == 4
    assert doc["indicators"]["hotline_calls"]["value"] == 1


def test_february_alone_has_no_target_though_the_quarter_has(known: KnownData) -> None:
    doc = report_for(known.user("supervisor_gr"), known.programme, Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28)))
    assert doc["indicators"]["persons_assisted"]["value"] == 4
    assert target(doc, "persons_assisted") == (None, None, None)


# ---------------------------------------------------------------- missions


def test_a_user_of_greece_does_not_count_the_cases_of_romania(known: KnownData, doc: dict[str, Any]) -> None:
    assert doc["missions"] == ["GR"]
    assert cells(doc, "persons_assisted", "host_mission") == {"GR": 6}
    assert values(report_for(known.user("me_gr_ro"), known.programme, Q1, [known.gr.pk]))["persons_assisted"] == (
        6,
        None,
    )
    # A viewer of both sees them only together: Greece alone would give Romania's small counts by difference.
    with pytest.raises(ServiceError, match="all your missions together"):
        report_for(known.user("viewer_gr_ro"), known.programme, Q1, [known.gr.pk])


def test_a_mission_filter_narrows_the_figures(known: KnownData) -> None:
    doc = report_for(known.user("me_gr_ro"), known.programme, Q1, [known.ro.pk])
    assert doc["missions"] == ["RO"]
    assert doc["indicators"]["persons_assisted"]["value"] == 1
    assert doc["indicators"]["info_sessions"]["value"] == 1
    assert doc["indicators"]["spend"]["value"] == 100.0


@pytest.mark.parametrize("other", ["ro", "pk", "unknown"])
def test_a_mission_the_user_does_not_report_on_is_refused(known: KnownData, other: str) -> None:
    mission = {"ro": known.ro.pk, "pk": known.pk.pk, "unknown": 987654}[other]
    with pytest.raises(ServiceError) as refused:
        scope_for(known.user("supervisor_gr"), known.programme, Q1, [mission])
    assert refused.value.message == "You do not see the figures of one of the missions asked for."
    assert "mission" in refused.value.fields


def test_a_user_without_aggregates_reaches_no_programme(known: KnownData) -> None:
    with pytest.raises(Http404):
        report_programme_for(known.user("counsellor_gr"), known.programme.pk)
    stranger = UserFactory(username="known.nobody")
    with pytest.raises(Http404):
        report_programme_for(stranger, known.programme.pk)
    assert report_programme_for(known.user("viewer_gr"), known.programme.pk) == known.programme


# ---------------------------------------------------------------- periods


def test_a_period_ending_before_it_starts_is_refused_in_words() -> None:
    with pytest.raises(ServiceError) as refused:
        Period(dt.date(2025, 3, 31), dt.date(2025, 1, 1))
    assert refused.value.message == "The period ends (2025-01-01) before it starts (2025-03-31)."
    assert refused.value.fields == {"to": [refused.value.message]}
    with pytest.raises(ServiceError) as typed:
        parse_period("2025-03-31", "2025-01-01")
    assert typed.value.message == refused.value.message


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        ("31/03/2025", "2025-04-30", "from", "“31/03/2025” is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31."),
        ("2025-01-01", "2025-02-30", "to", "“2025-02-30” is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31."),
        ("2025-01-01", None, "to", "Give the period: a start and an end date."),
    ],
)
def test_a_period_that_is_not_dates_is_refused_in_words(start: str, end: str | None, field: str, words: str) -> None:
    with pytest.raises(ServiceError) as refused:
        parse_period(start, end)
    assert refused.value.message == words
    assert refused.value.fields == {field: [words]}


def test_a_one_day_period_is_a_period() -> None:
    assert parse_period("2025-02-10", "2025-02-10").months() == ["2025-02"]


def test_the_day_a_case_departs_counts_whole_at_both_ends_of_the_period(known: KnownData) -> None:
    user = known.user("supervisor_gr")
    on_the_day = report_for(user, known.programme, Period(dt.date(2025, 2, 10), dt.date(2025, 2, 10)))
    assert on_the_day["indicators"]["persons_assisted"]["value"] == 4
    before = report_for(user, known.programme, Period(dt.date(2025, 2, 1), dt.date(2025, 2, 9)))
    assert before["indicators"]["persons_assisted"]["value"] == 0


# ---------------------------------------------------------------- cost


def test_a_report_costs_a_bounded_number_of_queries(known: KnownData, django_assert_max_num_queries: Any) -> None:
    user = known.user("supervisor_gr")
    with django_assert_max_num_queries(30):
        report_for(user, known.programme, Q1)


def test_the_number_of_queries_does_not_grow_with_the_cases_counted(known: KnownData) -> None:
    """The life report counts more cases, sessions and plans than the quarter: the same queries."""

    def queries(period: Period) -> int:
        with CaptureQueriesContext(connection) as captured:
            report_for(known.user("me_gr_ro"), known.programme, period)
        return len(captured.captured_queries)

    queries(Q1)  # the user's memberships are read once, then kept
    assert queries(LIFE) == queries(Q1) == queries(Q2)
