"""The donor report as an XLSX workbook: the same rows as the page (``report_layout``), numbers as numbers.

Sheets: "Summary" (one row per indicator: achieved, target, % of target, basis),
"Breakdowns" (a tidy long table: one row per indicator, breakdown and cell) and
"About" (the programme, period, missions, when the figures were computed or frozen,
suppression, and the narrative of a saved report). Each number cell carries the
number format that shows it as ``figures.display`` prints it on the page and in the PDF.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from homeward.reporting import report_layout
from homeward.reporting.figures import Doc, display
from homeward.reporting.indicators import Unit
from homeward.reporting.models import DonorReport
from homeward.reporting.tables import XLSX_MAX_TEXT

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell starting with one of these as a formula: text must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: Any) -> str:
    """Text as text: not run as a formula, without the control characters a worksheet refuses
    (a vertical tab pasted from Word), within a cell's length."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(text))[:XLSX_MAX_TEXT]
    return "'" + text if text.startswith(FORMULA_START) else text


def _put(sheet: Any, row: int, column: int, value: Any, unit: str | None) -> None:
    """A number as a number with the format that prints it like the page; anything else as its printed text."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, int | float) and not isinstance(value, bool):
        cell.value = value
        cell.number_format = report_layout.number_format(unit, value)
    else:
        cell.value = _safe(display(value, unit))
        cell.alignment = Alignment(horizontal="right")


def _header(sheet: Any, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def summary_header() -> list[str]:
    return [_("Section"), _("Code"), _("Indicator"), _("Unit"), _("Achieved"), _("Target"), _("Share of target (%)"),
            _("Basis"), _("Basis of")]  # fmt: skip


def breakdown_header() -> list[str]:
    return [_("Code"), _("Indicator"), _("Breakdown"), _("Key"), _("Group"), _("Value")]


def _summary(sheet: Any, sections: list[report_layout.Section]) -> None:
    sheet.title = _("Summary")[:31]
    _header(sheet, summary_header())
    n = 1
    for section in sections:
        for row in section.rows:
            n += 1
            for column, text in enumerate((section.name, row.code, row.name, row.unit), start=1):
                sheet.cell(row=n, column=column, value=_safe(text))
            _put(sheet, n, 5, row.value, row.unit)
            _put(sheet, n, 6, row.target, row.unit)
            _put(sheet, n, 7, row.percent, Unit.PERCENT)
            if row.basis is not None:
                _put(sheet, n, 8, row.basis, None)
                sheet.cell(row=n, column=9, value=_safe(row.basis_name))
    for column, width in zip("ABCDEFGHI", (24, 28, 48, 10, 12, 12, 12, 10, 14), strict=True):
        sheet.column_dimensions[column].width = width


def _breakdowns(sheet: Any, sections: list[report_layout.Section]) -> None:
    sheet.title = _("Breakdowns")[:31]
    _header(sheet, breakdown_header())
    n = 1
    for section in sections:
        for row in section.rows:
            for breakdown in row.breakdowns:
                for cell in breakdown.cells:
                    n += 1
                    for column, text in enumerate((row.code, row.name, breakdown.name, cell.key, cell.label), start=1):
                        sheet.cell(row=n, column=column, value=_safe(text))
                    _put(sheet, n, 6, cell.value, row.unit)
    for column, width in zip("ABCDEF", (28, 48, 28, 16, 36, 12), strict=True):
        sheet.column_dimensions[column].width = width


def about_rows(doc: Doc, report: DonorReport | None) -> list[tuple[str, str]]:
    programme, period = doc["programme"], doc["period"]
    rows = [
        (_("Programme"), f"{programme['code']} — {programme['name']}"),
        (_("Donor"), programme.get("donor", "")),
        (_("Period"), f"{period['from']} – {period['to']}"),
        (_("Missions"), ", ".join(doc.get("missions") or []) or _("all")),
        (_("Figures computed at"), doc.get("generated_at", "")),
    ]
    if doc.get("suppression", {}).get("applied"):
        threshold = doc["suppression"]["threshold"]
        rows.append((_("Small counts"), _("Counts below %(n)s are shown as <%(n)s.") % {"n": threshold}))
    if report is not None:
        rows.insert(0, (_("Report"), report.title))
        rows.append((_("Status"), report.get_status_display()))
        if report.submitted_at:
            rows.append((_("Submitted"), timezone.localtime(report.submitted_at).isoformat(timespec="minutes")))
        rows += [(title, getattr(report, name)) for name, title in report_layout.narrative_titles().items()]
    return rows


def _about(sheet: Any, doc: Doc, report: DonorReport | None) -> None:
    sheet.title = _("About")[:31]
    for label, value in about_rows(doc, report):
        sheet.append([_safe(label), _safe(value)])
    for cell in sheet["A"]:
        cell.font = Font(bold=True)
    for cell in sheet["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100


def report_xlsx(doc: Doc, report: DonorReport | None = None) -> bytes:
    sections = report_layout.sections(doc)
    book = Workbook()
    _summary(book.active, sections)
    _breakdowns(book.create_sheet(), sections)
    _about(book.create_sheet(), doc, report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
