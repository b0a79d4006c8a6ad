"""Reading trackers: the type sniffed from the content, CSV encodings and delimiters, the header row,
empty rows, merged cells and formulas in workbooks built here with openpyxl."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest

from homeward.core.errors import ServiceError
from homeward.imports import reading
from tests.imports.conftest import HEADER, csv_bytes, xlsx

ROWS = [["T-1", "F1", "PA", "José", "Pérez", "M", "14/03/1985", "Pakistan", "", "", "", "", "", ""]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_in_each_encoding_and_delimiter_excel_writes_is_read(encoding: str, delimiter: str) -> None:
    sheet = reading.read(csv_bytes(ROWS, delimiter=delimiter, encoding=encoding))
    assert sheet.kind == "csv"
    assert sheet.headers[:4] == HEADER[:4]
    assert sheet.rows[0][0] == 2
    assert sheet.rows[0][1][3:5] == ["José", "Pérez"]


def test_a_greek_csv_in_utf8_keeps_its_letters() -> None:
    sheet = reading.read(csv_bytes([["Ιμράν", "Κχαν"]], ["Όνομα", "Επώνυμο"], delimiter=";"))
    assert sheet.rows == [(2, ["Ιμράν", "Κχαν"])]


def test_the_header_is_found_below_a_title_and_empty_rows_are_skipped() -> None:
    rows = [ROWS[0], [None] * len(HEADER), ROWS[0]]
    sheet = reading.read(xlsx(rows, before=[["Returns tracker 2024"], []]))
    assert sheet.header_row == 3
    assert [n for n, _values in sheet.rows] == [4, 6]
    assert "The table's header is row 3" in sheet.notices[0].message


def test_a_file_that_is_not_a_tracker_is_refused_whatever_its_name() -> None:
    for data, words in [
        (b"", "The file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel file (.xls)"),
        (b"%PDF-1.4\x00\x00\x01 binary", "not an Excel workbook (.xlsx) or a CSV file"),
        (b"PK\x03\x04 not really a zip", "damaged"),
        (b"just one line of text\n", "No header row"),
    ]:
        with pytest.raises(ServiceError, match=re.escape(words)):
            reading.read(data)


def test_merged_cells_are_filled_down_and_said() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Family", "First name", "Relationship"])
    ws.append(["F1", "Imran", "PA"])
    ws.append([None, "Ayesha", "spouse"])
    ws.append([None, "Sana", "child"])
    ws.merge_cells("A2:A4")
    out = io.BytesIO()
    book.save(out)
    sheet = reading.read(out.getvalue())
    assert [values[0] for _n, values in sheet.rows] == ["F1", "F1", "F1"]
    [notice] = sheet.notices
    assert notice.message == "Merged cells in rows 2–4 (A2:A4): the value “F1” was filled into each row."
    assert not notice.error


def test_a_formulas_saved_value_is_read_and_one_without_a_value_is_an_error_at_its_row() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["First name", "Year of birth"])
    ws.append(["Imran", "=1980+5"])
    out = io.BytesIO()
    book.save(out)  # openpyxl writes formulas without their value, as a program other than Excel would
    sheet = reading.read(out.getvalue())
    [notice] = sheet.notices
    assert notice.error
    assert notice.row == 2
    assert "cell B2: the formula =1980+5 has no value saved with it" in notice.message

    # Excel saves the value it computed with the formula: that value is what is read.
    sheet = reading.read(_with_saved_value(out.getvalue(), b"<f>1980+5</f><v />", b"<f>1980+5</f><v>1985</v>"))
    assert sheet.notices == []
    assert sheet.rows == [(2, ["Imran", 1985])]


def _with_saved_value(data: bytes, old: bytes, new: bytes) -> bytes:
    """The workbook as Excel would save it: the formula's computed value next to the formula."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in content
                content = content.replace(old, new)
            target.writestr(item, content)
    return out.getvalue()


def test_a_range_merged_down_whole_columns_stops_at_the_data() -> None:
    """A4:Z1048576 merged by accident: written into the sheet's XML, as openpyxl would take minutes to build it."""
    book = openpyxl.Workbook()
    ws = book.active
    for row in (["Family", "First name"], ["F1", "Imran"], [None, "Ayesha"]):
        ws.append(row)
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A2:Z1048576"/></mergeCells>'
                )
            target.writestr(item, data)
    sheet = reading.read(out.getvalue())
    assert [values[:2] for _n, values in sheet.rows] == [["F1", "F1"], ["F1", "F1"]]
    assert "rows 2–3" in sheet.notices[0].message


def test_a_csv_field_too_long_to_read_is_refused_in_words() -> None:
    data = ("First name,Notes\nImran," + "x" * 200_000 + "\n").encode()
    with pytest.raises(ServiceError, match="cannot be read as CSV"):
        reading.read(data)


def test_a_file_of_more_rows_than_a_tracker_holds_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    with pytest.raises(ServiceError, match="more than 3 rows"):
        reading.read(csv_bytes([["x"] * len(HEADER)] * 5))
