"""Payments for accounting, as CSV and XLSX: the same rows in both (selectors.payment_rows)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from homeward.budgets.selectors import PaymentRow, payment_header
from homeward.programmes.models import Programme

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell starting with one of these as a formula: a note must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_FIELDS = ("budget_line", "source", "case_reference", "payee", "booked_by", "note")
NUMBER_FORMATS = {"A": "yyyy-mm-dd", "F": "#,##0.00", "H": "0.00000000", "I": "#,##0.00"}


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def values(row: PaymentRow) -> list[object]:
    """One row's cells in header order, text fields defused against formula injection."""
    return [
        row.booked_on,
        _safe(row.budget_line),
        _safe(row.source),
        _safe(row.case_reference),
        _safe(row.payee),
        row.original_amount,
        row.original_currency,
        row.rate,
        row.amount,
        row.currency,
        _safe(row.booked_by),
        _safe(row.note),
    ]


def filename(programme: Programme, date_from: dt.date, date_to: dt.date, extension: str) -> str:
    return f"payments-{slugify(programme.code)}-{date_from.isoformat()}-{date_to.isoformat()}.{extension}"


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def payments_csv(rows: Sequence[PaymentRow]) -> bytes:
    """UTF-8 with a byte order mark, so Excel reads the accents right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(payment_header())
    for row in rows:
        writer.writerow([_csv_cell(v) for v in values(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def payments_xlsx(rows: Sequence[PaymentRow]) -> bytes:
    """A header row, then numbers as numbers and dates as dates."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Payments")[:31]
    sheet.append(payment_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(values(row))
    for column, number_format in NUMBER_FORMATS.items():
        for cell in sheet[column][1:]:
            cell.number_format = number_format
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
