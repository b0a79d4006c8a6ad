"""Buying an in-kind component: quotes, orders, deliveries, invoices and payments, and the money they book."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError

from homeward.accounts.models import Mission, User
from homeward.assistance import ledger, procurement
from homeward.assistance.models import Invoice, LedgerEntry, Provider, PurchaseOrder
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.reintegration.models import Component
from tests.assistance.procurement.steps import (
    approved_component,
    delivered,
    invoiced,
    ordered,
    pay,
    pdf,
    quote,
    today,
)
from tests.concurrency import race
from tests.money import line, rate

pytestmark = pytest.mark.django_db


def figures(programme: Programme) -> ledger.Figures:
    return ledger.figures(line(programme, "reintegration"))


# ---------------------------------------------------------------- quotes


def test_a_quote_is_recorded_with_its_scan(reintegration_pk: User, component: Component, vetted: Provider) -> None:
    q = procurement.quote_record(
        acting_user=reintegration_pk, component=component, provider=vetted, amount=Decimal("1200"),
        currency="eur", received_on=today(), scan=pdf(),
    )  # fmt: skip
    assert (q.amount, q.currency, q.scan_content_type, q.chosen) == (
        Decimal("1200.00"),
        "EUR",
        "application/pdf",
        False,
    )
    assert q.scan.name.startswith(f"cases/{component.plan.case_id}/")


def test_a_quote_scan_must_be_a_pdf_or_an_image(reintegration_pk: User, component: Component, vetted: Provider) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ServiceError) as refused:
        procurement.quote_record(
            acting_user=reintegration_pk, component=component, provider=vetted, amount=Decimal("10"),
            currency="EUR", received_on=today(), scan=SimpleUploadedFile("x.pdf", b"MZ not a pdf"),
        )  # fmt: skip
    assert "scan" in refused.value.fields


def test_a_quote_from_another_missions_provider_is_refused(
    reintegration_pk: User, component: Component, reintegration_af: User, af: Mission
) -> None:
    from tests.assistance.conftest import make_provider

    kabul = make_provider(reintegration_af, af, "Kabul Tools", country="AF", phone="")
    with pytest.raises(ServiceError) as refused:
        quote(reintegration_pk, component, kabul)
    assert "managed by AF, not by PK" in refused.value.fields["provider"][0]


def test_quotes_are_recorded_only_by_the_mission_working_the_case(
    counsellor_gr: User, me_pk: User, component: Component, vetted: Provider
) -> None:
    for user in (counsellor_gr, me_pk):
        with pytest.raises(PermissionDenied):
            quote(user, component, vetted)


def test_a_planned_component_is_not_bought_for(reintegration_pk: User, component: Component, vetted: Provider) -> None:
    Component.objects.filter(pk=component.pk).update(status=Component.Status.PLANNED)
    component.refresh_from_db()
    with pytest.raises(ServiceError, match="only an approved component"):
        quote(reintegration_pk, component, vetted)


def test_a_provider_with_no_vetting_cannot_be_chosen(
    reintegration_pk: User, component: Component, unvetted: Provider
) -> None:
    q = quote(reintegration_pk, component, unvetted)
    with pytest.raises(ServiceError, match="Multan Machines has not been vetted"):
        procurement.quote_choose(acting_user=reintegration_pk, quote=q, reason="Cheapest")
    q.refresh_from_db()
    assert not q.chosen


def test_choosing_a_quote_needs_a_reason(reintegration_pk: User, component: Component, vetted: Provider) -> None:
    q = quote(reintegration_pk, component, vetted)
    with pytest.raises(ServiceError) as refused:
        procurement.quote_choose(acting_user=reintegration_pk, quote=q, reason="  ")
    assert "reason" in refused.value.fields
    procurement.quote_choose(acting_user=reintegration_pk, quote=q, reason="Cheapest of three")
    q.refresh_from_db()
    assert (q.chosen, q.choice_reason) == (True, "Cheapest of three")


# ---------------------------------------------------------------- purchase orders


def test_an_order_is_numbered_by_mission_and_year_and_starts_the_delivery(
    reintegration_pk: User, component: Component, vetted: Provider, supervisor_gr: User, case: Case,
    programme: Programme,
) -> None:  # fmt: skip
    first = ordered(reintegration_pk, component, vetted, "600")
    second = ordered(reintegration_pk, component, vetted, "400")
    year = today().year
    assert (first.number, second.number) == (f"PO-PK-{year}-0001", f"PO-PK-{year}-0002")
    component.refresh_from_db()
    assert (component.status, component.delivery_started_on) == (Component.Status.IN_DELIVERY, today())
    # Within the budget nothing more is committed: the order lives inside the component's commitment.
    assert ledger.open_commitment(component.source) == Decimal("1500.00")


def test_an_order_is_not_issued_from_a_quote_not_chosen(
    reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    q = quote(reintegration_pk, component, vetted)
    with pytest.raises(ServiceError, match="Choose this quote"):
        procurement.po_issue(acting_user=reintegration_pk, quote=q)


def test_an_order_above_the_budget_needs_a_supervisors_reason_and_commits_the_extra(
    reintegration_pk: User, supervisor_pk: User, component: Component, vetted: Provider, programme: Programme
) -> None:
    ordered(reintegration_pk, component, vetted, "1000")
    q = quote(reintegration_pk, component, vetted, "800")
    procurement.quote_choose(acting_user=reintegration_pk, quote=q, reason="The only one with fabric")
    with pytest.raises(ServiceError, match=r"above what is left of the component's budget \(500\.00 of 1500\.00 EUR\)"):
        procurement.po_issue(acting_user=reintegration_pk, quote=q)
    with pytest.raises(PermissionDenied, match="Only a supervisor"):
        procurement.po_issue(acting_user=reintegration_pk, quote=q, override_reason="Prices went up")
    assert PurchaseOrder.objects.count() == 1

    order = procurement.po_issue(acting_user=supervisor_pk, quote=q, override_reason="Prices went up")
    assert order.override_reason == "Prices went up"
    extra = LedgerEntry.objects.get(source=component.source, override_reason="Prices went up")
    assert (extra.kind, extra.amount) == ("commitment", Decimal("300.00"))
    assert ledger.open_commitment(component.source) == Decimal("1800.00")
    assert figures(programme).committed == Decimal("1800.00")


def test_an_order_in_another_currency_is_held_to_the_budget_at_its_dates_rate(
    reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    rate("PKR", "EUR", "0.0032")
    with pytest.raises(ServiceError, match=r"This order \(1600\.00 EUR\)"):
        ordered(reintegration_pk, component, vetted, "500000", "PKR")  # 1,600 EUR > 1,500


def test_an_order_in_a_currency_with_no_rate_is_refused_in_words(
    reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    with pytest.raises(ServiceError, match="No exchange rate from PKR to EUR"):
        ordered(reintegration_pk, component, vetted, "100000", "PKR")
    assert not PurchaseOrder.objects.exists()


def test_cancelling_an_order_releases_what_it_committed_above_the_budget(
    reintegration_pk: User, supervisor_pk: User, finance_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(supervisor_pk, component, vetted, "1700", override_reason="Better machines")
    assert ledger.open_commitment(component.source) == Decimal("1700.00")
    with pytest.raises(ServiceError):
        procurement.po_cancel(acting_user=finance_pk, purchase_order=order, reason="")
    with pytest.raises(PermissionDenied):
        procurement.po_cancel(acting_user=reintegration_pk, purchase_order=order, reason="Supplier closed")
    procurement.po_cancel(acting_user=finance_pk, purchase_order=order, reason="Supplier closed")
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.CANCELLED
    assert "Supplier closed" in order.note
    assert ledger.open_commitment(component.source) == Decimal("1500.00")


def test_an_order_with_a_paid_invoice_is_not_cancelled(
    reintegration_pk: User, supervisor_pk: User, finance_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted)
    delivered(reintegration_pk, order)
    invoice = invoiced(reintegration_pk, order)
    procurement.invoice_approve(acting_user=supervisor_pk, invoice=invoice)
    pay(finance_pk, invoice)
    with pytest.raises(ServiceError, match="has been paid"):
        procurement.po_cancel(acting_user=finance_pk, purchase_order=order, reason="Changed our mind")


# ---------------------------------------------------------------- deliveries


def test_the_returnees_confirmation_needs_a_signature_or_photo(
    reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted)
    with pytest.raises(ServiceError) as refused:
        procurement.delivery_record(
            acting_user=reintegration_pk, component=component, purchase_order=order, received_on=today(),
            description="Machines", confirmed_by_returnee=True,
        )  # fmt: skip
    assert "evidence" in refused.value.fields


def test_a_delivery_is_not_in_the_future_nor_before_its_order(
    reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted)
    for day in (today() + dt.timedelta(days=1), today() - dt.timedelta(days=1)):
        with pytest.raises(ServiceError) as refused:
            procurement.delivery_record(
                acting_user=reintegration_pk, component=component, purchase_order=order, received_on=day,
                description="Machines", confirmed_by_returnee=False,
            )  # fmt: skip
        assert "received_on" in refused.value.fields


def test_finance_officers_do_not_record_deliveries(
    finance_pk: User, reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted)
    with pytest.raises(PermissionDenied):
        delivered(finance_pk, order)


def test_partial_deliveries_and_two_invoices_on_one_order(
    reintegration_pk: User, supervisor_pk: User, finance_pk: User, component: Component, vetted: Provider,
    programme: Programme,
) -> None:  # fmt: skip
    order = ordered(reintegration_pk, component, vetted, "1200")
    delivered(reintegration_pk, order)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.ISSUED  # partial: still open
    first = invoiced(reintegration_pk, order, "700", "INV-1")
    procurement.invoice_approve(acting_user=supervisor_pk, invoice=first)
    pay(finance_pk, first)

    delivered(reintegration_pk, order, complete=True)
    order.refresh_from_db()
    component.refresh_from_db()
    assert order.status == PurchaseOrder.Status.COMPLETED
    assert (component.status, component.delivered_on) == (Component.Status.DELIVERED, today())
    second = invoiced(reintegration_pk, order, "500", "INV-2")
    procurement.invoice_approve(acting_user=supervisor_pk, invoice=second)
    pay(finance_pk, second)

    f = figures(programme)
    assert (f.spent, f.committed) == (Decimal("1200.00"), Decimal("300.00"))  # 300 of the budget still open
    assert order.deliveries.count() == 2


# ---------------------------------------------------------------- invoices


def test_an_invoice_above_its_purchase_order_is_refused_naming_both_amounts(
    reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted, "1200")
    invoiced(reintegration_pk, order, "1000", "INV-1")
    with pytest.raises(ServiceError) as refused:
        invoiced(reintegration_pk, order, "300", "INV-2")
    message = refused.value.message
    assert "An invoice above its purchase order" in message
    assert "300.00 EUR" in message
    assert "1200.00 EUR" in message
    assert "1300.00 EUR" in message
    assert Invoice.objects.count() == 1


def test_a_rejected_invoice_no_longer_counts_against_the_order(
    reintegration_pk: User, supervisor_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted, "1200")
    wrong = invoiced(reintegration_pk, order, "1200", "INV-1")
    with pytest.raises(ServiceError):
        procurement.invoice_reject(acting_user=supervisor_pk, invoice=wrong, reason="")
    procurement.invoice_reject(acting_user=supervisor_pk, invoice=wrong, reason="Wrong VAT")
    invoiced(reintegration_pk, order, "1200", "INV-1b")


def test_an_invoice_number_is_recorded_once_per_order(
    reintegration_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted, "1200")
    invoiced(reintegration_pk, order, "100", "INV-7")
    with pytest.raises(ServiceError, match="Invoice inv-7 is already recorded on order PO-PK-"):
        invoiced(reintegration_pk, order, "100", "inv-7")


def test_an_invoice_is_in_its_orders_currency(reintegration_pk: User, component: Component, vetted: Provider) -> None:
    order = ordered(reintegration_pk, component, vetted, "1200")
    with pytest.raises(ServiceError) as refused:
        procurement.invoice_record(
            acting_user=reintegration_pk, purchase_order=order, provider_reference="A1", amount=Decimal("10"),
            currency="USD", issued_on=today(),
        )  # fmt: skip
    assert "is in EUR" in refused.value.fields["currency"][0]


def test_the_person_who_raises_an_invoice_cannot_approve_it(
    finance_pk: User, supervisor_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(finance_pk, component, vetted)
    invoice = invoiced(finance_pk, order)
    assert invoice.raised_by == finance_pk
    with pytest.raises(PermissionDenied, match="the person who raises an invoice cannot approve its payment"):
        procurement.invoice_approve(acting_user=finance_pk, invoice=invoice)
    procurement.invoice_approve(acting_user=supervisor_pk, invoice=invoice)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.approved_by) == (Invoice.Status.APPROVED, supervisor_pk)


def test_reintegration_officers_do_not_approve_invoices(
    reintegration_pk: User, finance_pk: User, component: Component, vetted: Provider
) -> None:
    invoice = invoiced(finance_pk, ordered(finance_pk, component, vetted))
    with pytest.raises(PermissionDenied):
        procurement.invoice_approve(acting_user=reintegration_pk, invoice=invoice)


# ---------------------------------------------------------------- payments


@pytest.fixture
def approved_invoice(reintegration_pk: User, finance_pk: User, component: Component, vetted: Provider) -> Invoice:
    """1,200 EUR ordered, half delivered and confirmed by the returnee, invoiced, approved by PK's finance officer."""
    order = ordered(reintegration_pk, component, vetted, "1200")
    delivered(reintegration_pk, order)
    invoice = invoiced(reintegration_pk, order, "1200")
    return procurement.invoice_approve(acting_user=finance_pk, invoice=invoice)


