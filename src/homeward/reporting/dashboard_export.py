"""The dashboard's tables as an export source (``/reports/export/dashboard/``): the same tables
the page shows under its charts, suppressed the same way, one sheet each."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils.text import slugify

from homeward.reporting import dashboard
from homeward.reporting.dashboard_views import Table as PageTable
from homeward.reporting.dashboard_views import panels
from homeward.reporting.export_sources import table_source
from homeward.reporting.tables import Column, Table

# HXL hashtags of each panel's columns, in the page's order (persons, then cases).
PERSONS_CASES = ["#affected+returned", "#affected+cases"]
TAGS = {
    "returns_by_month": ["#date+month", *PERSONS_CASES],
    "returns_by_destination": ["#country+name", *PERSONS_CASES],
    "upcoming_departures": ["#meta+label", *PERSONS_CASES],
}


def _table(panel: str, page: PageTable) -> Table:
    tags = TAGS.get(panel, ["#meta+label"])
    columns = [
        Column(header, tags[i] if i < len(tags) else "#indicator+value") for i, header in enumerate(page.headers)
    ]
    rows: list[list[Any]] = [[label, *(c.text for c in cells)] for label, cells in page.rows]
    if page.footer is not None:
        rows.append([page.footer[0], *(c.text for c in page.footer[1])])
    return Table(title=page.caption, columns=columns, rows=rows, slug=slugify(page.caption)[:30] or panel)


@table_source("dashboard")
def build(user: Any, params: QueryDict) -> list[Table]:
    """Every table of the user's dashboard for these filters; 404/refusals as on the page."""
    doc = dashboard.dashboard_for(user, dashboard.read_filters(user, params))
    return [_table(panel.name, part.table) for panel in panels(doc) for part in panel.parts]
