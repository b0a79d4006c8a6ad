"""Reading a tracker: an XLSX workbook or a CSV file, into a header and numbered rows.

The type is sniffed from the content, never from the file's name: an XLSX is a
zip holding ``xl/workbook.xml``; anything else must be text (UTF-8, with or
without a byte-order mark, or Windows-1252/Latin-1, as Excel saves "CSV") with
``;`` or ``,`` between the values. Row numbers are the ones the person sees in
their spreadsheet, so every message can point at a row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from homeward.core.errors import ServiceError

Cell = str | int | float | dt.date | dt.datetime | None

# An old binary .xls workbook (OLE2); openpyxl cannot read it.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# A zip that inflates beyond this many times its size is refused (a "zip bomb").
_MAX_INFLATION = 50
# The header is looked for among the first rows: trackers often start with a title.
HEADER_SEARCH_ROWS = 10
_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


@dataclass
class Notice:
    """Something the reader changed or could not read, said to the person (``error`` blocks the import)."""

    row: int | None
    message: str
    error: bool = False


@dataclass
class Sheet:
    """What was read: the header row's cells, the data rows by spreadsheet row number, and notices."""

    kind: str  # "xlsx" or "csv"
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]
    notices: list[Notice] = field(default_factory=list)

    def column(self, index: int) -> list[Cell]:
        return [values[index] if index < len(values) else None for _n, values in self.rows]


def _refuse(message: str) -> ServiceError:
    return ServiceError(message, {"file": [message]})


def sniff(data: bytes) -> str:
    """``"xlsx"`` or ``"csv"`` from the content; ServiceError in words for anything else."""
    if not data:
        raise _refuse(_("The file is empty."))
    if data.startswith(_OLE2):
        raise _refuse(_("This is an old Excel file (.xls): open it in Excel and save it as .xlsx or .csv."))
    if data.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                inflated = sum(i.file_size for i in archive.infolist())
        except zipfile.BadZipFile:
            raise _refuse(_("The file looks like a spreadsheet but is damaged.")) from None
        if "xl/workbook.xml" not in names:
            raise _refuse(_("This file is not an Excel workbook (.xlsx) or a CSV file."))
        if inflated > _MAX_INFLATION * len(data) + 10_000_000:
            raise _refuse(_("This workbook is too large once unpacked."))
        return "xlsx"
    if b"\x00" in data[:4096]:
        raise _refuse(_("This file is not an Excel workbook (.xlsx) or a CSV file."))
    return "csv"


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without a BOM), else Windows-1252, else Latin-1."""
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(_("The file's characters could not be read."))  # pragma: no cover - latin-1 reads anything


def _delimiter(text: str) -> str:
    """``;`` (what Excel writes where the decimal separator is a comma) or ``,``: whichever splits the first lines more."""
    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    return ";" if head.count(";") > head.count(",") else ","


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _csv_rows(data: bytes) -> list[tuple[int, list[Cell]]]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    # The record's number is the row a spreadsheet shows when it opens the file.
    rows = []
    try:
        for number, values in enumerate(reader, start=1):
            rows.append((number, list(values)))
            _check_size(len(rows))
    except csv.Error:
        raise _refuse(
            _("Row %(row)s of the file cannot be read as CSV (a field too long or a quote left open).")
            % {"row": reader.line_num}
        ) from None
    return rows


# An upload holds at most this many rows: a tracker is thousands, not millions.
MAX_ROWS = 100_000


def _check_size(rows: int) -> None:
    if rows > MAX_ROWS:
        raise _refuse(_("The file has more than %(max)s rows: split it into several files.") % {"max": f"{MAX_ROWS:,}"})


def _xlsx_rows(data: bytes) -> tuple[list[tuple[int, list[Cell]]], list[Notice]]:
    import openpyxl

    try:
        # data_only: a formula's value as Excel last computed it (the cached value).
        # read_only streams the sheet: twice as fast on a large tracker.
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise _refuse(_("The workbook could not be read: it may be damaged.")) from None
    try:
        sheet = book.worksheets[0]
        notices: list[Notice] = []
        if len(book.worksheets) > 1:
            notices.append(
                Notice(
                    None,
                    _("Only the first sheet, “%(sheet)s”, is read; the others are left out.") % {"sheet": sheet.title},
                )
            )
        sheet.reset_dimensions()  # a wrong <dimension> written by another program would cut rows off
        grid: dict[int, list[Cell]] = {}
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not all(_blank(v) for v in values):
                grid[number] = list(values)
                _check_size(len(grid))
        merged = _merged_ranges(book._archive.read(sheet._worksheet_path))
    finally:
        book.close()
    notices.extend(_fill_merged(merged, grid))
    notices.extend(_formulas_without_value(data, grid))
    return sorted(grid.items()), notices


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')


def _merged_ranges(xml: bytes) -> list[Any]:
    """The sheet's merged ranges, read from its XML (the streaming reader does not keep them)."""
    from openpyxl.worksheet.cell_range import CellRange

    return [CellRange(ref.decode()) for ref in _MERGE_CELL.findall(xml)]