def test_the_approver_cannot_pay_the_invoice(finance_pk: User, cashier_pk: User, approved_invoice: Invoice) -> None:
    with pytest.raises(PermissionDenied, match="the person who approved an invoice cannot pay it"):
        pay(finance_pk, approved_invoice)
    pay(cashier_pk, approved_invoice)
    approved_invoice.refresh_from_db()
    assert (approved_invoice.status, approved_invoice.paid_by) == (Invoice.Status.PAID, cashier_pk)


def test_only_finance_officers_pay(supervisor_pk: User, reintegration_pk: User, approved_invoice: Invoice) -> None:
    for user in (supervisor_pk, reintegration_pk):
        with pytest.raises(PermissionDenied):
            pay(user, approved_invoice)


def test_an_invoice_is_paid_only_once_approved(
    reintegration_pk: User, cashier_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted)
    delivered(reintegration_pk, order)
    invoice = invoiced(reintegration_pk, order)
    with pytest.raises(ServiceError, match="only an approved invoice is paid"):
        pay(cashier_pk, invoice)


def test_paying_needs_goods_confirmed_received_by_the_returnee(
    reintegration_pk: User, finance_pk: User, cashier_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted)
    delivered(reintegration_pk, order, confirmed=False)  # received, but the returnee has not confirmed it
    invoice = procurement.invoice_approve(acting_user=finance_pk, invoice=invoiced(reintegration_pk, order))
    with pytest.raises(ServiceError, match="confirmed received by the returnee"):
        pay(cashier_pk, invoice)
    assert not LedgerEntry.objects.filter(kind="payment").exists()
    delivered(reintegration_pk, order)
    pay(cashier_pk, invoice)


