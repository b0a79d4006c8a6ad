"""Providers and procurement over JSON (mounted at /api/v1/).

Providers: /providers, /providers/{id}, /providers/{id}/vetting. Procurement of
a component: /components/{id}/quotes, /quotes/{id}/choose, /quotes/{id}/order,
/purchase-orders/{id} (and /cancel, /invoices), /components/{id}/deliveries
(multipart, with the returnee's signature or photo), /invoices/{id}/approve,
/pay, /reject, /reverse, and /invoices?status=.

The same services and scoping as the pages: a role with no access to
providers gets 403, a provider of another mission is a 404, a component of a
case the user cannot see is a 404, a refusal is a 400 with
``{"message", "fields"}``. Bank details are null for those who may not see them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from homeward.accounts.models import Mission
from homeward.assistance import procurement, selectors, services
from homeward.assistance.models import Delivery, Invoice, Provider, PurchaseOrder, Quote
from homeward.assistance.schemas import (
    ApproveIn,
    BankDetailsIO,
    ChooseIn,
    DeliveryOut,
    ErrorOut,
    InvoiceIn,
    InvoiceOut,
    InvoicePageOut,
    OrderIn,
    PayIn,
    ProviderIn,
    ProviderOut,
    ProviderPageOut,
    ProviderPatchIn,
    PurchaseOrderOut,
    QuoteIn,
    QuoteOut,
    ReasonIn,
    VettingIn,
)
from homeward.core.errors import ServiceError
from homeward.core.idempotency import idempotent

router = Router(tags=["providers"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGE_SIZE = 50


class ProviderQuery(Schema):
    q: str = ""
    country: str = ""
    category: str = ""
    vetting_status: str = ""
    mission: str = ""
    inactive: bool = False
    page: int = 1


def _require_access(request: HttpRequest) -> None:
    if not selectors.may_view_providers(request.user):
        raise PermissionDenied(_("Your role does not give access to service providers."))


def _provider(request: HttpRequest, provider_id: int) -> Provider:
    _require_access(request)
    return selectors.provider_for_user(request.user, provider_id)


def provider_out(user: Any, p: Provider) -> dict[str, Any]:
    bank = None
    if selectors.can_handle_bank_details(user, p.mission_id):
        bank = {name: getattr(p, name) for name in ("account_holder", "bank_name", "account_number", "swift_bic")}
    return {
        "id": p.pk,
        "name": p.name,
        "country": p.country.code,
        "category": p.category,
        "mission": p.mission.code,
        "contact_person": p.contact_person,
        "phone": p.phone,
        "email": p.email,
        "address": p.address,
        "active": p.active,
        "vetting_status": p.vetting_status,
        "vetted_on": p.vetted_on,
        "vetted_by": p.vetted_by.username if p.vetted_by_id else None,
        "vetting_note": p.vetting_note,
        "bank_details": bank,
        "created_by": p.created_by.username,
        "created_at": p.created_at,
    }


def _bank(data: BankDetailsIO | None) -> services.BankDetails | None:
    return None if data is None else services.BankDetails(**data.dict())


@router.get("/providers", response={200: ProviderPageOut, 403: ErrorOut}, summary="List and search providers")
def list_providers(request: HttpRequest, filters: Query[ProviderQuery]) -> dict[str, Any]:
    _require_access(request)
    found = selectors.provider_list(
        request.user, selectors.ProviderFilters(**filters.dict(exclude={"page"}))
    ).select_related("created_by")
    page = Paginator(found, PAGE_SIZE).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [provider_out(request.user, p) for p in page.object_list],
    }


@router.post("/providers", response={201: ProviderOut, **ERRORS}, summary="Register a provider")
def create_provider(request: HttpRequest, payload: ProviderIn) -> Status:
    _require_access(request)
    mission = Mission.objects.filter(code=payload.mission.strip().upper()).first()
    if mission is None:
        raise ServiceError(
            _("There is no mission %(code)s.") % {"code": payload.mission}, {"mission": [_("Unknown mission.")]}
        )
    data = payload.dict(exclude={"mission", "bank_details"})
    provider = services.provider_create(
        acting_user=request.user,
        mission=mission,
        data=services.ProviderInput(**data),
        bank=_bank(payload.bank_details),
    )
    return Status(201, provider_out(request.user, selectors.provider_for_user(request.user, provider.pk)))


@router.get("/providers/{provider_id}", response={200: ProviderOut, 403: ErrorOut, 404: ErrorOut}, summary="A provider")
def get_provider(request: HttpRequest, provider_id: int) -> dict[str, Any]:
    return provider_out(request.user, _provider(request, provider_id))


@router.patch("/providers/{provider_id}", response={200: ProviderOut, **ERRORS}, summary="Change a provider")
def update_provider(request: HttpRequest, provider_id: int, payload: ProviderPatchIn) -> dict[str, Any]:
    provider = _provider(request, provider_id)
    given = payload.dict(exclude_unset=True, exclude={"bank_details"})
    given = {key: value for key, value in given.items() if value is not None}
    data = None
    if given:
        current = services.provider_input_of(provider)
        data = services.ProviderInput(**(asdict(current) | given))
    services.provider_update(acting_user=request.user, provider=provider, data=data, bank=_bank(payload.bank_details))
    return provider_out(request.user, selectors.provider_for_user(request.user, provider_id))


@router.post(
    "/providers/{provider_id}/vetting", response={200: ProviderOut, **ERRORS}, summary="Record a provider's vetting"
)
def vet_provider(request: HttpRequest, provider_id: int, payload: VettingIn) -> dict[str, Any]:
    """Vetted, rejected and suspended are decisions: a supervisor's of the managing mission or an
    administrator's, never the registrar's own."""
    provider = _provider(request, provider_id)
    services.provider_vetting_set(
        acting_user=request.user,
        provider=provider,
        status=payload.status,
        decided_on=payload.decided_on,
        note=payload.note,
    )
    return provider_out(request.user, selectors.provider_for_user(request.user, provider_id))


# ---------------------------------------------------------------- procurement


def quote_out(q: Quote) -> dict[str, Any]:
    order = PurchaseOrder.objects.filter(quote=q).values_list("pk", flat=True).first()
    return {
        "id": q.pk,
        "component": q.component_id,
        "provider": q.provider_id,
        "provider_name": q.provider.name,
        "provider_vetting_status": q.provider.vetting_status,
        "amount": q.amount,
        "currency": q.currency,
        "received_on": q.received_on,
        "valid_until": q.valid_until,
        "description": q.description,
        "has_scan": bool(q.scan),
        "chosen": q.chosen,
        "choice_reason": q.choice_reason,
        "purchase_order": order,
        "recorded_by": q.recorded_by.username,
    }


def _name(user: Any) -> str | None:
    return user.username if user is not None else None


def invoice_out(i: Invoice) -> dict[str, Any]:
    return {
        "id": i.pk,
        "component": i.component_id,
        "purchase_order": i.purchase_order_id,
        "purchase_order_number": i.purchase_order.number,
        "provider_reference": i.provider_reference,
        "amount": i.amount,
        "currency": i.currency,
        "issued_on": i.issued_on,
        "status": i.status,
        "has_scan": bool(i.scan),
        "raised_by": i.raised_by.username,
        "approved_by": _name(i.approved_by),
        "approved_at": i.approved_at,
        "paid_by": _name(i.paid_by),
        "paid_on": i.paid_on,
        "payment_reference": i.payment_reference,
        "rejection_reason": i.rejection_reason,
        "override_reason": i.override_reason,
    }


def delivery_out(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "component": d.component_id,
        "purchase_order": d.purchase_order_id,
        "received_on": d.received_on,
        "description": d.description,
        "complete": d.complete,
        "confirmed_by_returnee": d.confirmed_by_returnee,
        "has_evidence": bool(d.evidence),
        "recorded_by": d.recorded_by.username,
    }


def order_out(user: Any, order_id: int) -> dict[str, Any]:
    order = selectors.order_for_user(user, order_id)
    row = next(r for r in selectors.procurement_of(order.component).orders if r.order.pk == order.pk)
    o = row.order
    return {
        "id": o.pk,
        "number": o.number,
        "component": o.component_id,
        "quote": o.quote_id,
        "provider": o.provider_id,
        "provider_name": o.provider.name,
        "amount": o.amount,
        "currency": o.currency,
        "issued_on": o.issued_on,
        "status": o.status,
        "override_reason": o.override_reason,
        "note": o.note,
        "issued_by": o.issued_by.username,
        "invoiced": row.invoiced,
        "paid": row.paid,
        "left_to_pay": row.left_to_pay,
        "goods_received": row.goods_received,
        "invoices": [invoice_out(i) for i in row.invoices],
        "deliveries": [delivery_out(d) for d in row.deliveries],
    }


def _invoice(request: HttpRequest, invoice_id: int) -> dict[str, Any]:
    return invoice_out(selectors.invoice_for_user(request.user, invoice_id))


@router.get(
    "/components/{component_id}/quotes",
    response={200: list[QuoteOut], 404: ErrorOut},
    tags=["procurement"],
    summary="A component's quotes",
)
def list_quotes(request: HttpRequest, component_id: int) -> list[dict[str, Any]]:
    component = selectors.procurement_component_for_user(request.user, component_id)
    return [quote_out(row.quote) for row in selectors.procurement_of(component).quotes]


@router.post(
    "/components/{component_id}/quotes",
    response={201: QuoteOut, **ERRORS},
    tags=["procurement"],
    summary="Record a provider's quote for a component (upload its scan on the component's page)",
)
def record_quote(request: HttpRequest, component_id: int, payload: QuoteIn) -> Status:
    component = selectors.procurement_component_for_user(request.user, component_id)
    procurement.require_procurer(request.user, component)  # who may, before what they sent
    provider = selectors.providers_for_quotes(component).filter(pk=payload.provider).first()
    if provider is None:
        message = _("Choose an active provider of the mission working this case.")
        raise ServiceError(message, {"provider": [message]})
    quote = procurement.quote_record(
        acting_user=request.user, component=component, provider=provider, **payload.dict(exclude={"provider"})
    )
    return Status(201, quote_out(selectors.quote_for_user(request.user, quote.pk)))


@router.post(
    "/quotes/{quote_id}/choose", response={200: QuoteOut, **ERRORS}, tags=["procurement"], summary="Choose a quote"
)
def choose_quote(request: HttpRequest, quote_id: int, payload: ChooseIn) -> dict[str, Any]:
    """Only a vetted provider's quote is chosen, with the reason why."""
    quote = selectors.quote_for_user(request.user, quote_id)
    procurement.quote_choose(acting_user=request.user, quote=quote, reason=payload.reason)
    return quote_out(selectors.quote_for_user(request.user, quote_id))