def _fill_merged(ranges: list[Any], grid: dict[int, list[Cell]]) -> list[Notice]:
    """Give every cell of a merged range the range's value (a family's reference merged down its rows), and say so."""
    notices = []
    # A range merged down whole columns stops at the last row and column holding data.
    last_row = max(grid, default=0)
    last_col = max((len(row) for row in grid.values()), default=0)
    for merged in sorted(ranges, key=lambda r: (r.min_row, r.min_col)):
        top = grid.get(merged.min_row)
        value = top[merged.min_col - 1] if top and merged.min_col - 1 < len(top) else None
        if _blank(value):
            continue
        max_row, max_col = min(merged.max_row, last_row), min(merged.max_col, last_col)
        for number in range(merged.min_row, max_row + 1):
            row = grid.setdefault(number, [])
            row.extend([None] * (max_col - len(row)))
            for col in range(merged.min_col - 1, max_col):
                row[col] = value
        if max_row > merged.min_row:
            notices.append(
                Notice(
                    merged.min_row,
                    _(
                        "Merged cells in rows %(first)s–%(last)s (%(cells)s): the value “%(value)s” was filled into each row."
                    )
                    % {"first": merged.min_row, "last": max_row, "cells": merged.coord, "value": value},
                )
            )
    return notices


def _formulas_without_value(data: bytes, grid: dict[int, list[Cell]]) -> list[Notice]:
    """A formula Excel never computed (written by another program) has no value to import: an error in words."""
    import openpyxl

    missing = [(n, c) for n, values in grid.items() for c, v in enumerate(values) if v is None]
    if not missing or not _has_formulas(data):
        return []
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    notices = []
    try:
        formulas: dict[tuple[int, int], str] = {}
        rows_wanted = {n for n, _c in missing}
        book.worksheets[0].reset_dimensions()
        for row in book.worksheets[0].iter_rows(min_row=min(rows_wanted), max_row=max(rows_wanted)):
            for cell in row:
                value = getattr(cell, "value", None)
                if isinstance(value, str) and value.startswith("=") and cell.row in rows_wanted:
                    formulas[(cell.row, cell.column - 1)] = value
        for number, col in missing:
            if (number, col) in formulas:
                notices.append(
                    Notice(
                        number,
                        _(
                            "Row %(row)s, cell %(cell)s: the formula %(formula)s has no value saved with it. "
                            "Open the file in Excel and save it again, or type the value."
                        )
                        % {"row": number, "cell": f"{_column_letter(col)}{number}", "formula": formulas[(number, col)]},
                        error=True,
                    )
                )
    finally:
        book.close()
    return notices


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet holds a formula (``<f>`` in its XML): only then is the workbook read a second time."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                if b"<f>" in xml or b"<f " in xml:
                    return True
    return False


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _looks_like_header(values: list[Cell]) -> int:
    """How many cells of a row are short labels; a header row has at least two and nothing else."""
    filled = [v for v in values if not _blank(v)]
    labels = [v for v in filled if isinstance(v, str) and not v.strip().replace(".", "").replace("/", "").isdigit()]
    return len(labels) if len(filled) >= 2 and len(labels) == len(filled) else 0


def _header_names(values: list[Cell]) -> list[str]:
    """The header's labels, with a name for unlabelled columns and repeated labels told apart."""
    names: list[str] = []
    for index, value in enumerate(values):
        name = str(value).strip() if not _blank(value) else _("Column %(letter)s") % {"letter": _column_letter(index)}
        candidate, n = name, 2
        while candidate in names:
            candidate, n = f"{name} ({n})", n + 1
        names.append(candidate)
    return names


def read(data: bytes) -> Sheet:
    """Read a tracker: header detected among the first rows, empty rows skipped, notices for what was changed."""
    kind = sniff(data)
    if kind == "xlsx":
        rows, notices = _xlsx_rows(data)
    else:
        rows, notices = _csv_rows(data), []
    rows = [(n, values) for n, values in rows if not all(_blank(v) for v in values)]
    header_index = next(
        (i for i, (_n, values) in enumerate(rows[:HEADER_SEARCH_ROWS]) if _looks_like_header(values)), None
    )
    if header_index is None:
        raise _refuse(_("No header row was found: the first row of the table must name its columns."))
    header_number, header_values = rows[header_index]
    if header_index:
        notices.insert(
            0,
            Notice(
                None, _("The table's header is row %(row)s; the rows above it are left out.") % {"row": header_number}
            ),
        )
    width = max(len(values) for _n, values in rows[header_index:])
    headers = _header_names(list(header_values) + [None] * (width - len(header_values)))
    data_rows = [(n, list(values) + [None] * (width - len(values))) for n, values in rows[header_index + 1 :]]
    # Columns with neither a header nor a value are dropped (Excel's formatted but empty columns).
    keep = [i for i in range(width) if not _blank(header_values[i] if i < len(header_values) else None)
            or any(not _blank(values[i]) for _n, values in data_rows)]  # fmt: skip
    return Sheet(
        kind=kind,
        header_row=header_number,
        headers=[headers[i] for i in keep],
        rows=[(n, [values[i] for i in keep]) for n, values in data_rows],
        notices=[n for n in notices if n.row is None or n.row > header_number or n.error],
    )
