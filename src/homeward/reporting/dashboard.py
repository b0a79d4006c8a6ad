"""The dashboard's figures: returns per month and per destination, the pipeline, budget burn,
overdue tasks and upcoming departures of one scope, as one JSON-ready document.

Rule: the page and the API show the same document. For a scope that must be suppressed
(``Scope.suppress``: a programme viewer, an administrator) every count below the threshold,
zero included, is ``"<N"``, and no case reference leaves this module: upcoming departures are
then counts per week and destination only. Money is not a count of people and is shown as is.

Document shape (every count may be ``"<N"`` when suppressed)::

    {"programme": {...}, "period": {"from", "to"}, "missions": ["GR"], "today": "2026-03-02",
     "suppression": {"threshold": 5, "applied": true},
     "returns_by_month": {"rows": [{"key", "label", "persons", "cases"}], "total": {"persons", "cases"}},
     "returns_by_destination": {"rows": [...], "total": {...}},
     "pipeline": {"stages": [{"key", "label", "value"}], "exits": [...], "total": n},
     "budget": {"currency", "on", "lines": [{"key", "label", "budgeted", "committed", "paid",
                                             "remaining", "missing_rate"}], "totals": {...}},
     "overdue_tasks": {"rows": [{"key", "label", "value"}], "total": n},
     "upcoming_departures": {"within_14_days": {"cases", "persons"}, "within_30_days": {...},
                             "weeks": [{"key", "label", "cases", "persons"}],
                             "destinations": [{"key", "label", "cases", "persons"}],
                             "cases": [{"reference", "departs_at", "destination", "travellers"}]}}

``cases`` is present only for someone who may open every case counted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries import countries

from homeward.accounts.models import Mission
from homeward.cases.models import Case, CaseMember, CaseStatus
from homeward.cases.selectors import cases_visible_to
from homeward.cases.workflow import MAIN_PATH
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.reporting import selectors
from homeward.reporting.compute import departed_cases, moved_cases
from homeward.reporting.figures import is_suppressed, suppress_cells, suppress_count
from homeward.reporting.periods import Period, month_of, parse_period
from homeward.reporting.selectors import Scope

Doc = dict[str, Any]
HORIZON_DAYS = 30  # upcoming departures: the next 30 days, in weeks from today
SOON_DAYS = 14
UNKNOWN = "unknown"


# ---------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """What the dashboard is asked for, read from the query string."""

    programme: Programme
    period: Period
    mission: int | None  # None: every mission the user reports on


def default_programme(user: Any) -> Programme | None:
    return selectors.report_programmes(user).first()


def read_filters(user: Any, params: Any) -> Filters:
    """``programme``, ``mission``, ``from``, ``to`` from a query string.

    An unknown programme (or one the user may not see) is a 404; a bad period or
    mission is refused in words (ServiceError). The period defaults to the programme's life.
    """
    raw = (params.get("programme") or "").strip()
    if raw:
        if not raw.isdigit():
            raise Http404
        programme = selectors.report_programme_for(user, int(raw))
    else:
        programme = default_programme(user)
        if programme is None:
            raise Http404
    period = parse_period(params.get("from"), params.get("to"), default=Period(programme.start, programme.end))
    raw_mission = (params.get("mission") or "").strip()
    if raw_mission and not raw_mission.isdigit():
        message = _("Choose a mission from the list.")
        raise ServiceError(message, {"mission": [message]})
    return Filters(programme, period, int(raw_mission) if raw_mission else None)


# ---------------------------------------------------------------- the panels


def _country(code: str) -> str:
    return (str(countries.name(code)) or code) if code else _("not known")


def returns_panels(scope: Scope) -> tuple[Doc, Doc]:
    """Persons and cases departed in the period, per month and per destination country.

    The same cases as the report's "persons assisted to return" (compute.departed_cases),
    so these totals equal that indicator.
    """
    cases = departed_cases(scope)
    rows = list(cases.values_list("pk", "departed_at", "destination_country"))
    # Counted over the cheap superset of the cases that moved: the first-departure subqueries run once.
    moved = moved_cases(scope).values("pk")
    sizes = dict(CaseMember.objects.filter(case__in=moved).values_list("case_id").annotate(n=Count("pk")).order_by())
    months: dict[str, Counter[str]] = {m: Counter() for m in scope.period.months()}
    destinations: dict[str, Counter[str]] = {}
    for pk, at, country in rows:
        for bucket in (
            months[month_of(timezone.localdate(at))],
            destinations.setdefault(str(country or ""), Counter()),
        ):
            bucket["cases"] += 1
            bucket["persons"] += sizes.get(pk, 0)
    total = {"persons": sum(sizes.get(pk, 0) for pk, _at, _c in rows), "cases": len(rows)}
    by_month = [
        {"key": key, "label": date_format(dt.date.fromisoformat(f"{key}-01"), "M Y"),
         "persons": c["persons"], "cases": c["cases"]}
        for key, c in months.items()
    ]  # fmt: skip
    by_destination = [
        {"key": key or UNKNOWN, "label": _country(key), "persons": c["persons"], "cases": c["cases"]}
        for key, c in sorted(destinations.items(), key=lambda kv: (-kv[1]["persons"], kv[0]))
    ]
    return {"rows": by_month, "total": total}, {"rows": by_destination, "total": dict(total)}


def pipeline_panel(scope: Scope) -> Doc:
    """How many of the scope's cases are in each state now, whatever the period: the way home
    in workflow order, the ways out apart."""
    counts = dict(Case.objects.filter(scope.cases_q()).values_list("status").annotate(n=Count("pk")).order_by())
    labels = dict(CaseStatus.choices)

    def cells(statuses: Any) -> list[dict[str, Any]]:
        return [{"key": s, "label": str(labels[s]), "value": counts.get(s, 0)} for s in statuses]

    exits = [s for s in CaseStatus.values if s not in MAIN_PATH]
    return {"stages": cells(MAIN_PATH), "exits": cells(exits), "total": sum(counts.values())}


def budget_panel(programme: Programme) -> Doc:
    """Budgeted, committed (still open) and paid per budget line, in the programme's currency,
    to date and for the whole programme (budgets.selectors.programme_budget)."""
    from homeward.budgets.selectors import programme_budget

    budget = programme_budget(programme)
    lines = []
    for row in budget.lines:
        c = row.in_programme
        label = row.line.get_category_display() + (f" — {row.line.note}" if row.line.note else "")
        lines.append({
            "key": str(row.line.pk), "label": label, "currency": row.line.currency,
            "budgeted": float(c.budgeted) if c else None, "committed": float(c.committed) if c else None,
            "paid": float(c.spent) if c else None, "remaining": float(c.remaining) if c else None,
            "missing_rate": c is None,
        })  # fmt: skip
    totals = {name: float(budget.totals[name]) for name in ("budgeted", "committed", "remaining")}
    totals["paid"] = float(budget.totals["spent"])
    return {"currency": programme.currency, "on": budget.on.isoformat(), "lines": lines, "totals": totals}


def overdue_panel(scope: Scope, now: dt.datetime) -> Doc:
    """Open tasks past due on the scope's cases, for the scope's missions, per kind."""
    from homeward.work.models import Task, TaskKind

    counts = dict(
        Task.objects.filter(
            scope.cases_q("case__"), mission_id__in=scope.missions, status=Task.Status.OPEN, due_at__lt=now
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [{"key": k, "label": str(label), "value": counts[k]} for k, label in TaskKind.choices if k in counts]
    return {"rows": rows, "total": sum(counts.values())}


def upcoming_panel(user: Any, scope: Scope, now: dt.datetime) -> Doc:
    """Confirmed journeys of the scope's cases whose first flight leaves in the next 30 days
    (by the server's calendar), per week from today and per destination.

    Case references only for someone who may open every case counted, and only of cases it sees.
    """
    from homeward.travel.models import Itinerary

    today = timezone.localdate(now)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=HORIZON_DAYS)
    journeys = list(
        Itinerary.objects.filter(scope.cases_q("case__"), status=Itinerary.Status.CONFIRMED)
        .annotate(first_departure=Min("segments__departs_at"), travellers_count=Count("travellers", distinct=True))
        .filter(first_departure__gte=start, first_departure__lt=end)
        .values_list("case_id", "case__reference", "case__destination_country", "first_departure", "travellers_count")
        .order_by("first_departure", "pk")
    )
    weeks = []
    for n in range((HORIZON_DAYS + 6) // 7):
        first = today + dt.timedelta(days=7 * n)
        last = min(first + dt.timedelta(days=6), today + dt.timedelta(days=HORIZON_DAYS - 1))
        label = f"{date_format(first, 'j M')} – {date_format(last, 'j M')}"
        weeks.append({"key": first.isoformat(), "label": label, "cases": set(), "persons": 0})
    destinations: dict[str, dict[str, Any]] = {}
    soon: dict[str, Any] = {"cases": set(), "persons": 0}
    horizon: dict[str, Any] = {"cases": set(), "persons": 0}
    for case_id, _ref, country, departs, travellers in journeys:
        days = (timezone.localdate(departs) - today).days
        country = str(country or "")
        destination = destinations.setdefault(
            country or UNKNOWN,
            {"key": country or UNKNOWN, "label": _country(country), "cases": set(), "persons": 0},
        )
        buckets = [weeks[days // 7], destination, horizon] + ([soon] if days < SOON_DAYS else [])
        for bucket in buckets:
            bucket["cases"].add(case_id)
            bucket["persons"] += travellers

    def counted(bucket: dict[str, Any]) -> dict[str, Any]:
        return {**bucket, "cases": len(bucket["cases"])}

    panel: Doc = {
        "days": HORIZON_DAYS,
        "within_14_days": counted(soon),
        "within_30_days": counted(horizon),
        "weeks": [counted(w) for w in weeks],
        "destinations": [counted(d) for d in sorted(destinations.values(), key=lambda d: d["label"])],
    }
    if not scope.suppress:
        visible = set(cases_visible_to(user).filter(pk__in={j[0] for j in journeys}).values_list("pk", flat=True))
        panel["cases"] = [
            {"reference": ref, "departs_at": timezone.localtime(departs).isoformat(timespec="minutes"),
             "destination": _country(str(country or "")), "travellers": travellers}
            for case_id, ref, country, departs, travellers in journeys if case_id in visible
        ]  # fmt: skip
    return panel


# ---------------------------------------------------------------- the document


def compute_dashboard(user: Any, scope: Scope, *, now: dt.datetime | None = None) -> Doc:
    """Every panel of ``scope``, before suppression."""
    now = now or timezone.now()
    by_month, by_destination = returns_panels(scope)
    programme = scope.programme
    return {
        "programme": {"id": programme.pk, "code": programme.code, "name": programme.name,
                      "currency": programme.currency},
        "period": {"from": scope.period.start.isoformat(), "to": scope.period.end.isoformat()},
        "missions": sorted(Mission.objects.filter(pk__in=scope.missions).values_list("code", flat=True)),
        "today": timezone.localdate(now).isoformat(),
        "suppression": {"threshold": scope.threshold, "applied": False},
        "returns_by_month": by_month,
        "returns_by_destination": by_destination,
        "pipeline": pipeline_panel(scope),
        "budget": budget_panel(programme),
        "overdue_tasks": overdue_panel(scope, now),
        "upcoming_departures": upcoming_panel(user, scope, now),
    }  # fmt: skip


def _suppress_measures(rows: list[dict], total: dict[str, Any], measures: tuple[str, ...], t: int) -> tuple:
    """Suppress each measure of a breakdown as ``figures.suppress_cells`` does one."""
    rows = [dict(r) for r in rows]
    total = {m: suppress_count(total[m], t) for m in measures}
    for m in measures:
        cells = suppress_cells([{"key": i, "value": r[m]} for i, r in enumerate(rows)], t, total=total[m])
        for cell in cells:
            rows[cell["key"]][m] = cell["value"]
    return rows, total


def suppress_dashboard(doc: Doc, t: int) -> Doc:
    """A copy of ``doc`` fit for someone who must not single out a person: counts below ``t`` are ``"<t"``."""
    out = {**doc, "suppression": {"threshold": t, "applied": True}}
    pair = ("persons", "cases")
    for name in ("returns_by_month", "returns_by_destination"):
        rows, total = _suppress_measures(doc[name]["rows"], doc[name]["total"], pair, t)
        out[name] = {"rows": rows, "total": total}
    pipeline = doc["pipeline"]
    total = suppress_count(pipeline["total"], t)
    # Stages and exits together make up the total: suppress them as one breakdown.
    cells = suppress_cells([*pipeline["stages"], *pipeline["exits"]], t, total=total)
    out["pipeline"] = {"stages": cells[: len(pipeline["stages"])], "exits": cells[len(pipeline["stages"]) :],
                       "total": total}  # fmt: skip
    overdue = doc["overdue_tasks"]
    total = suppress_count(overdue["total"], t)
    out["overdue_tasks"] = {"rows": suppress_cells(overdue["rows"], t, total=total), "total": total}
    up = doc["upcoming_departures"]
    within_30 = {m: suppress_count(up["within_30_days"][m], t) for m in pair}
    weeks, _t = _suppress_measures(up["weeks"], up["within_30_days"], pair, t)
    destinations, _t = _suppress_measures(up["destinations"], up["within_30_days"], pair, t)
    out["upcoming_departures"] = {
        "days": up["days"],
        "within_14_days": {m: suppress_count(up["within_14_days"][m], t) for m in pair},
        "within_30_days": within_30,
        "weeks": weeks,
        "destinations": destinations,
    }  # no "cases": never a reference
    return out


def dashboard_for(user: Any, filters: Filters, *, now: dt.datetime | None = None) -> Doc:
    """The dashboard document of the user's scope, suppressed where it must be.

    A mission the user does not report on is refused in words (selectors.scope_for).
    """
    missions = [filters.mission] if filters.mission is not None else None
    scope = selectors.scope_for(user, filters.programme, filters.period, missions)
    doc = compute_dashboard(user, scope, now=now)
    return suppress_dashboard(doc, scope.threshold) if scope.suppress else doc


# ---------------------------------------------------------------- the charts


def _number(value: Any) -> float | int | None:
    """What a chart draws: a suppressed or missing figure is not drawn (null), never a guess."""
    return None if value is None or is_suppressed(value) else value


def charts(doc: Doc) -> dict[str, dict[str, Any]]:
    """Chart.js data for each chart of the page, from the (possibly suppressed) document."""

    def series(rows: list[dict], *measures: tuple[str, str], **options: Any) -> dict[str, Any]:
        return {
            "type": "bar",
            "labels": [r["label"] for r in rows],
            "datasets": [{"label": label, "data": [_number(r[m]) for r in rows]} for m, label in measures],
            **options,
        }

    persons, cases = ("persons", _("persons")), ("cases", _("cases"))
    up = doc["upcoming_departures"]
    budget = [line for line in doc["budget"]["lines"] if not line["missing_rate"]]
    return {
        "returns_by_month": series(doc["returns_by_month"]["rows"], persons, cases),
        "returns_by_destination": series(doc["returns_by_destination"]["rows"], persons, cases, horizontal=True),
        "pipeline": series(doc["pipeline"]["stages"], ("value", _("cases")), horizontal=True),
        "exits": series(doc["pipeline"]["exits"], ("value", _("cases")), horizontal=True),
        "budget": series(
            budget, ("budgeted", _("budgeted")), ("committed", _("committed")), ("paid", _("paid")), money=True
        ),
        "overdue_tasks": series(doc["overdue_tasks"]["rows"], ("value", _("tasks")), horizontal=True),
        "upcoming_departures": series(up["weeks"], persons, cases),
    }