@router.post(
    "/quotes/{quote_id}/order",
    response={201: PurchaseOrderOut, **ERRORS},
    tags=["procurement"],
    summary="Issue the purchase order of a chosen quote",
)
@idempotent
def issue_order(request: HttpRequest, quote_id: int, payload: OrderIn) -> Status:
    """Above what is left of the component's budget only with a supervisor's override_reason."""
    quote = selectors.quote_for_user(request.user, quote_id)
    order = procurement.po_issue(acting_user=request.user, quote=quote, **payload.dict())
    return Status(201, order_out(request.user, order.pk))


@router.get(
    "/purchase-orders/{order_id}",
    response={200: PurchaseOrderOut, 404: ErrorOut},
    tags=["procurement"],
    summary="A purchase order with its invoices, deliveries and totals",
)
def get_order(request: HttpRequest, order_id: int) -> dict[str, Any]:
    return order_out(request.user, order_id)


@router.post(
    "/purchase-orders/{order_id}/cancel",
    response={200: PurchaseOrderOut, **ERRORS},
    tags=["procurement"],
    summary="Cancel a purchase order",
)
@idempotent
def cancel_order(request: HttpRequest, order_id: int, payload: ReasonIn) -> dict[str, Any]:
    order = selectors.order_for_user(request.user, order_id)
    procurement.po_cancel(acting_user=request.user, purchase_order=order, reason=payload.reason)
    return order_out(request.user, order_id)


