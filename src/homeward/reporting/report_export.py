"""The donor report's figures as tables: a summary per indicator and a tidy table of its breakdowns.

Rule: the tables are made from the report document the user gets
(``selectors.report_for``), so they hold exactly what the page shows, suppressed
where it must be: a programme viewer's export says "<5" where the page does, and
holds no name and no case reference, because the document holds none.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from homeward.accounts.models import Mission
from homeward.core.errors import ServiceError
from homeward.reporting import selectors
from homeward.reporting.export_sources import table_source
from homeward.reporting.figures import Doc
from homeward.reporting.indicators import DIMENSIONS
from homeward.reporting.periods import Period, parse_period
from homeward.reporting.tables import Column, Table

TABLES = ("summary", "breakdowns", "all")


def _context_columns() -> list[Column]:
    # Each row says which programme and period it counts, so exported files can be stacked.
    return [
        Column(gettext_lazy("Programme"), "#activity+code"),
        Column(gettext_lazy("From"), "#date+start"),
        Column(gettext_lazy("To"), "#date+end"),
    ]


def _context(doc: Doc) -> list[Any]:
    return [doc["programme"]["code"], doc["period"]["from"], doc["period"]["to"]]


def summary_table(doc: Doc) -> Table:
    """One row per indicator: its value, target, % of target and what a rate rests on."""
    columns = [
        *_context_columns(),
        Column(gettext_lazy("Indicator code"), "#indicator+code"),
        Column(gettext_lazy("Section"), "#sector"),
        Column(gettext_lazy("Indicator"), "#indicator+name"),
        Column(gettext_lazy("Unit"), "#indicator+unit"),
        Column(gettext_lazy("Value"), "#indicator+value"),
        Column(gettext_lazy("Target"), "#indicator+target"),
        Column(gettext_lazy("Target period"), "#indicator+target+period"),
        Column(gettext_lazy("Share of target (%)"), "#indicator+pct+target"),
        Column(gettext_lazy("Basis"), "#indicator+basis"),
    ]
    rows = [
        [
            *_context(doc),
            code,
            str(figure.get("section") or ""),
            str(figure.get("name") or code),
            figure.get("unit") or "",
            figure.get("value"),
            figure.get("target"),
            figure.get("target_period") or "",
            figure.get("percent_of_target"),
            figure.get("basis"),
        ]
        for code, figure in doc["indicators"].items()
    ]
    return Table(title=_("Indicators"), columns=columns, rows=rows, slug=f"{_slug(doc)}-summary")


def breakdowns_table(doc: Doc) -> Table:
    """Every disaggregation cell, one per row (indicator, dimension, key, label, value): tidy data."""
    columns = [
        *_context_columns(),
        Column(gettext_lazy("Indicator code"), "#indicator+code"),
        Column(gettext_lazy("Indicator"), "#indicator+name"),
        Column(gettext_lazy("Dimension code"), "#meta+dimension+code"),
        Column(gettext_lazy("Dimension"), "#meta+dimension+name"),
        Column(gettext_lazy("Key"), "#meta+category+code"),
        Column(gettext_lazy("Label"), "#meta+category+name"),
        Column(gettext_lazy("Value"), "#indicator+value"),
    ]
    rows = [
        [
            *_context(doc),
            code,
            str(figure.get("name") or code),
            dimension,
            str(DIMENSIONS[dimension].name) if dimension in DIMENSIONS else dimension,
            cell.get("key"),
            str(cell.get("label") or ""),
            cell.get("value"),
        ]
        for code, figure in doc["indicators"].items()
        for dimension, cells in figure.get("disaggregations", {}).items()
        for cell in cells
    ]
    return Table(title=_("Breakdowns"), columns=columns, rows=rows, slug=f"{_slug(doc)}-breakdowns")


def doc_tables(doc: Doc, which: str = "all") -> list[Table]:
    """The tables of a report document: ``summary``, ``breakdowns`` or ``all`` (both)."""
    if which not in TABLES:
        message = _("Choose the summary, the breakdowns or all tables, not “%(table)s”.") % {"table": which[:20]}
        raise ServiceError(message, {"table": [message]})
    tables = []
    if which in ("summary", "all"):
        tables.append(summary_table(doc))
    if which in ("breakdowns", "all"):
        tables.append(breakdowns_table(doc))
    return tables


def _slug(doc: Doc) -> str:
    code = slugify(doc["programme"]["code"]) or "programme"
    return f"report-{code}-{doc['period']['from']}-{doc['period']['to']}"


def _missions(values: list[str]) -> list[int]:
    """Missions named by id or by code; one that does not exist is refused in words."""
    codes = [v.strip().upper() for v in values if v.strip() and not v.strip().isdigit()]
    ids = [int(v) for v in values if v.strip().isdigit()]
    found = dict(Mission.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [code for code in codes if code not in found]
    if unknown:
        message = _("There is no mission %(codes)s.") % {"codes": ", ".join(unknown)[:60]}
        raise ServiceError(message, {"mission": [message]})
    return [*ids, *found.values()]


@table_source("report")
def report_tables(user: Any, params: QueryDict) -> list[Table]:
    """The report of ``programme`` (an id) for the period ``from``–``to`` (the programme's life by default)."""
    try:
        programme = selectors.report_programme_for(user, int(params.get("programme", "")))
    except ValueError:
        raise Http404 from None
    period = parse_period(params.get("from"), params.get("to"), default=Period(programme.start, programme.end))
    doc = selectors.report_for(user, programme, period, _missions(params.getlist("mission")) or None)
    return doc_tables(doc, params.get("table") or "all")
