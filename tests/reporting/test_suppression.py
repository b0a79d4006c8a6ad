"""Small counts hidden from those who see only aggregates, on the known data set (tests/reporting/dataset.py).

A programme viewer (``VIEW_AGGREGATES`` only) sees every count below the threshold as "<N",
no rate resting on fewer respondents than that, a second cell hidden where a lone small one
could be worked out from the total, and never a name, a case reference or a place typed by
hand; a case supervisor of the same mission sees the exact figures.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import override_settings

from homeward.accounts.roles import Role
from homeward.reporting.figures import HIDDEN, display, is_suppressed, suppress_cells
from homeward.reporting.indicators import REGISTRY
from homeward.reporting.selectors import report_for
from tests.factories import UserFactory
from tests.reporting import dataset
from tests.reporting.dataset import NAMES, Q1, KnownData

known = dataset.known  # the data set, built once for this module

pytestmark = pytest.mark.django_db


def cells(doc: dict[str, Any], code: str, dimension: str) -> dict[str, object]:
    return {c["key"]: c["value"] for c in doc["indicators"][code]["disaggregations"][dimension]}


def figure(doc: dict[str, Any], code: str) -> tuple[object, object]:
    return doc["indicators"][code]["value"], doc["indicators"][code]["basis"]


@pytest.fixture
def viewed(known: KnownData) -> dict[str, Any]:
    """The quarter as the programme viewer of Greece sees it (threshold 5)."""
    return report_for(known.user("viewer_gr"), known.programme, Q1)


# ---------------------------------------------------------------- the programme viewer


def test_the_viewer_sees_no_count_below_five_anywhere(viewed: dict[str, Any]) -> None:
    assert viewed["suppression"] == {"threshold": 5, "applied": True}
    for code, found in viewed["indicators"].items():
        indicator = REGISTRY[code]
        if indicator.is_count:
            shown = [found["value"], *(c["value"] for cs in found["disaggregations"].values() for c in cs)]
            assert all(v in ("<5", HIDDEN) or v >= 5 for v in shown), code
        elif indicator.basis is not None:
            assert found["basis"] == "<5" or found["basis"] >= 5, code
            assert found["basis"] != "<5" or found["value"] is None, code
        if is_suppressed(found["value"]) or found["value"] is None:
            assert found["percent_of_target"] is None, code


def test_the_viewer_sees_the_quarter_so(viewed: dict[str, Any]) -> None:
    assert figure(viewed, "persons_assisted") == (6, None)
    assert viewed["indicators"]["persons_assisted"]["percent_of_target"] == 75.0
    assert cells(viewed, "persons_assisted", "sex_age") == {
        "men": "<5", "women": "<5", "boys": "<5", "girls": "<5", "other": "<5",
    }  # fmt: skip
    assert cells(viewed, "persons_assisted", "host_mission") == {"GR": 5}  # 6, rounded to 5 in a breakdown
    assert cells(viewed, "persons_assisted", "quarter") == {"2025-Q1": 5}  # 6, rounded
    assert cells(viewed, "persons_assisted", "month") == {"2025-01": "<5", "2025-02": "<5", "2025-03": "<5"}
    assert cells(viewed, "persons_assisted", "case_type") == {"individual": "<5", "family": "<5"}
    assert figure(viewed, "children_assisted") == ("<5", None)
    assert figure(viewed, "withdrawals") == ("<5", None)
    assert figure(viewed, "counselling_sessions") == (6, None)
    assert viewed["indicators"]["counselling_sessions"]["percent_of_target"] == 60.0
    assert figure(viewed, "spend") == (1500.0, 5)  # five payment entries: enough not to show one person's grant


def test_rates_resting_on_fewer_than_five_respondents_are_hidden(viewed: dict[str, Any]) -> None:
    for code in ("satisfaction_counselling", "satisfaction_travel", "satisfaction_reintegration", "rss_economic",
                 "rss_social", "rss_psychosocial", "rss_composite", "average_family_size"):  # fmt: skip
        assert figure(viewed, code) == (None, "<5"), code
        assert display(viewed["indicators"][code]["value"], REGISTRY[code].unit) == "—"


def test_a_lone_small_cell_beside_a_shown_total_hides_the_next_smallest(viewed: dict[str, Any]) -> None:
    # Pakistan (5) is not below five, but shown it would give Afghanistan away: 6 − 5.
    assert cells(viewed, "persons_assisted", "nationality") == {"AF": "<5", "PK": HIDDEN}
    assert cells(viewed, "persons_assisted", "destination_country") == {"AF": "<5", "PK": HIDDEN}
    # 200 leaflets in January, none in February, 30 posters in March: March goes too.
    assert cells(viewed, "materials_distributed", "month") == {"2025-01": 200, "2025-02": "<5", "2025-03": HIDDEN}
    assert cells(viewed, "info_session_participants", "month") == {"2025-01": 20, "2025-02": HIDDEN, "2025-03": "<5"}
    assert cells(viewed, "info_session_participants", "sex_age") == {
        "men": 15, "women": 5, "boys": "<5", "girls": "<5", "other": "<5",  # 16 and 7, rounded to 5
    }  # fmt: skip
    assert display(HIDDEN) == "hidden"


def test_places_typed_by_hand_are_pooled_below_five(viewed: dict[str, Any]) -> None:
    assert cells(viewed, "persons_assisted", "destination_region") == {"other_places": 5}  # 6, rounded
    # Lahore 5; Islamabad, Kabul and "Peshawar, at Farid's uncle" pooled (3), so Lahore is hidden beside them.
    assert cells(viewed, "persons_counselled", "destination_region") == {"Lahore": HIDDEN, "other_places": "<5"}
    labels = [c["label"] for c in viewed["indicators"]["persons_counselled"]["disaggregations"]["destination_region"]]
    assert labels == ["Lahore", "other places"]


def test_no_name_no_case_reference_and_no_typed_place_reaches_the_viewer(
    known: KnownData, viewed: dict[str, Any]
) -> None:
    text = json.dumps(viewed, ensure_ascii=False)
    assert len(known.references) == 7
    assert [ref for ref in known.references if ref in text] == []
    assert [name for name in NAMES if re.search(rf"\b{name}\b", text)] == []
    # The same search finds the place typed with a name in the figures of someone who may open the case.
    exact = json.dumps(report_for(known.user("supervisor_gr"), known.programme, Q1), ensure_ascii=False)
    assert [name for name in NAMES if re.search(rf"\b{name}\b", exact)] == ["Farid"]


def test_a_viewer_of_two_missions_sees_them_suppressed_too(known: KnownData) -> None:
    doc = report_for(known.user("viewer_gr_ro"), known.programme, Q1)
    assert doc["suppression"]["applied"] is True
    assert figure(doc, "persons_assisted") == (7, None)
    # Romania's one returnee is small, so Greece's six go too: 7 − 6 would give him away.
    assert cells(doc, "persons_assisted", "host_mission") == {"GR": HIDDEN, "RO": "<5"}


def test_an_administrator_sees_aggregates_suppressed(known: KnownData) -> None:
    admin = UserFactory(username="known.admin", roles=[(known.gr, Role.ADMINISTRATOR)])
    doc = report_for(admin, known.programme, Q1)
    assert doc["suppression"]["applied"] is True
    assert figure(doc, "children_assisted") == ("<5", None)


# ---------------------------------------------------------------- another threshold


@override_settings(HOMEWARD_SMALL_COUNT_THRESHOLD=3)
def test_the_threshold_is_a_setting(known: KnownData) -> None:
    doc = report_for(known.user("viewer_gr"), known.programme, Q1)
    assert doc["suppression"] == {"threshold": 3, "applied": True}
    assert figure(doc, "children_assisted") == ("<3", None)
    assert figure(doc, "family_members_assisted") == (3, None)
    assert cells(doc, "persons_assisted", "sex_age") == {
        "men": "<3", "women": "<3", "boys": "<3", "girls": "<3", "other": "<3",
    }  # fmt: skip
    assert cells(doc, "persons_assisted", "case_type") == {"individual": "<3", "family": HIDDEN}
    assert cells(doc, "persons_assisted", "nationality") == {"AF": "<3", "PK": HIDDEN}
    assert cells(doc, "persons_assisted", "destination_region") == {"Lahore": HIDDEN, "other_places": "<3"}
    assert cells(doc, "counselling_sessions", "month") == {"2025-01": 3, "2025-02": "<3", "2025-03": "<3"}
    assert figure(doc, "satisfaction_counselling") == (66.7, 3)  # three respondents are enough now
    assert figure(doc, "satisfaction_travel") == (None, "<3")
    assert figure(doc, "rss_composite") == (None, "<3")


# ---------------------------------------------------------------- those who may open the cases


@pytest.mark.parametrize("who", ["supervisor_gr", "me_gr_ro"])
def test_staff_who_may_open_every_case_counted_see_exact_numbers(known: KnownData, who: str) -> None:
    doc = report_for(known.user(who), known.programme, Q1, [known.gr.pk])
    assert doc["suppression"] == {"threshold": 5, "applied": False}
    assert figure(doc, "children_assisted") == (2, None)
    assert cells(doc, "persons_assisted", "sex_age") == {"men": 2, "women": 2, "boys": 1, "girls": 1, "other": 0}
    assert cells(doc, "persons_assisted", "nationality") == {"AF": 1, "PK": 5}
    assert figure(doc, "satisfaction_counselling") == (66.7, 3)
    assert figure(doc, "average_family_size") == (4.0, 1)


# ---------------------------------------------------------------- the rule itself


def rows(**values: int) -> list[dict[str, Any]]:
    return [{"key": k, "label": k, "value": v} for k, v in values.items()]


def shown(found: list[dict[str, Any]]) -> dict[str, object]:
    return {c["key"]: c["value"] for c in found}


def test_suppress_cells_hides_the_next_smallest_beside_a_lone_small_cell() -> None:
    assert shown(suppress_cells(rows(a=12, b=1, c=7), 5, total=20)) == {"a": 10, "b": "<5", "c": HIDDEN}
    assert shown(suppress_cells(rows(a=0, b=9), 5, total=9)) == {"a": "<5", "b": HIDDEN}  # zero is small too


def test_suppress_cells_needs_no_second_cell_when_two_are_small_or_the_total_is_hidden() -> None:
    assert shown(suppress_cells(rows(a=12, b=1, c=2), 5, total=15)) == {"a": 10, "b": "<5", "c": "<5"}
    assert shown(suppress_cells(rows(a=3, b=1), 5, total="<5")) == {"a": "<5", "b": "<5"}
    assert shown(suppress_cells(rows(a=12, b=7), 5, total=19)) == {"a": 10, "b": 5}


def test_suppress_cells_leaves_its_input_alone() -> None:
    given = rows(a=12, b=1, c=7)
    suppress_cells(given, 5, total=20)
    assert shown(given) == {"a": 12, "b": 1, "c": 7}


def test_an_me_officer_sees_small_counts_of_the_vulnerabilities_it_may_not_see_on_a_person_hidden(
    known: KnownData,
) -> None:
    """An M&E officer sees no medical or protection facts on a person, so not one person's either in a figure."""
    exact = cells(report_for(known.user("supervisor_gr"), known.programme, Q1, [known.gr.pk]),
                  "persons_with_vulnerability", "vulnerability")  # fmt: skip
    officer = cells(report_for(known.user("me_gr_ro"), known.programme, Q1, [known.gr.pk]),
                    "persons_with_vulnerability", "vulnerability")  # fmt: skip
    assert exact["health_needs"] == 1
    assert officer["health_needs"] == "<5"
    assert officer["trafficking"] == "<5"
    # Ages are general facts: children and the elderly stay exact.
    assert officer["child"] == exact["child"]
    assert isinstance(officer["child"], int)