@router.post(
    "/components/{component_id}/deliveries",
    response={201: DeliveryOut, **ERRORS},
    tags=["procurement"],
    summary="Record goods or services received (form or multipart, with the returnee's signature or photo)",
)
def record_delivery(
    request: HttpRequest,
    component_id: int,
    received_on: Form[dt.date],
    description: Form[str],
    confirmed_by_returnee: Form[bool] = False,
    complete: Form[bool] = False,
    purchase_order: Form[int | None] = None,
    evidence: File[UploadedFile | None] = None,
) -> Status:
    """``evidence`` (PDF, JPEG or PNG) is required when ``confirmed_by_returnee`` is true."""
    component = selectors.procurement_component_for_user(request.user, component_id)
    procurement.require_procurer(request.user, component)  # who may, before which order they named
    order = selectors.order_for_user(request.user, purchase_order) if purchase_order else None
    delivery = procurement.delivery_record(
        acting_user=request.user, component=component, purchase_order=order, received_on=received_on,
        description=description, complete=complete, confirmed_by_returnee=confirmed_by_returnee, evidence=evidence,
    )  # fmt: skip
    return Status(201, delivery_out(selectors.delivery_for_user(request.user, delivery.pk)))


@router.get(
    "/purchase-orders/{order_id}/invoices",
    response={200: list[InvoiceOut], 404: ErrorOut},
    tags=["procurement"],
    summary="A purchase order's invoices",
)
def list_order_invoices(request: HttpRequest, order_id: int) -> list[dict[str, Any]]:
    order = selectors.order_for_user(request.user, order_id)
    return [invoice_out(i) for i in selectors.invoices_visible_to(request.user).filter(purchase_order=order)]


