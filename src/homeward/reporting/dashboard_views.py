"""The dashboard page: filters, charts drawn in the browser (static/homeward/dashboard.js with the
vendored Chart.js) and, one click away, the table of the same numbers (in the HTML, so it works
without JavaScript).

Read-only. The figures come from ``reporting.dashboard``, already suppressed for aggregate-only
users; this module only lays them out, and links a case reference only when the document has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from homeward.core.errors import ServiceError
from homeward.reporting import dashboard, selectors
from homeward.reporting.figures import display, is_suppressed
from homeward.reporting.indicators import Unit

# ---------------------------------------------------------------- tables for the template


@dataclass(frozen=True)
class Cell:
    text: str
    suppressed: bool = False
    href: str = ""
    numeric: bool = True


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[tuple[str, list[Cell]]]  # (row header, cells)
    footer: tuple[str, list[Cell]] | None = None
    left: int = 1  # the leading columns that are words, aligned left; the others are numbers


@dataclass
class Part:
    """A chart and its table; without a chart the table is shown open."""

    table: Table
    chart: str = ""
    chart_label: str = ""

    @property
    def hidden(self) -> bool:
        """Some bar of the chart is not drawn: its count is suppressed (the table says "<N")."""
        return any(c.suppressed for _label, cells in self.table.rows for c in cells)


@dataclass
class Panel:
    name: str
    title: str
    note: str
    parts: list[Part] = field(default_factory=list)


def cell(value: Any, unit: str | None = None) -> Cell:
    return Cell(display(value, unit), suppressed=is_suppressed(value))


def _pairs(rows: list[dict], total: dict[str, Any] | None, caption: str, first: str) -> Table:
    headers = [first, _("Persons"), _("Cases")]
    body = [(r["label"], [cell(r["persons"]), cell(r["cases"])]) for r in rows]
    foot = (_("Total"), [cell(total["persons"]), cell(total["cases"])]) if total is not None else None
    return Table(caption, headers, body, foot)


def _counts(rows: list[dict], total: Any, caption: str, first: str, measure: str) -> Table:
    body = [(r["label"], [cell(r["value"])]) for r in rows]
    return Table(caption, [first, measure], body, (_("Total"), [cell(total)]) if total is not None else None)


def _budget_table(budget: dict[str, Any]) -> Table:
    measures = ("budgeted", "committed", "paid", "remaining")
    return Table(
        _("Budget burn per budget line, in %(currency)s") % {"currency": budget["currency"]},
        [_("Budget line"), _("Budgeted"), _("Committed"), _("Paid"), _("Remaining")],
        [(line["label"], [cell(line[m], Unit.MONEY) for m in measures]) for line in budget["lines"]],
        (_("Total"), [cell(budget["totals"][m], Unit.MONEY) for m in measures]),
    )


def _departing_cases(cases: list[dict[str, Any]]) -> Table:
    """Only in a document for someone who may open every case counted: each reference links to its case."""
    rows = []
    for case in cases:
        departs = parse_datetime(case["departs_at"])
        when = date_format(departs, "SHORT_DATETIME_FORMAT") if departs else case["departs_at"]
        href = reverse("cases:detail", kwargs={"reference": case["reference"]})
        cells = [Cell(case["reference"], href=href, numeric=False), Cell(case["destination"], numeric=False)]
        rows.append((when, [*cells, cell(case["travellers"])]))
    headers = [_("Departs"), _("Case"), _("Destination"), _("Travellers")]
    return Table(_("The cases departing"), headers, rows, left=3)


def _upcoming(up: dict[str, Any]) -> Panel:
    days = up["days"]
    note = _(
        "Confirmed journeys whose first flight leaves in the next %(days)s days. "
        "Cases leaving within 14 days: %(soon)s; within %(days)s days: %(later)s."
    ) % {"days": days, "soon": display(up["within_14_days"]["cases"]), "later": display(up["within_30_days"]["cases"])}
    weeks = _pairs(up["weeks"], up["within_30_days"], _("Upcoming departures per week"), _("Week"))
    label = _("Bar chart: persons and cases departing per week in the next %(days)s days") % {"days": days}
    destinations = _pairs(
        up["destinations"], up["within_30_days"], _("Upcoming departures per destination"), _("Destination country")
    )
    parts = [Part(weeks, "upcoming_departures", label), Part(destinations)]
    if "cases" in up:
        parts.append(Part(_departing_cases(up["cases"])))
    return Panel("upcoming_departures", _("Upcoming departures"), note, parts)


def panels(doc: dict[str, Any]) -> list[Panel]:
    """The page's panels, in reading order, from the dashboard document."""
    month, dest, pipeline, overdue = (
        doc["returns_by_month"], doc["returns_by_destination"], doc["pipeline"], doc["overdue_tasks"]
    )  # fmt: skip
    by_month = _pairs(month["rows"], month["total"], _("Returns per month"), _("Month"))
    by_destination = _pairs(dest["rows"], dest["total"], _("Returns by destination country"), _("Country"))
    stages = _counts(
        pipeline["stages"], pipeline["total"], _("Cases per state of the way home"), _("State"), _("Cases")
    )
    exits = _counts(pipeline["exits"], None, _("Cases that left the workflow"), _("Way out"), _("Cases"))
    tasks = _counts(overdue["rows"], overdue["total"], _("Overdue tasks by kind"), _("Task"), _("Tasks"))
    return [
        Panel(
            "returns_by_month",
            _("Returns per month"),
            _("Persons and cases that departed in the period, by the month of departure."),
            [Part(by_month, "returns_by_month", _("Bar chart: persons and cases departed per month"))],
        ),
        Panel(
            "returns_by_destination",
            _("Returns by destination country"),
            _("Persons and cases that departed in the period, by the country they returned to."),
            [
                Part(
                    by_destination,
                    "returns_by_destination",
                    _("Bar chart: persons and cases departed per destination country"),
                )
            ],
        ),
        Panel(
            "pipeline",
            _("The pipeline"),
            _("How many cases are in each state now, whatever the period: the way home in order, the ways out apart."),
            [
                Part(stages, "pipeline", _("Funnel: cases in each state of the workflow, in order")),
                Part(exits, "exits", _("Bar chart: cases in each way out of the workflow")),
            ],
        ),
        Panel(
            "budget",
            _("Budget burn"),
            _(
                "The whole programme to date, every mission: committed is what approved plans, grants and orders "
                "still hold; paid is what was paid. Lines without an exchange rate are not drawn."
            ),
            [
                Part(
                    _budget_table(doc["budget"]), "budget", _("Bar chart: budgeted, committed and paid per budget line")
                )
            ],
        ),
        Panel(
            "overdue_tasks",
            _("Overdue tasks"),
            _("Open tasks past their due date now, on the cases counted, by what they ask for."),
            [Part(tasks, "overdue_tasks", _("Bar chart: overdue tasks per kind"))],
        ),
        _upcoming(doc["upcoming_departures"]),
    ]


