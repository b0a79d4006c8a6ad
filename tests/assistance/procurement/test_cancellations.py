"""What cancelling leaves behind: nothing bought or paid for a cancelled component, and no money left
committed for an order that is gone; a supervisor's decision on approval lets a finance officer pay."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from homeward.accounts.models import User
from homeward.assistance import ledger, procurement
from homeward.assistance.models import LedgerEntry, Provider
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.reintegration import services as plans
from homeward.reintegration.models import Component
from tests.assistance.procurement.steps import approved_component, delivered, invoiced, ordered, pay
from tests.money import line


def _committed(programme: Programme) -> Decimal:
    return ledger.figures(line(programme, "reintegration")).committed


def test_a_component_with_an_open_order_is_not_cancelled(
    reintegration_pk: User, supervisor_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted, "1200")
    with pytest.raises(ServiceError, match="open purchase order or cash grant: cancel those first"):
        plans.component_cancel(acting_user=supervisor_pk, component=component, reason="Moved away")
    procurement.po_cancel(acting_user=supervisor_pk, purchase_order=order, reason="Supplier closed")
    plans.component_cancel(acting_user=supervisor_pk, component=component, reason="Moved away")
    component.refresh_from_db()
    assert component.status == Component.Status.CANCELLED
    assert ledger.open_commitment(component.source) == Decimal("0.00")


def test_nothing_is_invoiced_or_paid_for_a_cancelled_component(
    reintegration_pk: User, finance_pk: User, cashier_pk: User, supervisor_pk: User, component: Component,
    vetted: Provider,
) -> None:  # fmt: skip
    order = ordered(reintegration_pk, component, vetted, "1200")
    delivered(reintegration_pk, order)
    invoice = procurement.invoice_approve(acting_user=finance_pk, invoice=invoiced(reintegration_pk, order, "600"))
    # Cancelled behind the services' back (as a second request might have): the payment still refuses.
    Component.objects.filter(pk=component.pk).update(status=Component.Status.CANCELLED)
    with pytest.raises(ServiceError, match="has been cancelled"):
        pay(cashier_pk, invoice)
    with pytest.raises(ServiceError, match="has been cancelled"):
        invoiced(reintegration_pk, order, "100", reference="INV-2")
    assert not LedgerEntry.objects.filter(kind="payment").exists()


def test_cancelling_an_order_releases_only_what_the_orders_left_no_longer_need(
    reintegration_pk: User, supervisor_pk: User, programme: Programme, component: Component, vetted: Provider
) -> None:
    first = ordered(reintegration_pk, component, vetted, "1200")
    ordered(supervisor_pk, component, vetted, "800", override_reason="A second machine after all")
    assert _committed(programme) == Decimal("2000.00")  # 1,500 budget + 500 above it
    procurement.po_cancel(acting_user=supervisor_pk, purchase_order=first, reason="Supplier closed")
    # 800 is still ordered, within the 1,500 budget: the 500 override is no longer needed.
    assert _committed(programme) == Decimal("1500.00")
    assert ledger.open_commitment(component.source) == Decimal("1500.00")


def test_a_supervisors_reason_given_on_approval_lets_a_finance_officer_pay_above_the_ceiling(
    reintegration_pk: User, supervisor_pk: User, cashier_pk: User, case: Case, programme: Programme,
    supervisor_gr: User, vetted: Provider,
) -> None:  # fmt: skip
    big = approved_component(case, programme, supervisor_gr, budget="4000.00")  # the family's ceiling is 3,500
    order = ordered(reintegration_pk, big, vetted, "4000")
    delivered(reintegration_pk, order)
    invoice = invoiced(reintegration_pk, order, "4000")
    procurement.invoice_approve(acting_user=supervisor_pk, invoice=invoice, override_reason="Prosthesis included")
    pay(cashier_pk, invoice)
    payment = LedgerEntry.objects.get(kind="payment")
    assert (payment.amount, payment.override_reason) == (Decimal("4000.00"), "Prosthesis included")


def test_a_finance_officer_approving_gives_no_override(
    reintegration_pk: User, finance_pk: User, component: Component, vetted: Provider
) -> None:
    order = ordered(reintegration_pk, component, vetted, "1200")
    invoice = invoiced(reintegration_pk, order, "1200")
    with pytest.raises(PermissionDenied, match="Only a supervisor may allow"):
        procurement.invoice_approve(acting_user=finance_pk, invoice=invoice, override_reason="Why not")
    invoice.refresh_from_db()
    assert (invoice.status, invoice.approved_by, invoice.override_reason) == ("received", None, "")
