"""The money ledger: figures are sums of entries, nothing is deleted, lines are not overspent silently,
and a source is paid once, even under two simultaneous requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import ledger
from homeward.assistance.models import LedgerEntry
from homeward.core.errors import ServiceError
from homeward.programmes.models import BudgetLine, ExchangeRate, Programme
from tests import journey
from tests.concurrency import race
from tests.factories import UserFactory

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def line(gr: Mission, pk: Mission) -> BudgetLine:
    programme: Programme = journey.programme()
    ExchangeRate.objects.create(currency="USD", quote="EUR", on=TODAY, rate=Decimal("0.90"), source="test")
    return BudgetLine.objects.create(
        programme=programme, category="cash_grants", amount=Decimal("1000.00"), currency="EUR"
    )


@pytest.fixture
def finance(gr: Mission) -> User:
    return UserFactory(username="finance.ledger", roles=[(gr, Role.FINANCE_OFFICER)])


def pay(user: User, line: BudgetLine, amount: str, source: str, currency: str = "EUR", **kw: Any) -> LedgerEntry:
    return ledger.entry_book(acting_user=user, budget_line=line, kind="payment", amount=Decimal(amount),
                             currency=currency, booked_on=TODAY, source=source, **kw)  # fmt: skip


@pytest.mark.django_db
def test_a_payment_in_another_currency_is_booked_at_the_rate_of_its_date(line: BudgetLine, finance: User) -> None:
    entry = pay(finance, line, "100", "grant:1", currency="USD")
    assert (entry.amount, entry.currency, entry.original_amount, entry.rate) == (
        Decimal("90.00"),
        "EUR",
        Decimal("100.00"),
        Decimal("0.90000000"),
    )
    assert ledger.figures(line).spent == Decimal("90.00")


@pytest.mark.django_db
def test_an_amount_that_rounds_to_nothing_is_refused(line: BudgetLine, finance: User) -> None:
    with pytest.raises(ServiceError, match="more than zero"):
        pay(finance, line, "0.004", "grant:1")
    assert not LedgerEntry.objects.exists()


@pytest.mark.django_db
def test_a_currency_without_a_rate_for_the_date_is_refused(line: BudgetLine, finance: User) -> None:
    with pytest.raises(ServiceError, match="No exchange rate from PKR to EUR"):
        pay(finance, line, "1000", "grant:1", currency="PKR")
    assert not LedgerEntry.objects.exists()


@pytest.mark.django_db
def test_only_a_finance_officer_of_the_programme_pays(
    line: BudgetLine, counsellor_gr: User, supervisor_gr: User, ro: Mission
) -> None:
    other = UserFactory(username="finance.ro", roles=[(ro, Role.FINANCE_OFFICER)])
    for user in (counsellor_gr, supervisor_gr, other):
        with pytest.raises(PermissionDenied):
            pay(user, line, "10", "grant:1")
    ledger.entry_book(acting_user=supervisor_gr, budget_line=line, kind="commitment", amount=Decimal("10"),
                      currency="EUR", booked_on=TODAY, source="plan:1")  # fmt: skip
    assert ledger.figures(line).committed == Decimal("10.00")


@pytest.mark.django_db
def test_the_same_source_is_paid_once_unless_the_payment_was_reversed(line: BudgetLine, finance: User) -> None:
    first = pay(finance, line, "100", "invoice:7")
    with pytest.raises(ServiceError, match="invoice:7 has already been paid"):
        pay(finance, line, "100", "invoice:7")
    counter = ledger.entry_reverse(acting_user=finance, entry=first, reason="paid to the wrong account")
    assert (counter.amount, counter.reverses) == (Decimal("-100.00"), first)
    with pytest.raises(ServiceError, match="already been reversed"):
        ledger.entry_reverse(acting_user=finance, entry=first, reason="again")
    pay(finance, line, "100", "invoice:7")  # paid again, correctly
    assert ledger.figures(line).spent == Decimal("100.00")
    assert LedgerEntry.objects.count() == 3  # nothing deleted


@pytest.mark.django_db
def test_an_entry_is_never_deleted(line: BudgetLine, finance: User) -> None:
    entry = pay(finance, line, "5", "grant:1")
    with pytest.raises(ProtectedError):
        entry.delete()


@pytest.mark.django_db
def test_overspending_a_line_needs_a_supervisors_override_with_a_reason(
    line: BudgetLine, finance: User, gr: Mission
) -> None:
    pay(finance, line, "950", "grant:1")
    with pytest.raises(ServiceError, match=r"overspend the cash grants line by 50\.00 EUR"):
        pay(finance, line, "100", "grant:2")
    with pytest.raises(PermissionDenied, match="Only a supervisor"):
        pay(finance, line, "100", "grant:2", override_reason="family of six")
    both = UserFactory(username="finance.supervisor", roles=[(gr, Role.CASE_SUPERVISOR)])
    ledger.entry_book(acting_user=both, budget_line=line, kind="commitment", amount=Decimal("100"), currency="EUR",
                      booked_on=TODAY, source="plan:2", override_reason="family of six")  # fmt: skip
    assert ledger.figures(line).remaining == Decimal("-50.00")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["commitment", "payment"]), st.integers(1, 300), st.booleans()), max_size=8))
@pytest.mark.django_db
def test_line_figures_always_equal_the_sum_of_their_entries(
    line: BudgetLine, finance: User, steps: list[tuple[str, int, bool]]
) -> None:
    LedgerEntry.objects.filter(budget_line=line).update(reversed_at=None)  # hypothesis reuses the database
    for n, (kind, amount, undo) in enumerate(steps):
        try:
            entry = ledger.entry_book(acting_user=finance, budget_line=line, kind=kind, amount=Decimal(amount),
                                      currency="EUR", booked_on=TODAY, source=f"x:{line.entries.count()}:{n}")  # fmt: skip
        except ServiceError:
            continue  # over budget without an override: refused, nothing booked
        if undo:
            ledger.entry_reverse(acting_user=finance, entry=entry, reason="mistake")
    entries = list(line.entries.all())
    f = ledger.figures(line)
    assert f.committed == sum((e.amount for e in entries if e.kind == "commitment"), Decimal(0))
    assert f.spent == sum((e.amount for e in entries if e.kind == "payment"), Decimal(0))
    assert f.remaining >= 0  # no override was given, so the line never went below zero


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_payments_of_one_invoice_book_it_once(line: BudgetLine, finance: User) -> None:
    results = race(*[lambda: pay(finance, line, "100", "invoice:42")] * 2)
    assert sorted(type(r).__name__ for r in results) == ["LedgerEntry", "ServiceError"], results
    assert LedgerEntry.objects.filter(source="invoice:42").count() == 1
    assert ledger.figures(line).spent == Decimal("100.00")