def test_paying_releases_the_commitment_and_books_the_payment(
    cashier_pk: User, approved_invoice: Invoice, component: Component, programme: Programme, case: Case
) -> None:
    assert (figures(programme).committed, figures(programme).spent) == (Decimal("1500.00"), Decimal("0"))
    pay(cashier_pk, approved_invoice, payment_reference="TRF-88")
    f = figures(programme)
    assert (f.committed, f.spent, f.remaining) == (Decimal("300.00"), Decimal("1200.00"), Decimal("48500.00"))
    payment = LedgerEntry.objects.get(kind="payment")
    assert (payment.source, payment.case, payment.amount) == (approved_invoice.source, case, Decimal("1200.00"))
    assert ledger.open_commitment(component.source) == Decimal("300.00")
    approved_invoice.refresh_from_db()
    assert (approved_invoice.paid_on, approved_invoice.payment_reference) == (today(), "TRF-88")


def test_a_payment_in_another_currency_is_converted_at_the_payment_dates_rate(
    reintegration_pk: User, finance_pk: User, cashier_pk: User, component: Component, vetted: Provider,
    programme: Programme,
) -> None:  # fmt: skip
    rate("PKR", "EUR", "0.0032")
    order = ordered(reintegration_pk, component, vetted, "400000", "PKR")  # 1,280 EUR
    delivered(reintegration_pk, order)
    invoice = invoiced(reintegration_pk, order, "400000")
    procurement.invoice_approve(acting_user=finance_pk, invoice=invoice)
    pay(cashier_pk, invoice)
    entry = LedgerEntry.objects.get(kind="payment")
    assert (entry.amount, entry.original_amount, entry.original_currency) == (
        Decimal("1280.00"), Decimal("400000.00"), "PKR",
    )  # fmt: skip
    assert ledger.open_commitment(component.source) == Decimal("220.00")


