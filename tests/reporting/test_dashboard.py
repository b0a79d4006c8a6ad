"""The dashboard: a supervisor's numbers with links to the cases departing, a programme viewer's
numbers only, with small counts shown as "<5", the same figures as JSON, and bad filters refused."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.template.loader import get_template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.assistance import ledger
from homeward.budgets.selectors import programme_budget
from homeward.cases.models import Case, CaseStatus
from homeward.cases.workflow import MAIN_PATH
from homeward.programmes.models import Programme
from homeward.reporting.periods import Period
from homeward.reporting.selectors import report_for
from homeward.work.models import Task, TaskKind
from tests.factories import family_of_three, register_case
from tests.journey import book, set_status
from tests.money import entitled, line, money_programme, return_on

pytestmark = pytest.mark.django_db

URL = "/reports/dashboard/"
API = "/api/v1/dashboard"
PERIOD = {"from": "2026-01-01", "to": "2026-03-31"}
FAMILIES = ("Khan", "Popal", "Rahimi", "Sultani", "Wardak")


@dataclass
class World:
    programme: Programme
    cases: dict[str, Case]

    def identifying(self) -> list[str]:
        """What would single a person out: every case reference and every member's name."""
        words = []
        for case in Case.objects.prefetch_related("members__person"):
            words.append(case.reference)
            for member in case.members.all():
                words += [member.person.given_names, member.person.family_name]
        return words


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(gr: Mission, supervisor_gr: User, counsellor_gr: User, finance_gr: User) -> World:
    """GR/MONEY with five families of three: two returned in January 2026, one booked to leave
    in three days, one in counselling, one withdrawn; money booked; three overdue tasks."""
    programme = money_programme()
    cases = {}
    for family in FAMILIES:
        case = register_case(counsellor_gr, gr, family_of_three(family), counsellor=counsellor_gr)
        cases[family] = entitled(case, supervisor_gr, programme)
    for family, day in (("Khan", dt.date(2026, 1, 10)), ("Popal", dt.date(2026, 1, 20))):
        return_on(cases[family], supervisor_gr, day)
        set_status(cases[family], CaseStatus.ARRIVED)
    set_status(cases["Rahimi"], CaseStatus.TRAVEL_BOOKED)
    book(cases["Rahimi"], supervisor_gr, departs_in=dt.timedelta(days=3))
    set_status(cases["Sultani"], CaseStatus.IN_COUNSELLING)
    set_status(cases["Wardak"], CaseStatus.WITHDRAWN)
    today = timezone.localdate()
    ledger.entry_book(acting_user=supervisor_gr, budget_line=line(programme, "reintegration"), kind="commitment",
                      amount=Decimal("1200"), currency="EUR", booked_on=today, source="component:1")  # fmt: skip
    ledger.entry_book(acting_user=finance_gr, budget_line=line(programme, "cash_grants"), kind="payment",
                      amount=Decimal("300"), currency="EUR", booked_on=today, source="grant:1")  # fmt: skip
    past, future = timezone.now() - dt.timedelta(days=2), timezone.now() + dt.timedelta(days=2)
    Task.objects.filter(case__in=cases.values()).delete()  # only the tasks below
    for family, kind, due in (("Sultani", TaskKind.COUNSEL, past), ("Rahimi", TaskKind.PRE_DEPARTURE_CHECK, past),
                              ("Khan", TaskKind.CONFIRM_ARRIVAL, past), ("Popal", TaskKind.COUNSEL, future)):  # fmt: skip
        Task.objects.create(case=cases[family], kind=kind, mission=gr, role="counsellor", due_at=due)
    return World(programme, cases)


def _doc(user: User, **params: Any) -> dict[str, Any]:
    response = client_for(user).get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def _rows(panel: dict[str, Any], key: str = "key") -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in panel}


# ---------------------------------------------------------------- a supervisor


