"""A table of figures as exports see it: a title, columns with their HXL hashtags, rows.

Pages, CSV and XLSX exports and background export jobs all take ``Table``; whoever
builds one has already scoped and suppressed its values.

The writers here are the one place that turns tables into files:

- ``iter_csv`` / ``as_csv``: one table, UTF-8 with a byte order mark (so Excel reads the
  accents right); text a spreadsheet would run as a formula gets a leading apostrophe.
- ``write_xlsx`` / ``as_xlsx``: one sheet per table, in openpyxl's write-only mode (rows
  go to a temporary file as they come, so a million rows never sit in memory as cells);
  text is written as text, so no cell is ever a formula.
- ``hxl=True`` adds a second row of HXL hashtags (https://hxlstandard.org) under the header.

Rows may be any iterable read once: a list, or a generator over a queryset's ``iterator()``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# The payments export found these first; both exports keep to the same rule.
from homeward.budgets.exports import CSV_TYPE, FORMULA_START, XLSX_TYPE

__all__ = ["CSV_TYPE", "XLSX_TYPE", "Column", "Table", "as_csv", "as_xlsx", "defuse", "iter_csv", "write_xlsx"]

# The most rows a worksheet holds; a longer table goes on to a second sheet.
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_TEXT = 32_767
CSV_CHUNK_ROWS = 500


@dataclass(frozen=True)
class Column:
    label: str
    hxl: str = ""  # e.g. "#affected+returned", "#country+code", "#adm1+name"; empty: no tag


@dataclass
class Table:
    title: str
    columns: list[Column]
    # A list, or anything iterable once (a generator over a queryset); ``len()`` when it has one.
    rows: Iterable[Sequence[Any]] = field(default_factory=list)
    # Short ASCII name for a file or a worksheet.
    slug: str = "table"

    @property
    def header(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    @property
    def hxl_tags(self) -> list[str]:
        return [column.hxl for column in self.columns]


def row_count(table: Table) -> int | None:
    """How many rows ``table`` has, when its rows can tell without being read."""
    return len(table.rows) if isinstance(table.rows, Sized) else None


def defuse(text: str) -> str:
    """Rule: a text cell that a spreadsheet would run as a formula (= + - @) is prefixed with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain(value: Any) -> Any:
    if isinstance(value, Promise):  # a lazy translation
        return str(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        # Spreadsheets have no time zones: the time as the person reads it here.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv_cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, str):
        return defuse(value)
    if isinstance(value, dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def iter_csv(table: Table, hxl: bool = False) -> Iterator[bytes]:
    """``table`` as CSV, in chunks of bytes: fit for a streaming response or a file written bit by bit."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([defuse(label) for label in table.header])
    if hxl:
        writer.writerow(table.hxl_tags)
    for number, row in enumerate(table.rows, start=1):
        writer.writerow([_csv_cell(value) for value in row])
        if number % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def as_csv(table: Table, hxl: bool = False) -> bytes:
    return b"".join(iter_csv(table, hxl))


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str):
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith("=") or value in ERROR_CODES or len(value) > XLSX_MAX_TEXT:
            # openpyxl would take "=…" for a formula and "#N/A" for an error: text stays text.
            cell = WriteOnlyCell(sheet, value[:XLSX_MAX_TEXT])
            cell.data_type = "s"
            return cell
    return value


def _sheet_title(title: str, taken: set[str]) -> str:
    base = "".join(ch for ch in str(title) if ch not in "[]:*?/\\").strip()[:31] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _new_sheet(book: Workbook, table: Table, taken: set[str], hxl: bool) -> Any:
    sheet = book.create_sheet(_sheet_title(table.title or table.slug, taken))
    for index, label in enumerate(table.header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(label) + 2, 10), 40)
    sheet.freeze_panes = "A3" if hxl else "A2"
    bold = Font(bold=True)
    header = []
    for label in table.header:
        cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", label)[:XLSX_MAX_TEXT])
        cell.data_type, cell.font = "s", bold
        header.append(cell)
    sheet.append(header)
    if hxl:
        sheet.append([_xlsx_cell(sheet, tag) for tag in table.hxl_tags])
    return sheet


def write_xlsx(tables: Sequence[Table], out: IO[bytes], hxl: bool = False) -> None:
    """Write ``tables`` to ``out`` as a workbook, one sheet per table (continued on another past a sheet's size)."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        sheet = _new_sheet(book, table, taken, hxl)
        used = 2 if hxl else 1
        for row in table.rows:
            if used == XLSX_MAX_ROWS:
                sheet, used = _new_sheet(book, table, taken, hxl), (2 if hxl else 1)
            sheet.append([_xlsx_cell(sheet, value) for value in row])
            used += 1
    if not tables:
        book.create_sheet("Sheet")
    book.save(out)


def as_xlsx(tables: Sequence[Table], hxl: bool = False) -> bytes:
    out = io.BytesIO()
    write_xlsx(tables, out, hxl)
    return out.getvalue()