def test_a_payment_date_with_no_rate_is_refused_in_words_and_books_nothing(
    reintegration_pk: User, finance_pk: User, cashier_pk: User, component: Component, vetted: Provider
) -> None:
    rate("PKR", "EUR", "0.0032", on=today())
    order = ordered(reintegration_pk, component, vetted, "400000", "PKR")
    delivered(reintegration_pk, order)
    invoice = invoiced(reintegration_pk, order, "400000")
    procurement.invoice_approve(acting_user=finance_pk, invoice=invoice)
    # Paid two months later: the only rate is too old to use.
    later = today() + dt.timedelta(days=60)
    with (
        time_machine.travel(later, tick=False),
        pytest.raises(ServiceError, match=f"No exchange rate from PKR to EUR on or shortly before {later}"),
    ):
        procurement.invoice_pay(acting_user=cashier_pk, invoice=invoice, paid_on=later)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.APPROVED
    assert not LedgerEntry.objects.filter(kind="payment").exists()
    assert ledger.open_commitment(component.source) == Decimal("1500.00")


def test_an_invoice_is_not_paid_before_it_was_issued_and_approved(
    reintegration_pk: User, cashier_pk: User, approved_invoice: Invoice
) -> None:
    with pytest.raises(ServiceError) as refused:
        procurement.invoice_pay(
            acting_user=cashier_pk, invoice=approved_invoice, paid_on=today() - dt.timedelta(days=1)
        )
    assert "not paid before it was issued and approved" in str(refused.value.fields["paid_on"])
    assert not LedgerEntry.objects.filter(kind="payment").exists()


