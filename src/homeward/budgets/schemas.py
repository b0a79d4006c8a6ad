"""Money over JSON: output shapes only (the budget API reads, it never books)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from homeward.cases.schemas import ErrorOut

__all__ = ["ErrorOut"]


class ConversionOut(Schema):
    budgeted: Decimal
    committed: Decimal
    spent: Decimal
    remaining: Decimal
    currency: str
    rate: Decimal | None = Field(
        description="Units of the programme's currency for one of the line's; null if the same."
    )
    rate_on: dt.date | None
    old_rate: bool = Field(description="The rate is older than a month: enter a newer one.")


class BudgetLineOut(Schema):
    id: int
    programme_id: int
    category: str
    category_label: str
    note: str
    budgeted: Decimal
    committed: Decimal = Field(description="Still open: approved plans, grants and purchase orders not yet paid.")
    spent: Decimal
    remaining: Decimal
    currency: str
    confirmed: bool = Field(description="False: a placeholder amount, not yet confirmed by the donor.")
    overspent: bool
    entry_count: int
    in_programme_currency: ConversionOut | None = Field(
        description="The figures in the programme's currency; null when no exchange rate is known."
    )
    missing_rate: str | None = Field(description="Why there is no conversion, in words.")


class EntryOut(Schema):
    id: int
    booked_on: dt.date
    kind: str
    amount: Decimal
    currency: str
    original_amount: Decimal
    original_currency: str
    rate: Decimal | None
    source: str
    source_label: str
    case_reference: str | None
    budget_line_id: int
    booked_by: str
    note: str
    override_reason: str
    reversed: bool
    counter_entry_of: int | None


class BudgetLineDetailOut(BudgetLineOut):
    entries: list[EntryOut]
    entries_count: int
    page: int
    pages: int


class TotalOut(Schema):
    currency: str
    committed: Decimal
    paid: Decimal


class GrantMoneyOut(Schema):
    id: int
    kind: str
    for_whom: str
    member_id: int | None
    amount: Decimal
    currency: str
    status: str
    paid_amount: Decimal | None
    paid_currency: str
    rate: Decimal | None
    paid_on: dt.date | None
    method: str
    payment_reference: str | None = Field(description="Only for those who pay or supervise.")
    receipt_url: str | None


class InvoiceMoneyOut(Schema):
    id: int
    provider: str
    provider_reference: str
    component_id: int
    amount: Decimal
    currency: str
    status: str
    paid_on: dt.date | None
    paid_amount: Decimal | None = Field(description="As booked in the ledger, in the currency paid.")
    paid_currency: str | None
    payment_reference: str | None = Field(description="Only for those who pay or supervise.")
    scan_url: str | None


class CaseMoneyOut(Schema):
    case_id: int
    reference: str
    grants: list[GrantMoneyOut]
    invoices: list[InvoiceMoneyOut]
    entries: list[EntryOut]
    totals: list[TotalOut]


class PaymentOut(Schema):
    booked_on: dt.date
    budget_line: str
    source: str
    case_reference: str
    payee: str
    original_amount: Decimal
    original_currency: str
    rate: Decimal | None
    amount: Decimal
    currency: str
    booked_by: str
    note: str