@router.post(
    "/purchase-orders/{order_id}/invoices",
    response={201: InvoiceOut, **ERRORS},
    tags=["procurement"],
    summary="Record a provider's invoice against an order (upload its scan on the component's page)",
)
def record_invoice(request: HttpRequest, order_id: int, payload: InvoiceIn) -> Status:
    """Refused above the order's amount (with the invoices already recorded), or in another currency."""
    order = selectors.order_for_user(request.user, order_id)
    invoice = procurement.invoice_record(acting_user=request.user, purchase_order=order, **payload.dict())
    return Status(201, _invoice(request, invoice.pk))


@router.post(
    "/invoices/{invoice_id}/approve",
    response={200: InvoiceOut, **ERRORS},
    tags=["procurement"],
    summary="Approve an invoice for payment (not by who recorded it)",
)
@idempotent
def approve_invoice(request: HttpRequest, invoice_id: int, payload: ApproveIn | None = None) -> dict[str, Any]:
    invoice = selectors.invoice_for_user(request.user, invoice_id)
    reason = payload.override_reason if payload is not None else ""
    procurement.invoice_approve(acting_user=request.user, invoice=invoice, override_reason=reason)
    return _invoice(request, invoice_id)


@router.post(
    "/invoices/{invoice_id}/pay",
    response={200: InvoiceOut, **ERRORS},
    tags=["procurement"],
    summary="Pay an approved invoice (not by who approved it)",
)
@idempotent
def pay_invoice(request: HttpRequest, invoice_id: int, payload: PayIn) -> dict[str, Any]:
    """Releases the component's commitment and books the payment in the ledger; once only."""
    invoice = selectors.invoice_for_user(request.user, invoice_id)
    procurement.invoice_pay(acting_user=request.user, invoice=invoice, **payload.dict())
    return _invoice(request, invoice_id)


@router.post(
    "/invoices/{invoice_id}/reject", response={200: InvoiceOut, **ERRORS}, tags=["procurement"], summary="Reject"
)
def reject_invoice(request: HttpRequest, invoice_id: int, payload: ReasonIn) -> dict[str, Any]:
    invoice = selectors.invoice_for_user(request.user, invoice_id)
    procurement.invoice_reject(acting_user=request.user, invoice=invoice, reason=payload.reason)
    return _invoice(request, invoice_id)


@router.post(
    "/invoices/{invoice_id}/reverse",
    response={200: InvoiceOut, **ERRORS},
    tags=["procurement"],
    summary="Reverse a mistaken payment by counter-entries; the invoice is approved again",
)
@idempotent
def reverse_payment(request: HttpRequest, invoice_id: int, payload: ReasonIn) -> dict[str, Any]:
    invoice = selectors.invoice_for_user(request.user, invoice_id)
    procurement.invoice_payment_reverse(acting_user=request.user, invoice=invoice, reason=payload.reason)
    return _invoice(request, invoice_id)


class InvoiceQuery(Schema):
    status: str = ""
    page: int = 1


@router.get(
    "/invoices",
    response={200: InvoicePageOut, 400: ErrorOut},
    tags=["procurement"],
    summary="Invoices of the cases you see, by status (received, approved, paid, rejected)",
)
def list_invoices(request: HttpRequest, filters: Query[InvoiceQuery]) -> dict[str, Any]:
    invoices = selectors.invoices_visible_to(request.user).select_related("purchase_order").order_by("issued_on", "pk")
    if filters.status:
        if filters.status not in Invoice.Status.values:
            message = _("Choose a status: received, approved, paid or rejected.")
            raise ServiceError(message, {"status": [message]})
        invoices = invoices.filter(status=filters.status)
    page = Paginator(invoices, PAGE_SIZE).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [invoice_out(i) for i in page.object_list],
    }