def test_who_recorded_an_invoice_does_not_pay_it(
    reintegration_pk: User, finance_pk: User, cashier_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted, "1000")
    delivered(reintegration_pk, order)
    invoice = invoiced(cashier_pk, order, "1000")
    procurement.invoice_approve(acting_user=finance_pk, invoice=invoice)
    with pytest.raises(PermissionDenied, match="raises an invoice cannot pay it"):
        procurement.invoice_pay(acting_user=cashier_pk, invoice=invoice, paid_on=today())


def test_paying_the_same_invoice_twice_is_refused(cashier_pk: User, approved_invoice: Invoice) -> None:
    pay(cashier_pk, approved_invoice)
    with pytest.raises(ServiceError, match="has already been paid"):
        pay(cashier_pk, approved_invoice)  # the caller's copy still says "approved"
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


def test_a_payment_above_the_cases_ceiling_needs_a_supervisors_reason(
    reintegration_pk: User, finance_pk: User, cashier_pk: User, case: Case, programme: Programme,
    supervisor_gr: User, vetted: Provider,
) -> None:  # fmt: skip
    big = approved_component(case, programme, supervisor_gr, budget="4000.00")  # the family's ceiling is 3,500
    order = ordered(reintegration_pk, big, vetted, "4000")
    delivered(reintegration_pk, order)
    invoice = procurement.invoice_approve(acting_user=finance_pk, invoice=invoiced(reintegration_pk, order, "4000"))
    with pytest.raises(ServiceError, match=r"above its reintegration ceiling of 3500\.00 EUR"):
        pay(cashier_pk, invoice)
    with pytest.raises(PermissionDenied, match="Only a supervisor"):
        pay(cashier_pk, invoice, override_reason="Medical needs")
    # A supervisor's reason recorded on the plan lets it through.
    big.plan.override_reason = "Two children with disabilities"
    big.plan.save(update_fields=["override_reason"])
    pay(cashier_pk, invoice)
    assert LedgerEntry.objects.get(kind="payment").override_reason == "Two children with disabilities"


