"""The donor report's page, PDF, XLSX and JSON print the same numbers, for an officer and for a programme viewer."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from homeward.accounts.models import Mission, User
from homeward.programmes.models import Programme
from homeward.reporting import report_layout, report_pdf
from homeward.reporting.figures import display
from homeward.reporting.indicators import INDICATORS, Unit
from tests.reporting.reports_data import PageFigures, paid, pdf_tokens, report_programme, returned_family

pytestmark = pytest.mark.django_db
Q1 = "from=2025-01-01&to=2025-03-31"


@pytest.fixture
def programme(counsellor_gr: User, finance_gr: User, gr: Mission) -> Programme:
    """Two families home in the first quarter of 2025 (6 persons), one more in May; 1,234.50 EUR paid in Q1."""
    programme = report_programme()
    paid(finance_gr, programme, "1234.50", dt.date(2025, 2, 15))
    returned_family(counsellor_gr, gr, programme, "Khan", dt.date(2025, 2, 10))
    returned_family(counsellor_gr, gr, programme, "Popal", dt.date(2025, 3, 5))
    returned_family(counsellor_gr, gr, programme, "Rahimi", dt.date(2025, 5, 20))
    return programme


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _outputs(user: User, programme: Programme, query: str = Q1) -> dict[str, Any]:
    client = _client(user)
    api = client.get(f"/api/v1/programmes/{programme.pk}/report?{query}")
    page = client.get(f"/reports/programmes/{programme.pk}/?{query}")
    xlsx = client.get(f"/reports/programmes/{programme.pk}/report.xlsx?{query}")
    pdf = client.get(f"/reports/programmes/{programme.pk}/report.pdf?{query}")
    assert (api.status_code, page.status_code, xlsx.status_code, pdf.status_code) == (200, 200, 200, 200)
    assert pdf.content.startswith(b"%PDF")
    doc = api.json()
    book = load_workbook(io.BytesIO(xlsx.content))
    return {
        "doc": doc,
        "page": PageFigures(page.content.decode()),
        "summary": {row[1].value: row for row in book["Summary"].iter_rows(min_row=2)},
        "breakdowns": {(r[0].value, r[2].value, r[3].value): r[5] for r in book["Breakdowns"].iter_rows(min_row=2)},
        # The PDF of the same document, as laid out on its pages.
        "pdf": pdf_tokens(report_pdf.report_html(doc)),
    }


# What each number format shows, written out: Excel prints the raw value this way.
SHOWN_BY = {
    "#,##0": lambda v: f"{v:,.0f}",
    "#,##0.0": lambda v: f"{v:,.1f}",
    "#,##0.00": lambda v: f"{v:,.2f}",
    "0.00": lambda v: f"{v:.2f}",
    '0.0"%"': lambda v: f"{v:.1f}%",
}


def _xlsx_text(cell: Any, unit: str | None) -> str:
    """What Excel shows: a number under its number format, or the text."""
    if isinstance(cell.value, int | float):
        return SHOWN_BY[cell.number_format](cell.value)
    return cell.value


def _assert_agree(out: dict[str, Any]) -> int:
    doc, page, summary, tokens = out["doc"], out["page"], out["summary"], out["pdf"]
    checked = 0
    for section in report_layout.sections(doc):
        for row in section.rows:
            figure = doc["indicators"][row.code]
            printed = {
                "value": display(report_layout.number(figure["value"], row.unit), row.unit),
                "target": display(report_layout.number(figure["target"], row.unit), row.unit),
                "percent_of_target": display(figure["percent_of_target"], Unit.PERCENT),
            }
            for field, text in printed.items():
                assert page.figures[row.code][field] == text, (row.code, field)
            line = summary[row.code]
            assert _xlsx_text(line[4], row.unit) == printed["value"], row.code
            assert _xlsx_text(line[5], row.unit) == printed["target"], row.code
            assert _xlsx_text(line[6], Unit.PERCENT) == printed["percent_of_target"], row.code
            at = tokens.index(row.code)
            assert tokens[at + 1 : at + 4] == list(printed.values()), row.code
            if figure["basis"] is not None:
                assert page.figures[row.code]["basis"].startswith(display(figure["basis"]))
                assert _xlsx_text(line[7], None) == display(figure["basis"])
            for breakdown in row.breakdowns:
                expected = []
                for cell in figure["disaggregations"][breakdown.dimension]:
                    text = display(report_layout.number(cell["value"], row.unit), row.unit)
                    assert page.cells[(row.code, breakdown.dimension, cell["key"])] == text
                    xlsx = out["breakdowns"][(row.code, breakdown.name, cell["key"])]
                    assert _xlsx_text(xlsx, row.unit) == text
                    expected += [cell["label"], text]
                    checked += 1
                start = tokens.index(breakdown.name, at)
                assert tokens[start + 1 : start + 1 + len(expected)] == expected, (row.code, breakdown.dimension)
    assert set(page.figures) == {i.code for i in INDICATORS} == set(summary)
    return checked


def test_page_pdf_xlsx_and_json_agree_for_an_officer(programme: Programme, supervisor_gr: User) -> None:
    out = _outputs(supervisor_gr, programme)
    assert _assert_agree(out) > 20
    persons = out["doc"]["indicators"]["persons_assisted"]
    # Compared with the first quarter's target (3), not the life of the programme's (10).
    assert (persons["value"], persons["target"], persons["percent_of_target"]) == (6, 3.0, 200.0)
    assert out["page"].figures["persons_assisted"] == {
        "value": "6", "target": "3", "percent_of_target": "200.0%", "basis": ""
    }  # fmt: skip
    assert out["page"].cells[("persons_assisted", "sex_age", "girls")] == "2"
    assert out["page"].cells[("persons_assisted", "case_type", "family")] == "6"
    # The donor's breakdowns only: the programme asks for no breakdown by month.
    assert not any(dim == "month" for _code, dim, _key in out["page"].cells)
    assert out["summary"]["persons_assisted"][4].value == 6
    assert out["page"].figures["spend"]["value"] == "1,234.50"
    assert out["summary"]["spend"][4].value == 1234.5


def test_the_year_compares_with_the_years_target(programme: Programme, supervisor_gr: User) -> None:
    out = _outputs(supervisor_gr, programme, "from=2025-01-01&to=2025-12-31")
    _assert_agree(out)
    members = out["doc"]["indicators"]["family_members_assisted"]
    assert (members["value"], members["target"], members["percent_of_target"]) == (6, 6.0, 100.0)
    assert out["page"].figures["persons_assisted"]["target"] == "—"  # no target for the year


def test_a_programme_viewer_gets_the_same_numbers_suppressed_everywhere(programme: Programme, viewer: User) -> None:
    out = _outputs(viewer, programme)
    _assert_agree(out)
    assert out["doc"]["suppression"]["applied"] is True
    assert out["doc"]["indicators"]["persons_assisted"]["value"] == 6
    assert out["page"].cells[("persons_assisted", "sex_age", "girls")] == "<5"
    assert out["page"].figures["family_cases"]["value"] == "<5"
    assert out["summary"]["family_cases"][4].value == "<5"
    assert "<5" in out["pdf"]
    assert "Small counts" in [row[0].value for row in load_workbook_about(viewer, programme)]


def load_workbook_about(user: User, programme: Programme) -> list[Any]:
    content = _client(user).get(f"/reports/programmes/{programme.pk}/report.xlsx?{Q1}").content
    return list(load_workbook(io.BytesIO(content))["About"].iter_rows())
