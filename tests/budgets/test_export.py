"""Payments for accounting: the same rows in CSV and XLSX, a bad period said in words, and only for
those who see the programme's money."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from homeward.accounts.models import User
from homeward.assistance import ledger
from homeward.assistance.models import Provider
from homeward.cases.models import Case
from homeward.programmes.models import BudgetLine, Programme
from tests.budgets.conftest import book, client_for, invoice, today
from tests.money import rate

HEADER = ["Date", "Budget line", "For", "Case", "Payee", "Amount as paid", "Currency as paid", "Exchange rate",
          "Amount", "Currency", "Booked by", "Note"]  # fmt: skip


def export(user: User, programme: Programme, start: Any, end: Any, fmt: str = "csv") -> Any:
    params = {"programme": programme.pk, "from": str(start), "to": str(end), "format": fmt}
    return client_for(user).get(reverse("budgets:payments_export"), params)


@pytest.fixture
def booked(
    programme: Programme, cash: BudgetLine, reintegration: BudgetLine, finance_gr: User, supervisor_gr: User,
    case_gr: Case, provider: Provider,
) -> dict[str, Any]:  # fmt: skip
    """Yesterday: a grant paid in dollars and reversed; today: an invoice paid, and a note that looks
    like a formula; a commitment (not a payment) and a payment of last year."""
    yesterday = today() - dt.timedelta(days=1)
    rate("USD", "EUR", "0.9", on=yesterday)
    grant_paid = book(finance_gr, cash, "payment", "110", "grant:3", case=case_gr, currency="USD", on=yesterday)
    ledger.entry_reverse(acting_user=finance_gr, entry=grant_paid, reason="wrong amount")
    inv = invoice(case_gr, supervisor_gr, programme, provider)
    book(finance_gr, reintegration, "payment", "750", inv.source, case=case_gr, note="=HYPERLINK(1)")
    book(supervisor_gr, reintegration, "commitment", "500", "component:99", case=case_gr)
    book(finance_gr, cash, "payment", "20", "grant:1", case=case_gr, on=today() - dt.timedelta(days=400))
    return {"invoice": inv, "grant_paid": grant_paid}


def csv_rows(response: Any) -> list[list[str]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response: Any) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_text(value: Any) -> str:
    """An XLSX cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float | int):
        return format(Decimal(str(value)), "f")
    return str(value)


def test_csv_and_xlsx_hold_the_same_payment_rows(
    programme: Programme, booked: dict[str, Any], finance_gr: User, case_gr: Case
) -> None:
    start, end = today() - dt.timedelta(days=7), today()
    from_csv = csv_rows(export(finance_gr, programme, start, end, "csv"))
    xlsx = export(finance_gr, programme, start, end, "xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="payments-grmoney-' in xlsx["Content-Disposition"]
    from_xlsx = xlsx_rows(xlsx)

    assert from_csv[0] == HEADER
    assert list(from_xlsx[0]) == HEADER
    assert len(from_csv) == len(from_xlsx) == 4  # header, the grant, its counter-entry, the invoice
    for csv_row, xlsx_row in zip(from_csv[1:], from_xlsx[1:], strict=True):
        assert [Decimal(v) if i in (5, 7, 8) and v else v for i, v in enumerate(csv_row)] == [
            Decimal(as_text(v)) if i in (5, 7, 8) and v is not None else as_text(v) for i, v in enumerate(xlsx_row)
        ]
    # Numbers are numbers and dates are dates in the workbook.
    grant_row = from_xlsx[1]
    assert isinstance(grant_row[0], dt.datetime)
    assert grant_row[5] == 110
    assert grant_row[7] == pytest.approx(0.9)
    assert grant_row[8] == 99
    # What each row says.
    assert from_csv[1][1:5] == ["cash grants", "grant 3", case_gr.reference, "returnee"]
    assert from_csv[1][5:10] == ["110.00", "USD", "0.90000000", "99.00", "EUR"]
    assert from_csv[1][10] == str(finance_gr)
    assert from_csv[2][5] == "-110.00"
    assert from_csv[2][11] == "wrong amount"
    invoice_row = from_csv[3]
    assert invoice_row[2:5] == [f"invoice {booked['invoice'].pk}", case_gr.reference, "Lahore Tools & Co"]
    assert invoice_row[11] == "'=HYPERLINK(1)"  # a note is never run as a formula
    assert from_xlsx[3][11] == "'=HYPERLINK(1)"
    for row in from_csv[1:]:
        assert "Imran" not in ",".join(row)


def test_the_period_is_inclusive_and_leaves_out_commitments(
    programme: Programme, booked: dict[str, Any], finance_gr: User
) -> None:
    rows = csv_rows(export(finance_gr, programme, today(), today()))
    # The grant paid yesterday is out; its counter-entry, booked today, is in.
    assert [(r[2], r[8]) for r in rows[1:]] == [("grant 3", "-99.00"), (f"invoice {booked['invoice'].pk}", "750.00")]
    year = csv_rows(export(finance_gr, programme, today() - dt.timedelta(days=500), today() - dt.timedelta(days=300)))
    assert [r[2] for r in year[1:]] == ["grant 1"]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-03-01", "2026-02-01", "The period starts after it ends: 2026-03-01 is after 2026-02-01."),
        ("2026-02-30", "2026-03-01", "Enter a valid date."),
        ("", "2026-03-01", "This field is required."),
    ],
)
def test_a_bad_period_is_a_400_in_words(
    programme: Programme, finance_gr: User, start: str, end: str, message: str
) -> None:
    response = export(finance_gr, programme, start, end)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_unknown_format_is_a_400(programme: Programme, finance_gr: User) -> None:
    response = export(finance_gr, programme, "2026-01-01", "2026-01-31", "pdf")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_only_those_who_see_the_programmes_money_export_it(
    programme: Programme, booked: dict[str, Any], viewer: User, counsellor_gr: User, viewer_ro: User
) -> None:
    assert export(viewer, programme, today(), today()).status_code == 200
    assert export(counsellor_gr, programme, today(), today()).status_code == 404
    assert export(viewer_ro, programme, today(), today()).status_code == 404
    response = client_for(viewer).get(reverse("budgets:payments_export"), {"programme": "x"})
    assert response.status_code == 404


def test_the_budget_page_has_the_export_form(programme: Programme, finance_gr: User) -> None:
    html = client_for(finance_gr).get(reverse("budgets:programme_budget", args=[programme.pk])).content.decode()
    assert f'action="{reverse("budgets:payments_export")}"' in html
    assert f'name="programme" value="{programme.pk}"' in html
    assert 'name="from"' in html
    assert 'name="to"' in html
    assert 'name="format"' in html