def test_a_suspended_provider_is_not_paid(
    supervisor_pk: User, cashier_pk: User, approved_invoice: Invoice, vetted: Provider
) -> None:
    from homeward.assistance import services

    services.provider_vetting_set(acting_user=supervisor_pk, provider=vetted, status="suspended", note="Fraud alert")
    with pytest.raises(ServiceError, match="has not been vetted"):
        pay(cashier_pk, approved_invoice)


def test_a_mistaken_payment_is_reversed_by_counter_entries_and_paid_again(
    cashier_pk: User, approved_invoice: Invoice, component: Component, programme: Programme
) -> None:
    pay(cashier_pk, approved_invoice)
    with pytest.raises(ServiceError):
        procurement.invoice_payment_reverse(acting_user=cashier_pk, invoice=approved_invoice, reason=" ")
    procurement.invoice_payment_reverse(
        acting_user=cashier_pk, invoice=approved_invoice, reason="Paid to the wrong account"
    )
    approved_invoice.refresh_from_db()
    assert (approved_invoice.status, approved_invoice.paid_by, approved_invoice.paid_on) == ("approved", None, None)
    f = figures(programme)
    assert (f.committed, f.spent) == (Decimal("1500.00"), Decimal("0.00"))  # as before the payment
    payment = LedgerEntry.objects.get(kind="payment", reverses__isnull=True)
    assert payment.reversed_at is not None
    assert payment.reversed_by.note == "Paid to the wrong account"
    with pytest.raises(ProtectedError):
        payment.delete()
    # Approved again, it is paid anew: one live payment.
    pay(cashier_pk, approved_invoice)
    assert figures(programme).spent == Decimal("1200.00")
    assert LedgerEntry.objects.filter(kind="payment").count() == 3  # paid, reversed, paid again


def test_the_payment_is_audited_with_who_paid(cashier_pk: User, approved_invoice: Invoice) -> None:
    from auditlog.models import LogEntry

    pay(cashier_pk, approved_invoice)
    entry = LogEntry.objects.get_for_object(approved_invoice).filter(actor=cashier_pk).get()
    assert entry.changes_dict["status"] == ["approved", "paid"]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_payments_of_one_invoice_pay_it_once(
    cashier_pk: User, approved_invoice: Invoice, programme: Programme, component: Component
) -> None:
    results = race(*[lambda: pay(cashier_pk, Invoice.objects.get(pk=approved_invoice.pk))] * 2)
    assert sorted(type(r).__name__ for r in results) == ["Invoice", "ServiceError"], results
    assert "already been paid" in str(next(r for r in results if isinstance(r, ServiceError)))
    assert LedgerEntry.objects.filter(source=approved_invoice.source).count() == 1
    f = figures(programme)
    assert (f.spent, f.committed) == (Decimal("1200.00"), Decimal("300.00"))
    assert ledger.open_commitment(component.source) == Decimal("300.00")


def test_before_the_referral_the_host_missions_staff_buy_from_providers_of_the_destination_country(
    case_gr: Case, counsellor_gr: User, supervisor_gr: User, reintegration_pk: User, programme: Programme,
    vetted: Provider,
) -> None:  # fmt: skip
    from tests.money import entitled

    entitled(case_gr, counsellor_gr, programme)
    early = approved_component(case_gr, programme, supervisor_gr)
    with pytest.raises(PermissionDenied):
        quote(reintegration_pk, early, vetted)  # the case is not Pakistan's yet
    q = quote(supervisor_gr, early, vetted)
    assert q.provider == vetted
