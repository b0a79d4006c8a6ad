"""The donor report laid out for people: sections, rows and breakdown cells, every number printed once.

The page, the PDF and the XLSX all read these rows, and every number in them is
printed by ``figures.display``: they cannot disagree. The XLSX writes the raw
value with ``number_format(unit)``, which shows what ``display`` prints.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.reporting.figures import Doc, display
from homeward.reporting.indicators import DIMENSIONS, INDICATORS, REGISTRY, Unit

UNIT_NAMES = {
    Unit.PERSONS: gettext_lazy("persons"),
    Unit.CASES: gettext_lazy("cases"),
    Unit.COUNT: gettext_lazy("a count (sessions, documents, visits, calls, items)"),
    Unit.RATIO: gettext_lazy("persons per case"),
    Unit.PERCENT: gettext_lazy("per cent"),
    Unit.SCORE: gettext_lazy("a score from 0 to 1"),
    Unit.MONEY: gettext_lazy("money, in the programme's currency"),
}


def generated_at(doc: Doc) -> dt.datetime | None:
    """When the document's figures were computed, for the template's date filter (in local time)."""
    return parse_datetime(doc.get("generated_at") or "")


def narrative_titles() -> dict[str, str]:
    return {"context": _("Context"), "challenges": _("Challenges"), "partnerships": _("Partnerships")}


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    value: Any
    text: str


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    name: str
    cells: list[Cell]


@dataclass
class Row:
    code: str
    name: str
    unit: str
    value: Any
    target: Any
    percent: Any
    basis: Any
    basis_name: str
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def value_text(self) -> str:
        return display(self.value, self.unit)

    @property
    def target_text(self) -> str:
        return display(self.target, self.unit)

    @property
    def percent_text(self) -> str:
        return display(self.percent, Unit.PERCENT)

    @property
    def basis_text(self) -> str:
        return "" if self.basis is None else display(self.basis)


@dataclass
class Section:
    name: str
    rows: list[Row]


def number(value: Any, unit: str | None) -> Any:
    """A value as it is printed: a whole target of a count is a whole number (200, not 200.0)."""
    if isinstance(value, float) and unit in (Unit.PERSONS, Unit.CASES, Unit.COUNT) and value.is_integer():
        return int(value)
    return value


# Breakdowns that are part of what an indicator says (spend per budget line, assistance by type,
# persons by case type and by vulnerability): shown whatever else the donor asks for.
ALWAYS = ("case_type", "vulnerability", "component_type", "budget_line")


def shown_dimensions(doc: Doc) -> list[str]:
    """The breakdowns the donor asks for (the programme's, kept in the frozen copy), then ``ALWAYS``."""
    asked = [d for d in doc.get("report_disaggregations") or [] if d in DIMENSIONS]
    return list(dict.fromkeys([*asked, *ALWAYS]))


def dimension_name(doc: Doc, key: str) -> str:
    return str(doc.get("dimensions", {}).get(key) or DIMENSIONS[key].name)


def sections(doc: Doc) -> list[Section]:
    """The document's indicators in registry order, grouped by section, with the donor's breakdowns."""
    wanted = shown_dimensions(doc)
    out: dict[str, Section] = {}
    figures = doc["indicators"]
    codes = [i.code for i in INDICATORS if i.code in figures] + [c for c in figures if c not in REGISTRY]
    for code in codes:
        figure = figures[code]
        indicator = REGISTRY.get(code)
        unit = figure.get("unit") or (indicator.unit if indicator else None)
        breakdowns = [
            Breakdown(
                dimension=dim,
                name=dimension_name(doc, dim),
                cells=[
                    Cell(c["key"], c["label"], number(c["value"], unit), display(number(c["value"], unit), unit))
                    for c in figure["disaggregations"][dim]
                ],
            )
            for dim in wanted
            if figure.get("disaggregations", {}).get(dim)
        ]
        row = Row(
            code=code,
            name=figure.get("name") or code,
            unit=unit,
            value=number(figure.get("value"), unit),
            target=number(figure.get("target"), unit),
            percent=figure.get("percent_of_target"),
            basis=figure.get("basis"),
            basis_name=str(indicator.basis) if indicator and indicator.basis else "",
            breakdowns=breakdowns,
        )
        section = figure.get("section") or (str(indicator.section) if indicator else "")
        out.setdefault(section, Section(section, [])).rows.append(row)
    return list(out.values())


def difference_rows(rows: list[dict[str, Any]], doc: Doc) -> list[dict[str, Any]]:
    """``figures.differences`` printed: what each figure was when submitted and what it is today."""
    field_names = {"value": _("value"), "basis": _("basis"), "target": _("target")}
    out = []
    for row in rows:
        figure = doc["indicators"].get(row["code"], {})
        unit = figure.get("unit") or (REGISTRY[row["code"]].unit if row["code"] in REGISTRY else None)
        if row["key"] == "basis" and not row["dimension"]:
            unit = None
        where = (
            f"{dimension_name(doc, row['dimension'])}: {row['label']}"
            if row["dimension"]
            else str(field_names.get(row["key"], row["key"]))
        )
        out.append({
            **row,
            "where": where,
            "before_text": display(number(row["before"], unit), unit),
            "after_text": display(number(row["after"], unit), unit),
        })  # fmt: skip
    return out


def number_format(unit: str | None, value: Any) -> str:
    """The XLSX number format that shows a raw value as ``figures.display`` prints it."""
    if unit == Unit.PERCENT:
        return '0.0"%"'
    if unit == Unit.MONEY:
        return "#,##0.00"
    if unit in (Unit.RATIO, Unit.SCORE):
        return "0.00"
    if isinstance(value, float):
        return "#,##0.0"
    return "#,##0"


# ---------------------------------------------------------------- quick periods


@dataclass(frozen=True)
class QuickPeriod:
    label: str
    start: dt.date
    end: dt.date


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _steps(start: dt.date, end: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    out, n = [], 0
    while (first := _add_months(start, n * months)) <= end:
        out.append((first, min(_add_months(start, (n + 1) * months) - dt.timedelta(days=1), end)))
        n += 1
    return out


def quick_periods(programme: Any) -> dict[str, list[QuickPeriod]]:
    """The periods a donor report is usually for: the life of the programme, each of its years and quarters.

    Years and quarters count from the programme's start (calendar ones when it starts on 1 January),
    so a report for one of them meets the target set for it.
    """
    start, end = programme.start, programme.end
    years = [
        QuickPeriod(str(a.year) if (a.month, a.day) == (1, 1) else f"{a.isoformat()} – {b.isoformat()}", a, b)
        for a, b in _steps(start, end, 12)
    ]
    quarters = [
        QuickPeriod(f"{a.year}-Q{(a.month - 1) // 3 + 1}" if a.day == 1 and a.month % 3 == 1 else
                    f"{a.isoformat()} – {b.isoformat()}", a, b)
        for a, b in _steps(start, end, 3)
    ]  # fmt: skip
    return {"life": [QuickPeriod(str(_("Life of the programme")), start, end)], "years": years, "quarters": quarters}