# ---------------------------------------------------------------- the page


def _filter_choices(user: Any, programme: Any) -> dict[str, Any]:
    return {
        "programmes": selectors.report_programmes(user),
        "missions": selectors.report_missions(user, programme) if programme is not None else [],
    }


@require_GET
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """``?programme=&mission=&from=&to=``: an unknown programme is a 404, a bad period or mission a 400 in words."""
    user = request.user
    if not selectors.may_report(user):
        raise PermissionDenied(_("The dashboard is for those who see a programme's figures."))
    context: dict[str, Any] = {"params": request.GET}
    if not request.GET.get("programme") and dashboard.default_programme(user) is None:
        return render(request, "reporting/dashboard.html", {**context, **_filter_choices(user, None)})
    try:
        filters = dashboard.read_filters(user, request.GET)
    except ServiceError as error:
        programme = _programme_or_default(user, request.GET.get("programme"))
        context |= {"error": error, "programme": programme, **_filter_choices(user, programme)}
        return render(request, "reporting/dashboard.html", context, status=400)
    context |= {"programme": filters.programme, "filters": filters, **_filter_choices(user, filters.programme)}
    try:
        doc = dashboard.dashboard_for(user, filters)
    except ServiceError as error:
        return render(request, "reporting/dashboard.html", {**context, "error": error}, status=400)
    context |= {"doc": doc, "panels": panels(doc), "charts": dashboard.charts(doc),
                "suppressed": doc["suppression"]["applied"]}  # fmt: skip
    return render(request, "reporting/dashboard.html", context)


def _programme_or_default(user: Any, raw: str | None) -> Any:
    """The programme asked for (404 when unknown), for the form of a refused request."""
    raw = (raw or "").strip()
    if raw.isdigit():
        return selectors.report_programme_for(user, int(raw))
    if raw:
        raise Http404
    return dashboard.default_programme(user)