def test_shown_cells_of_a_breakdown_round_to_the_threshold_so_differences_stay_uncertain() -> None:
    # sex_age 10/10/2/1 and sex 12/11 of the same 23: rounded, boys = 12 - 10 is no longer readable.
    by_sex_age = shown(suppress_cells(rows(men=10, women=10, boys=2, girls=1), 5, total=23))
    by_sex = shown(suppress_cells(rows(M=12, F=11), 5, total=23))
    assert by_sex_age == {"men": 10, "women": 10, "boys": "<5", "girls": "<5"}
    assert by_sex == {"M": 10, "F": 10}
    assert shown(suppress_cells(rows(a=13, b=7, c=5), 5)) == {"a": 15, "b": 5, "c": 5}


def test_spend_resting_on_fewer_payments_than_the_threshold_is_hidden_from_a_viewer(
    known: KnownData, settings: Any
) -> None:
    settings.HOMEWARD_SMALL_COUNT_THRESHOLD = 6
    doc = report_for(known.user("viewer_gr"), known.programme, Q1)
    assert figure(doc, "spend") == (HIDDEN, "<6")
    assert set(cells(doc, "spend", "budget_line").values()) <= {HIDDEN, 0.0}
    exact = report_for(known.user("supervisor_gr"), known.programme, Q1, [known.gr.pk])
    assert figure(exact, "spend") == (1500.0, 5)
