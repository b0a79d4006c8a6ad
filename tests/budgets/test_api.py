"""Money over JSON: budget lines with their figures, a line's entries, a case's money and a period's
payments, scoped like the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from homeward.accounts.models import User
from homeward.assistance import ledger
from homeward.assistance.models import Provider
from homeward.cases.models import Case
from homeward.grants.models import Grant
from homeward.programmes.models import BudgetLine, Programme
from tests.api.conftest import assert_error
from tests.budgets.conftest import book, grant, invoice, today
from tests.money import rate


def test_budget_lines_with_figures_and_conversions(
    programme: Programme, cash: BudgetLine, finance_gr: User, supervisor_gr: User, api_as: Any
) -> None:
    usd = BudgetLine.objects.create(programme=programme, category="travel", amount=Decimal("1000"), currency="USD")
    pkr = BudgetLine.objects.create(
        programme=programme, category="office", amount=Decimal("5000"), currency="PKR", confirmed=False
    )
    rate("USD", "EUR", "0.9")
    book(supervisor_gr, cash, "commitment", "10200", "component:1", override_reason="large family")
    book(finance_gr, usd, "payment", "100", "grant:1")

    response = api_as(finance_gr).get(f"/programmes/{programme.pk}/budget-lines")

    assert response.status_code == 200
    lines = {x["id"]: x for x in response.json()}
    c = lines[cash.pk]
    assert (c["category"], c["currency"], c["confirmed"], c["overspent"]) == ("cash_grants", "EUR", True, True)
    assert [Decimal(c[k]) for k in ("budgeted", "committed", "spent", "remaining")] == [
        Decimal("10000"), Decimal("10200"), Decimal("0"), Decimal("-200")
    ]  # fmt: skip
    assert c["in_programme_currency"]["rate"] is None  # already in euros
    u = lines[usd.pk]["in_programme_currency"]
    assert (Decimal(u["rate"]), u["rate_on"], Decimal(u["spent"]), Decimal(u["budgeted"])) == (
        Decimal("0.9"), today().isoformat(), Decimal("90.00"), Decimal("900.00")
    )  # fmt: skip
    p = lines[pkr.pk]
    assert p["confirmed"] is False
    assert p["in_programme_currency"] is None
    assert p["missing_rate"].startswith("No exchange rate from PKR to EUR")


def test_a_budget_line_with_its_entries(
    programme: Programme, cash: BudgetLine, finance_gr: User, viewer: User, case_gr: Case, api_as: Any
) -> None:
    paid = book(finance_gr, cash, "payment", "100", "grant:4", case=case_gr)
    counter = ledger.entry_reverse(acting_user=finance_gr, entry=paid, reason="mistake")

    body = api_as(viewer).get(f"/budget-lines/{cash.pk}").json()

    assert Decimal(body["spent"]) == Decimal("0")
    assert body["entries_count"] == 2
    first, second = body["entries"]
    assert (first["id"], first["reversed"], first["source_label"], first["case_reference"]) == (
        paid.pk, True, "grant 4", case_gr.reference
    )  # fmt: skip
    assert (second["id"], second["counter_entry_of"], Decimal(second["amount"])) == (counter.pk, paid.pk, -100)
    assert "Khan" not in str(body)


def test_a_cases_money(
    programme: Programme, cash: BudgetLine, case_gr: Case, supervisor_gr: User, finance_gr: User,
    counsellor_gr: User, provider: Provider, api_as: Any,
) -> None:  # fmt: skip
    g = grant(case_gr, supervisor_gr, cash, status=Grant.Status.APPROVED, payment_reference="REF-1")
    book(supervisor_gr, cash, "commitment", "100", g.source, case=case_gr)
    inv = invoice(case_gr, supervisor_gr, programme, provider, payment_reference="TRF-9")
    book(finance_gr, line_of(programme, "reintegration"), "payment", "750", inv.source, case=case_gr)

    body = api_as(counsellor_gr).get(f"/cases/{case_gr.pk}/money").json()
    finance = api_as(finance_gr).get(f"/cases/{case_gr.pk}/money").json()

    assert body["reference"] == case_gr.reference
    assert [(x["id"], x["for_whom"], x["status"]) for x in body["grants"]] == [(g.pk, "household", "approved")]
    assert body["grants"][0]["payment_reference"] is None
    assert finance["grants"][0]["payment_reference"] == "REF-1"
    i = body["invoices"][0]
    assert (i["id"], i["provider"], Decimal(i["paid_amount"]), i["paid_currency"]) == (
        inv.pk, "Lahore Tools & Co", Decimal("750"), "EUR"
    )  # fmt: skip
    assert i["payment_reference"] is None
    assert finance["invoices"][0]["payment_reference"] == "TRF-9"
    assert {e["source"] for e in body["entries"]} == {g.source, inv.source}
    assert [(t["currency"], Decimal(t["committed"]), Decimal(t["paid"])) for t in body["totals"]] == [
        ("EUR", Decimal("100"), Decimal("750"))
    ]


def line_of(programme: Programme, category: str) -> BudgetLine:
    return programme.budget_lines.get(category=category)


def test_payments_of_a_period_are_the_export_rows(
    programme: Programme, cash: BudgetLine, finance_gr: User, case_gr: Case, api_as: Any
) -> None:
    book(finance_gr, cash, "payment", "100", "grant:4", case=case_gr)
    book(finance_gr, cash, "payment", "30", "grant:5", case=case_gr, on=today() - dt.timedelta(days=40))
    client = api_as(finance_gr)

    rows = client.get(f"/programmes/{programme.pk}/payments", {"from": today().isoformat(), "to": today().isoformat()})

    assert rows.status_code == 200
    assert [(r["source"], r["payee"], r["case_reference"], Decimal(r["amount"])) for r in rows.json()] == [
        ("grant 4", "returnee", case_gr.reference, Decimal("100"))
    ]
    bad = client.get(f"/programmes/{programme.pk}/payments", {"from": "2026-05-01", "to": "2026-04-01"})
    body = assert_error(bad, 400)
    assert "The period starts after it ends" in body["message"]
    assert "to" in body["fields"]
    assert_error(client.get(f"/programmes/{programme.pk}/payments"), 400)


def test_the_api_is_scoped_like_the_pages(
    programme: Programme, cash: BudgetLine, case_gr: Case, counsellor_gr: User, viewer: User, viewer_ro: User,
    api_as: Any,
) -> None:  # fmt: skip
    period = {"from": "2026-01-01", "to": "2026-01-31"}
    for user in (counsellor_gr, viewer_ro):
        client = api_as(user)
        assert_error(client.get(f"/programmes/{programme.pk}/budget-lines"), 404)
        assert_error(client.get(f"/budget-lines/{cash.pk}"), 404)
        assert_error(client.get(f"/programmes/{programme.pk}/payments", period), 404)
    assert_error(api_as(viewer).get(f"/cases/{case_gr.pk}/money"), 404)
    assert api_as(viewer).get(f"/programmes/{programme.pk}/budget-lines").status_code == 200
    assert api_as(counsellor_gr).get(f"/cases/{case_gr.pk}/money").status_code == 200
