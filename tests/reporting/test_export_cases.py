"""Case list exports: exactly the cases the user may see, as CSV or XLSX, with HXL on request."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.reporting.tables import Column, Table, as_csv, as_xlsx
from tests.factories import PASSWORD, register_case

URL = reverse("reporting:export", args=["cases"])


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def csv_rows(response: object) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    assert body.startswith(b"\xef\xbb\xbf"), "a byte order mark, so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(content: bytes, sheet: int = 0) -> list[list[object]]:
    book = load_workbook(io.BytesIO(content))
    return [list(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


@pytest.mark.django_db
def test_csv_of_the_case_list_holds_exactly_the_cases_the_user_sees(
    counsellor_gr: User, case_gr: Case, case_ro: Case
) -> None:
    response = login(counsellor_gr).get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["Reference", "Principal applicant", "Nationality"]
    assert [row[0] for row in rows] == [case_gr.reference]
    assert not rows[0][0].startswith("#"), "no HXL row unless asked"
    row = dict(zip(header, rows[0], strict=True))
    assert row["Principal applicant"] == "Imran Khan"
    assert row["Host mission"] == "GR"
    assert row["Destination country code"] == "PK"
    assert row["Region or city of return"] == "Lahore"
    assert row["Persons in the case"] == "3"
    assert row["Case type"] == "family"
    assert row["Departed on"] == ""


@pytest.mark.django_db
def test_xlsx_with_hxl_has_the_hashtag_row_under_the_header(counsellor_gr: User, case_gr: Case, case_ro: Case) -> None:
    response = login(counsellor_gr).get(URL, {"format": "xlsx", "hxl": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    header, tags, *rows = xlsx_rows(response.content)
    assert header[0] == "Reference"
    assert tags[0] == "#meta+id"
    assert {"#country+code", "#adm1+name", "#date+departed", "#affected+ind"} <= set(tags)
    assert tags[header.index("Principal applicant")] is None, "names carry no hashtag"
    assert [row[0] for row in rows] == [case_gr.reference]
    assert case_ro.reference not in str(rows)


@pytest.mark.django_db
def test_filters_of_the_list_apply_and_a_bad_one_is_refused_in_words(
    counsellor_gr: User, gr: Mission, case_gr: Case
) -> None:
    other = register_case(counsellor_gr, gr, destination_place="Karachi")
    client = login(counsellor_gr)
    _header, *rows = csv_rows(client.get(URL, {"format": "csv", "q": other.reference}))
    assert [row[0] for row in rows] == [other.reference]
    refused = client.get(URL, {"format": "csv", "status": "flying"})
    assert refused.status_code == 400
    assert "filters is not valid" in refused.content.decode()
    assert client.get(URL, {"format": "pdf"}).status_code == 400


@pytest.mark.django_db
def test_one_row_per_member_names_each_member(counsellor_gr: User, case_gr: Case) -> None:
    response = login(counsellor_gr).get(URL, {"format": "csv", "rows": "members", "hxl": "1"})
    header, tags, *rows = csv_rows(response)
    assert header[:3] == ["Reference", "Relationship", "Name"]
    assert [row[2] for row in rows] == ["Imran Khan", "Ayesha Khan", "Sana Khan"]
    assert {row[0] for row in rows} == {case_gr.reference}
    # The case's size repeats on each member's row: not tagged as people to add up.
    assert tags[header.index("Persons in the case")] == "#meta+case_size"
    assert [row[header.index("Year of birth")] for row in rows] == ["1985", "1988", "2015"]


@pytest.mark.django_db
def test_no_vulnerability_document_or_phone_is_exported(counsellor_gr: User, case_gr: Case) -> None:
    body = login(counsellor_gr).get(URL, {"format": "xlsx", "rows": "members"}).content
    text = str(xlsx_rows(body))
    for secret in ("AB1234567", "+92 300 1234567", "passport"):
        assert secret not in text


@pytest.mark.django_db
def test_a_programme_viewer_cannot_export_cases(viewer: User, case_gr: Case) -> None:
    client = login(viewer)
    assert client.get(URL, {"format": "csv"}).status_code == 403
    assert client.get(URL, {"format": "xlsx", "rows": "members"}).status_code == 403


@pytest.mark.django_db
def test_formula_injection_is_neutralised(counsellor_gr: User, gr: Mission) -> None:
    register_case(counsellor_gr, gr, destination_place='=HYPERLINK("http://evil","x")')
    client = login(counsellor_gr)
    header, *rows = csv_rows(client.get(URL, {"format": "csv"}))
    assert rows[0][header.index("Region or city of return")] == '\'=HYPERLINK("http://evil","x")'
    book = load_workbook(io.BytesIO(client.get(URL, {"format": "xlsx"}).content))
    cell = book.active.cell(row=2, column=header.index("Region or city of return") + 1)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil","x")', "s"), "text, never a formula"


def test_the_writers_defuse_every_formula_start_and_keep_numbers() -> None:
    table = Table("T", [Column("a"), Column("b")], [["=1+1", -3], ["+1", 2], ["-x", 0], ["@SUM(A1)", 1], ["plain", 1]])
    rows = list(csv.reader(io.StringIO(as_csv(table).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'+1", "'-x", "'@SUM(A1)", "plain"]
    assert rows[1][1] == "-3", "a negative number is a number, not text to defuse"
    book = load_workbook(io.BytesIO(as_xlsx([table, table])))
    assert book.sheetnames == ["T", "T (2)"]
    assert [c.data_type for c in book["T"]["A"][1:]] == ["s"] * 5
    assert book["T"]["B"][1].value == -3


@pytest.mark.django_db
def test_under_htmx_the_browser_is_sent_to_fetch_the_file_itself(counsellor_gr: User, case_gr: Case) -> None:
    response = login(counsellor_gr).get(URL, {"format": "csv", "q": "Khan"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(URL)
    assert "format=csv" in response["HX-Redirect"]


@pytest.mark.django_db
def test_the_case_list_offers_the_export(counsellor_gr: User, case_gr: Case) -> None:
    html = login(counsellor_gr).get(reverse("cases:list")).content.decode()
    assert f'formaction="{URL}"' in html
    assert 'name="hxl"' in html


@pytest.mark.django_db
def test_the_export_reads_the_cases_in_a_fixed_number_of_queries(counsellor_gr: User, gr: Mission) -> None:
    client = login(counsellor_gr)
    register_case(counsellor_gr, gr)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL, {"format": "csv"})
            b"".join(response.streaming_content)
        return len(captured)

    few = queries()
    for _ in range(4):
        register_case(counsellor_gr, gr)
    assert queries() == few
