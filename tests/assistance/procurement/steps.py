"""The steps of buying an in-kind component, as one-liners for tests (fixtures: conftest.py).

The plan's own services are built elsewhere; here the plan and its component are
written straight to the tables, approved, with the component's budget committed
in the ledger as approving the plan does (source ``component:<id>``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from homeward.accounts.models import User
from homeward.assistance import ledger, procurement
from homeward.assistance.models import Delivery, Invoice, Provider, PurchaseOrder, Quote
from homeward.cases.models import Case
from homeward.programmes.models import Programme
from homeward.reintegration.models import Component, Plan
from tests.money import line

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%signed\n"


def png(name: str = "signature.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def today() -> Any:
    return timezone.localdate()


# ---------------------------------------------------------------- the case, its plan and component


def approved_component(
    case: Case,
    programme: Programme,
    supervisor: User,
    *,
    budget: str = "1500.00",
    kind: str = Component.Kind.MICRO_BUSINESS,
    plan: Plan | None = None,
    **plan_fields: Any,
) -> Component:
    """An approved component of an approved household plan, its budget committed in the ledger."""
    if plan is None:
        plan = Plan.objects.create(
            case=case, programme=programme, currency="EUR", status=Plan.Status.APPROVED, prepared_by=supervisor,
            approved_by=supervisor, approved_at=timezone.now(), **plan_fields,
        )  # fmt: skip
    component = Component.objects.create(
        plan=plan, kind=kind, budget=Decimal(budget), status=Component.Status.APPROVED, approved_on=today(),
        description="Tailoring shop: two sewing machines and fabric",
    )  # fmt: skip
    ledger.entry_book(
        acting_user=supervisor, budget_line=line(programme, "reintegration"), kind="commitment",
        amount=component.budget, currency=plan.currency, booked_on=today(), source=component.source, case=case,
    )  # fmt: skip
    return component


# ---------------------------------------------------------------- the steps


def quote(user: User, component: Component, provider: Provider, amount: str = "1200", currency: str = "EUR") -> Quote:
    return procurement.quote_record(
        acting_user=user, component=component, provider=provider, amount=Decimal(amount), currency=currency,
        received_on=today(), description="Two sewing machines",
    )  # fmt: skip


def ordered(
    user: User, component: Component, provider: Provider, amount: str = "1200", currency: str = "EUR", **kw: Any
) -> PurchaseOrder:
    """A quote recorded, chosen and ordered from."""
    q = quote(user, component, provider, amount, currency)
    procurement.quote_choose(acting_user=user, quote=q, reason="Cheapest of three, delivers to Lahore")
    return procurement.po_issue(acting_user=user, quote=q, **kw)


def delivered(user: User, order: PurchaseOrder, *, complete: bool = False, confirmed: bool = True) -> Delivery:
    return procurement.delivery_record(
        acting_user=user, component=order.component, purchase_order=order, received_on=today(),
        description="One sewing machine", complete=complete, confirmed_by_returnee=confirmed,
        evidence=png() if confirmed else None,
    )  # fmt: skip


def invoiced(user: User, order: PurchaseOrder, amount: str = "1200", reference: str = "INV-1") -> Invoice:
    return procurement.invoice_record(
        acting_user=user, purchase_order=order, provider_reference=reference, amount=Decimal(amount),
        currency=order.currency, issued_on=today(),
    )  # fmt: skip


def pay(user: User, invoice: Invoice, **kw: Any) -> Invoice:
    return procurement.invoice_pay(acting_user=user, invoice=invoice, paid_on=today(), **kw)
