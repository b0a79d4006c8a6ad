"""A programme with money booked on it, a case with grants and an invoice, and ways to book more.

Money is booked through the ledger's services (finance.gr pays, supervisor.gr
commits); grants, plans and invoices are rows created directly, since their
pages are other apps' work.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import ledger
from homeward.assistance.models import Invoice, LedgerEntry, Provider, PurchaseOrder, Quote
from homeward.cases.models import Case
from homeward.grants.models import Grant
from homeward.programmes.models import BudgetLine, Programme
from homeward.reintegration.models import Component, Plan
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.factories import UserFactory
from tests.money import line, money_programme


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def programme(gr: Mission) -> Programme:
    """GR/MONEY in EUR: cash grants 10,000 and reintegration 50,000 EUR."""
    return money_programme()


@pytest.fixture
def cash(programme: Programme) -> BudgetLine:
    return line(programme, "cash_grants")


@pytest.fixture
def reintegration(programme: Programme) -> BudgetLine:
    return line(programme, "reintegration")


@pytest.fixture
def me_gr(gr: Mission) -> User:
    return UserFactory(username="me.gr", roles=[(gr, Role.ME_OFFICER)])


@pytest.fixture
def viewer_ro(ro: Mission) -> User:
    return UserFactory(username="viewer.ro", roles=[(ro, Role.PROGRAMME_VIEWER)])


def book(
    user: User, budget_line: BudgetLine, kind: str, amount: str, source: str, *, case: Case | None = None,
    currency: str | None = None, on: dt.date | None = None, **kw: Any,
) -> LedgerEntry:  # fmt: skip
    return ledger.entry_book(
        acting_user=user, budget_line=budget_line, kind=kind, amount=Decimal(amount),
        currency=currency or budget_line.currency, booked_on=on or today(), source=source, case=case, **kw,
    )  # fmt: skip


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def grant(case: Case, user: User, budget_line: BudgetLine, **kw: Any) -> Grant:
    values: dict[str, Any] = {"kind": Grant.Kind.PRE_DEPARTURE_CASH, "amount": Decimal("100.00"), "currency": "EUR",
                              "entitled_amount": Decimal("100.00")}  # fmt: skip
    values.update(kw)
    return Grant.objects.create(case=case, budget_line=budget_line, proposed_by=user, **values)


def invoice(case: Case, user: User, programme: Programme, provider: Provider, **kw: Any) -> Invoice:
    """An invoice of a micro-business component, through its plan, quote and purchase order."""
    plan = Plan.objects.create(case=case, programme=programme, currency="EUR", prepared_by=user)
    component = Component.objects.create(plan=plan, kind=Component.Kind.MICRO_BUSINESS, budget=Decimal("800"))
    quote = Quote.objects.create(component=component, provider=provider, amount=Decimal("750"), currency="EUR",
                                 received_on=today(), chosen=True, choice_reason="cheapest", recorded_by=user)  # fmt: skip
    order = PurchaseOrder.objects.create(component=component, quote=quote, provider=provider, number="PO-1",
                                         amount=Decimal("750"), currency="EUR", issued_on=today(), issued_by=user)  # fmt: skip
    values: dict[str, Any] = {"provider_reference": "F-2026-17", "amount": Decimal("750.00"), "currency": "EUR",
                              "issued_on": today()}  # fmt: skip
    values.update(kw)
    return Invoice.objects.create(component=component, purchase_order=order, raised_by=user, **values)


@pytest.fixture
def provider(pk: Mission, supervisor_gr: User) -> Provider:
    return Provider.objects.create(name="Lahore Tools & Co", country="PK", category=Provider.Category.SUPPLIER,
                                   mission=pk, created_by=supervisor_gr)  # fmt: skip


def _values(html: str, attribute: str) -> dict[str, Decimal]:
    return {name: Decimal(value) for name, value in re.findall(attribute + r'="(\w+)" data-value="(-?[\d.]+)"', html)}


def _row(html: str, row_id: str) -> str:
    found = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', html, re.DOTALL)
    assert found, f"no row {row_id}"
    return found.group(0)


def page_figures(html: str, line_id: int) -> dict[str, Decimal]:
    """A line's budgeted, committed, spent and remaining as the budget page shows them."""
    return _values(_row(html, f"line-{line_id}"), "data-figure")


def page_conversion(html: str, line_id: int) -> tuple[dict[str, Decimal], str]:
    row = _row(html, f"line-{line_id}-conversion")
    return _values(row, "data-converted"), row


def page_totals(html: str) -> dict[str, Decimal]:
    return _values(_row(html, "budget-totals"), "data-total")