def test_supervisor_sees_the_numbers_and_the_cases_departing_linked(world: World, supervisor_gr: User) -> None:
    response = client_for(supervisor_gr).get(URL, {"programme": world.programme.pk, **PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    rahimi = world.cases["Rahimi"]
    assert f'href="/cases/{rahimi.reference}/"' in html
    assert "suppression-note" not in html
    assert 'class="text-end suppressed"' not in html
    assert "not drawn: see the table" not in html
    doc = response.context["doc"]
    january = _rows(doc["returns_by_month"]["rows"])["2026-01"]
    assert (january["persons"], january["cases"]) == (6, 2)
    assert doc["returns_by_month"]["total"] == {"persons": 6, "cases": 2}
    assert _rows(doc["returns_by_destination"]["rows"])["PK"]["persons"] == 6
    up = doc["upcoming_departures"]
    assert up["within_14_days"] == {"cases": 1, "persons": 3}
    assert [c["reference"] for c in up["cases"]] == [rahimi.reference]


def test_the_funnel_counts_cases_per_state_in_workflow_order_with_the_exits_apart(
    world: World, supervisor_gr: User
) -> None:
    pipeline = _doc(supervisor_gr, programme=world.programme.pk, **PERIOD)["pipeline"]
    assert [s["key"] for s in pipeline["stages"]] == list(MAIN_PATH)
    counts = {s["key"]: s["value"] for s in pipeline["stages"] if s["value"]}
    assert counts == {"arrived": 2, "travel_booked": 1, "in_counselling": 1}
    exits = {s["key"]: s["value"] for s in pipeline["exits"]}
    assert exits["withdrawn"] == 1
    assert set(exits) == {"withdrawn", "not_eligible", "no_show", "lost_contact", "cancelled"}
    assert pipeline["total"] == 5


def test_budget_burn_is_the_budget_selectors_figures(world: World, supervisor_gr: User) -> None:
    budget = _doc(supervisor_gr, programme=world.programme.pk, **PERIOD)["budget"]
    expected = programme_budget(world.programme)
    lines = _rows(budget["lines"])
    for row in expected.lines:
        got, c = lines[str(row.line.pk)], row.in_programme
        assert (got["budgeted"], got["committed"], got["paid"]) == (
            float(c.budgeted), float(c.committed), float(c.spent)
        )  # fmt: skip
    reintegration = lines[str(line(world.programme, "reintegration").pk)]
    assert (reintegration["budgeted"], reintegration["committed"], reintegration["paid"]) == (50000.0, 1200.0, 0.0)
    assert budget["totals"]["paid"] == 300.0


def test_overdue_tasks_count_open_tasks_past_due_by_kind(world: World, supervisor_gr: User) -> None:
    overdue = _doc(supervisor_gr, programme=world.programme.pk, **PERIOD)["overdue_tasks"]
    counts = {r["key"]: r["value"] for r in overdue["rows"]}
    assert counts == {"counsel": 1, "pre_departure_check": 1, "confirm_arrival": 1}  # the future one is not late
    assert overdue["total"] == 3


def test_each_chart_has_a_canvas_with_a_label_and_its_table_one_click_away(world: World, supervisor_gr: User) -> None:
    html = client_for(supervisor_gr).get(URL, {"programme": world.programme.pk, **PERIOD}).content.decode()
    canvases = re.findall(r'<canvas class="dashboard-chart" data-chart="(\w+)" role="img" aria-label="([^"]+)"', html)
    names = {name for name, _label in canvases}
    assert names == {"returns_by_month", "returns_by_destination", "pipeline", "exits", "budget", "overdue_tasks",
                     "upcoming_departures"}  # fmt: skip
    for name in names:
        assert f'<table class="table table-sm caption-top dashboard-table" data-table="{name}">' in html
    assert '<script id="dashboard-charts" type="application/json">' in html
    assert html.count("<details") >= len(names)


# ---------------------------------------------------------------- a programme viewer


def test_viewer_sees_small_counts_as_under_five_and_never_a_reference_or_name(world: World, viewer: User) -> None:
    response = client_for(viewer).get(URL, {"programme": world.programme.pk, **PERIOD})
    assert response.status_code == 200
    html = response.content.decode()
    for word in world.identifying():
        assert word not in html, word
    main = html[html.index("<main") :]
    assert 'href="/cases/' not in main  # no drill-down to a case
    assert 'id="suppression-note"' in html
    # January: 6 persons shown rounded to 5, 2 cases hidden; February: nothing, hidden as well.
    january = re.search(r"<tr><th scope=\"row\">Jan 2026</th>(.*?)</tr>", html).group(1)
    assert '<td class="text-end">5</td>' in january
    assert '<td class="text-end suppressed">&lt;5</td>' in january
    assert html.count('class="text-end suppressed"') > 10
    assert "&lt;5 not drawn: see the table." in html


def test_viewer_charts_do_not_draw_suppressed_counts(world: World, viewer: User) -> None:
    response = client_for(viewer).get(URL, {"programme": world.programme.pk, **PERIOD})
    charts = response.context["charts"]
    persons, cases = charts["returns_by_month"]["datasets"]
    assert persons["data"] == [5, None, None]  # 6, rounded to 5 in a breakdown
    assert cases["data"] == [None, None, None]
    assert all(v is None for v in charts["pipeline"]["datasets"][0]["data"])


def test_viewer_json_is_suppressed_and_has_no_reference_or_name(world: World, viewer: User) -> None:
    response = client_for(viewer).get(API, {"programme": world.programme.pk, **PERIOD})
    assert response.status_code == 200
    body = response.content.decode()
    for word in world.identifying():
        assert word not in body, word
    doc = response.json()
    assert doc["suppression"] == {"threshold": 5, "applied": True}
    assert "cases" not in doc["upcoming_departures"]
    assert doc["upcoming_departures"]["within_14_days"] == {"cases": "<5", "persons": "<5"}
    assert _rows(doc["returns_by_month"]["rows"])["2026-01"] == {
        "key": "2026-01", "label": "Jan 2026", "persons": 5, "cases": "<5"
    }  # fmt: skip
    assert doc["returns_by_month"]["total"] == {"persons": 6, "cases": "<5"}
    assert {r["value"] for r in doc["pipeline"]["stages"]} == {"<5"}
    assert doc["overdue_tasks"]["total"] == "<5"


def test_the_threshold_is_a_setting(world: World, viewer: User, settings: Any) -> None:
    settings.HOMEWARD_SMALL_COUNT_THRESHOLD = 7
    doc = _doc(viewer, programme=world.programme.pk, **PERIOD)
    assert doc["returns_by_month"]["total"] == {"persons": "<7", "cases": "<7"}


def test_supervisor_json_has_the_same_figures_as_the_page(world: World, supervisor_gr: User) -> None:
    page = client_for(supervisor_gr).get(URL, {"programme": world.programme.pk, **PERIOD}).context["doc"]
    api = _doc(supervisor_gr, programme=world.programme.pk, **PERIOD)
    for key in ("returns_by_month", "returns_by_destination", "pipeline", "budget", "overdue_tasks"):
        assert api[key] == page[key], key
    assert api["upcoming_departures"]["cases"][0]["reference"] == world.cases["Rahimi"].reference


# ---------------------------------------------------------------- filters and bad input


def test_a_period_ending_before_it_starts_is_refused_in_words(world: World, supervisor_gr: User) -> None:
    response = client_for(supervisor_gr).get(URL, {"programme": world.programme.pk, "from": "2026-03-01",
                                                    "to": "2026-01-01"})  # fmt: skip
    assert response.status_code == 400
    assert "The period ends (2026-01-01) before it starts (2026-03-01)." in response.content.decode()
    api = client_for(supervisor_gr).get(
        API, {"programme": world.programme.pk, "from": "2026-03-01", "to": "2026-01-01"}
    )
    assert api.status_code == 400
    assert "to" in api.json()["fields"]


def test_a_date_that_is_not_a_date_is_refused_in_words(world: World, supervisor_gr: User) -> None:
    response = client_for(supervisor_gr).get(URL, {"programme": world.programme.pk, "from": "31/01/2026"})
    assert response.status_code == 400
    assert "is not a date: write it as YYYY-MM-DD" in response.content.decode()


def test_another_missions_programme_is_404(world: World, supervisor_gr: User, ro: Mission) -> None:
    other = money_programme(missions=("RO",), code="RO/MONEY")
    assert client_for(supervisor_gr).get(URL, {"programme": other.pk}).status_code == 404
    assert client_for(supervisor_gr).get(API, {"programme": other.pk}).status_code == 404
    assert client_for(supervisor_gr).get(URL, {"programme": "nonsense"}).status_code == 404


def test_a_mission_the_user_does_not_report_on_is_refused(world: World, supervisor_gr: User, ro: Mission) -> None:
    response = client_for(supervisor_gr).get(URL, {"programme": world.programme.pk, "mission": ro.pk})
    assert response.status_code == 400
    assert "You do not see the figures of one of the missions asked for." in response.content.decode()
    assert client_for(supervisor_gr).get(API, {"programme": world.programme.pk, "mission": ro.pk}).status_code == 400


def test_filtering_by_a_mission_and_a_period_narrows_the_returns(
    world: World, supervisor_gr: User, gr: Mission
) -> None:
    doc = _doc(supervisor_gr, programme=world.programme.pk, mission=gr.pk, **{"from": "2026-01-15", "to": "2026-02-28"})
    assert doc["missions"] == ["GR"]
    assert doc["returns_by_month"]["total"] == {"persons": 3, "cases": 1}  # Popal only
    assert [r["key"] for r in doc["returns_by_month"]["rows"]] == ["2026-01", "2026-02"]


def test_without_filters_the_first_programme_over_its_whole_life(world: World, supervisor_gr: User) -> None:
    response = client_for(supervisor_gr).get(URL)
    assert response.status_code == 200
    assert response.context["doc"]["period"] == {"from": "2024-01-01", "to": "2030-12-31"}
    assert response.context["doc"]["returns_by_month"]["total"] == {"persons": 6, "cases": 2}


def test_a_counsellor_may_not_open_the_dashboard(world: World, counsellor_gr: User) -> None:
    assert client_for(counsellor_gr).get(URL).status_code == 403
    assert client_for(counsellor_gr).get(API).status_code == 403


# ---------------------------------------------------------------- the chart library


def test_chart_js_is_vendored_and_served_by_static(world: World, supervisor_gr: User) -> None:
    html = client_for(supervisor_gr).get(URL, {"programme": world.programme.pk}).content.decode()
    sources = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert "/static/vendor/chart.js-4.6.1/chart.umd.min.js" in sources
    assert "/static/homeward/dashboard.js" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    found = finders.find("vendor/chart.js-4.6.1/chart.umd.min.js")
    assert found is not None
    with open(found, encoding="utf-8") as vendored:
        assert "Chart.js v4.6.1" in vendored.read(200)
    assert finders.find("vendor/chart.js-4.6.1/LICENSE.md") is not None
    served = Client().get("/static/vendor/chart.js-4.6.1/chart.umd.min.js")
    assert served.status_code == 200


def test_no_dashboard_template_loads_a_script_from_elsewhere_or_runs_inline_code() -> None:
    for name in ("dashboard.html", "_dashboard_filters.html", "_dashboard_panel.html", "_dashboard_table.html"):
        with open(get_template(f"reporting/{name}").origin.name, encoding="utf-8") as template:
            source = template.read()
        assert not re.search(r"<script[^>]*src=[\"']?(https?:)?//", source), name
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", source), name
        assert "on" + "click=" not in source


def test_names_of_the_people_do_not_appear_for_a_viewer_even_with_one_case(gr: Mission, counsellor_gr: User,
                                                                           supervisor_gr: User, viewer: User) -> None:  # fmt: skip
    """One returnee alone in a month and a country: every count about them is hidden."""
    programme = money_programme()
    case = register_case(counsellor_gr, gr, [family_of_three("Noori")[0]], counsellor=counsellor_gr)
    entitled(case, supervisor_gr, programme)
    return_on(case, supervisor_gr, dt.date(2026, 2, 3))
    doc = _doc(viewer, programme=programme.pk, **PERIOD)
    assert doc["returns_by_destination"]["rows"][0]["persons"] == "<5"
    assert doc["returns_by_destination"]["total"] == {"persons": "<5", "cases": "<5"}
    assert case.reference not in str(doc)
    assert "Noori" not in str(doc)


def test_the_number_of_queries_does_not_grow_with_the_cases(
    world: World, supervisor_gr: User, counsellor_gr: User, gr: Mission
) -> None:
    client = client_for(supervisor_gr)
    params = {"programme": world.programme.pk, **PERIOD}
    client.get(API, params)  # warm the caches (countries, content types)
    with CaptureQueriesContext(connection) as before:
        client.get(API, params)
    for family in ("Ahmadi", "Baheer", "Hotak"):
        case = entitled(register_case(counsellor_gr, gr, family_of_three(family), counsellor=counsellor_gr),
                        supervisor_gr, world.programme)  # fmt: skip
        return_on(case, supervisor_gr, dt.date(2026, 2, 2))
        book(case, supervisor_gr, departs_in=dt.timedelta(days=10))
    with CaptureQueriesContext(connection) as after:
        response = client.get(API, params)
    assert response.json()["returns_by_month"]["total"] == {"persons": 15, "cases": 5}
    assert len(after.captured_queries) == len(before.captured_queries)


def test_returns_agree_with_the_donor_reports_persons_assisted(world: World, supervisor_gr: User) -> None:
    report = report_for(supervisor_gr, world.programme, Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
    assisted = report["indicators"]["persons_assisted"]
    doc = _doc(supervisor_gr, programme=world.programme.pk, **PERIOD)
    assert doc["returns_by_month"]["total"]["persons"] == assisted["value"] == 6
    months = {c["key"]: c["value"] for c in assisted["disaggregations"]["month"]}
    assert {r["key"]: r["persons"] for r in doc["returns_by_month"]["rows"]} == months


# ---------------------------------------------------------------- the dashboard's tables as an export


def test_the_dashboards_tables_export_suppressed_for_a_viewer_and_with_hxl(world: World, viewer: User) -> None:
    import io

    import openpyxl

    response = client_for(viewer).get(
        "/reports/export/dashboard/", {"programme": world.programme.pk, **PERIOD, "format": "xlsx", "hxl": "1"}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    month = next(rows for title, rows in sheets.items() if rows and rows[1][0] == "#date+month")
    assert month[1][1:] == ["#affected+returned", "#affected+cases"]
    assert "<5" in [cell for row in month[2:] for cell in row]
    text = repr(sheets)
    for word in world.identifying():
        assert word not in text
