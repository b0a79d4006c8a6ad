"""In-kind delivery of a reintegration component: quotes, purchase orders, deliveries, invoices, payments.

The money is booked in the ledger (``assistance.ledger``, decisions 0008 and 0009):
the component's budget is committed when its plan is approved (source
``component:<id>``); an order above that budget commits only the extra, with a
supervisor's reason; paying an invoice releases as much of the component's
commitment and books the payment (source ``invoice:<id>``) in one transaction.
Separation of duties: who records an invoice does not approve it, who approves
it does not pay it. Nothing is deleted: a mistaken payment is reversed by a
counter-entry.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import Mission, User
from homeward.assistance import ledger, selectors
from homeward.assistance.models import Delivery, Invoice, LedgerEntry, Provider, PurchaseOrder, Quote
from homeward.assistance.services import require_vetted
from homeward.core import files
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.programmes.models import BudgetLine, Programme
from homeward.programmes.services import convert
from homeward.reintegration.models import Component
from homeward.reintegration.selectors import ceiling_for
from homeward.reintegration.services import mark_delivered

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # the columns hold 12 digits
CURRENCY = re.compile(r"^[A-Z]{3}$")
C = Component.Status
IN_WORK = frozenset({C.APPROVED, C.IN_DELIVERY})

# ---------------------------------------------------------------- checks


def _case(component: Component) -> Any:
    return component.plan.case


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_procurer(user: User, component: Component) -> None:
    _require(
        selectors.may_procure(user, _case(component)),
        _("Only reintegration officers, supervisors and finance officers of the mission working the case buy for it."),
    )


def _require_in_work(component: Component) -> None:
    """Rule: only an approved component, or one already in delivery, is bought for."""
    if component.status not in IN_WORK:
        raise ServiceError(
            _("The component is %(status)s: only an approved component, or one in delivery, is bought for.")
            % {"status": component.get_status_display()}
        )


def _require_in_kind(component: Component) -> None:
    if component.delivery != Component.Delivery.IN_KIND:
        raise ServiceError(_("This component is paid in cash to the returnee: nothing is bought from a provider."))


def _amount(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = [_("Enter an amount, e.g. 1250.00.")]
        return Decimal(0)
    if amount <= 0:
        errors[field] = [_("Enter a positive amount.")]
    elif amount > MAX_AMOUNT:
        errors[field] = [_("The amount is too large.")]
    return amount


def _currency(value: str, field: str, errors: dict[str, list[str]]) -> str:
    code = (value or "").strip().upper()
    if not CURRENCY.match(code):
        errors[field] = [_("Give a three-letter currency code, e.g. PKR.")]
    return code


def _past(day: dt.date | None, field: str, errors: dict[str, list[str]], *, required: str) -> None:
    if day is None:
        errors[field] = [required]
    elif day > timezone.localdate():
        errors[field] = [_("The date is in the future.")]


def _scan(file: Any, field: str, errors: dict[str, list[str]]) -> str:
    """The sniffed content type of an upload (PDF, JPEG or PNG), or "" with the reason in ``errors``."""
    if not file:
        return ""
    try:
        return files.check_upload(file, field=field)
    except ServiceError as error:
        errors.update(error.fields)
        return ""


def _refuse(message: str, errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(message, errors)


def reintegration_line(programme: Programme) -> BudgetLine:
    """The programme's reintegration budget line, which every component's money is booked against."""
    line = programme.budget_lines.filter(category=BudgetLine.Category.REINTEGRATION).order_by("pk").first()
    if line is None:
        raise ServiceError(
            _("Programme %(code)s has no reintegration budget line: ask its manager to add one.")
            % {"code": programme.code}
        )
    return line


def _buying_mission(case: Any) -> Mission:
    return case.referred_to_mission if case.referred_to_mission_id is not None else case.host_mission


# ---------------------------------------------------------------- quotes


@service
def quote_record(
    *,
    acting_user: User,
    component: Component,
    provider: Provider,
    amount: Decimal,
    currency: str,
    received_on: dt.date,
    valid_until: dt.date | None = None,
    description: str = "",
    scan: Any = None,
) -> Quote:
    """Record a provider's offer for a component.

    Rule: by the reintegration staff or finance officers of the mission working the
    case (its origin mission, or the host mission before the referral); for an
    approved in-kind component or one in delivery; from an active provider of that
    origin mission (of the destination country before the referral); a positive
    amount; received not in the future, valid until no earlier; a scan is a PDF,
    JPEG or PNG. Vetting is checked when a quote is chosen.
    """
    require_procurer(acting_user, component)
    _require_in_kind(component)
    _require_in_work(component)
    case = _case(component)
    errors: dict[str, list[str]] = {}
    if not provider.active:
        errors["provider"] = [_("%(name)s is no longer active.") % {"name": provider.name}]
    elif case.referred_to_mission_id is not None and provider.mission_id != case.referred_to_mission_id:
        errors["provider"] = [
            _("%(name)s is managed by %(mission)s, not by %(origin)s, which works this case.")
            % {"name": provider.name, "mission": provider.mission.code, "origin": case.referred_to_mission.code}
        ]
    elif case.referred_to_mission_id is None and provider.country.code != case.destination_country.code:
        errors["provider"] = [
            _("%(name)s is not in %(country)s, where the returnee goes.")
            % {"name": provider.name, "country": case.destination_country.name}
        ]
    value = _amount(amount, "amount", errors)
    code = _currency(currency, "currency", errors)
    _past(received_on, "received_on", errors, required=_("Give the date the quote was received."))
    if valid_until is not None and received_on is not None and valid_until < received_on:
        errors["valid_until"] = [_("A quote is valid until a day after it was received, not before.")]
    content_type = _scan(scan, "scan", errors)
    _refuse(_("The quote was not saved: check the fields marked."), errors)
    quote = Quote(
        component=component, provider=provider, amount=value, currency=code, received_on=received_on,
        valid_until=valid_until, description=(description or "").strip(), recorded_by=acting_user,
    )  # fmt: skip
    with about_case(case.pk):
        if content_type:
            quote.scan.save(files.stored_name("quote", content_type), scan, save=False)
            quote.scan_content_type = content_type
        quote.save()
    return quote


@service
def quote_choose(*, acting_user: User, quote: Quote, reason: str) -> Quote:
    """Choose a quote to order from, saying why.

    Rule: by those who buy for the case; a reason is required; only a vetted,
    active provider is chosen ("a provider with no vetting" is refused in words);
    an expired quote is not chosen; the component is approved or in delivery.
    Several quotes of one component may be chosen when it is bought from several providers.
    """
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("provider", "component__plan__case")
        .get(pk=quote.pk)
    )
    component = quote.component
    require_procurer(acting_user, component)
    _require_in_work(component)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(
            _("Say why this quote is chosen."), {"reason": [_("Give the reason for choosing this quote.")]}
        )
    if quote.chosen:
        raise ServiceError(_("This quote has already been chosen."))
    require_vetted(quote.provider)
    if quote.valid_until is not None and quote.valid_until < timezone.localdate():
        raise ServiceError(
            _("This quote expired on %(date)s: ask the provider for a new one.")
            % {"date": quote.valid_until.isoformat()}
        )
    quote.chosen, quote.choice_reason = True, reason
    with about_case(component.plan.case_id):
        quote.save(update_fields=["chosen", "choice_reason"])
    return quote


# ---------------------------------------------------------------- purchase orders


def _next_number(mission: Mission, year: int) -> str:
    prefix = f"PO-{mission.code}-{year}-"
    used = PurchaseOrder.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(n.removeprefix(prefix)) for n in used if n.removeprefix(prefix).isdigit()), default=0)
    return f"{prefix}{last + 1:04d}"


def _others_in_plan_currency(component: Component) -> Decimal:
    """What the component's other live orders take of its budget, in the plan's currency."""
    total = Decimal(0)
    live = component.purchase_orders.exclude(status=PurchaseOrder.Status.CANCELLED)
    for order in live:
        total += convert(order.amount, order.currency, component.plan.currency, order.issued_on)[0]
    return total


@service
def po_issue(
    *, acting_user: User, quote: Quote, issued_on: dt.date | None = None, note: str = "", override_reason: str = ""
) -> PurchaseOrder:
    """Place an order with the provider of a chosen quote.

    Rule: by those who buy for the case; from a chosen quote of a vetted, active
    provider, once; numbered ``PO-<mission>-<year>-<seq>``; its amount, in the
    plan's currency at the issue date's rate (refused without one), fits the
    component's budget less what its other live orders take; above it only with a
    supervisor's reason, and the extra is then committed on the component's source
    in the ledger. An approved component goes into delivery.
    """
    quote = Quote.objects.select_for_update(of=("self",)).select_related("provider", "component").get(pk=quote.pk)
    # One order at a time per component: two orders cannot both squeeze under its budget.
    component = (
        Component.objects.select_for_update(of=("self",))
        .select_related("plan__case__host_mission", "plan__case__referred_to_mission", "plan__programme")
        .get(pk=quote.component_id)
    )
    case, plan = component.plan.case, component.plan
    require_procurer(acting_user, component)
    _require_in_work(component)
    if not quote.chosen:
        raise ServiceError(_("Choose this quote, with the reason, before ordering from it."))
    existing = PurchaseOrder.objects.filter(quote=quote).first()
    if existing is not None:
        raise ServiceError(
            _("Order %(number)s was already issued from this quote: record a new quote to order again.")
            % {"number": existing.number}
        )
    require_vetted(quote.provider)
    issued_on = issued_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    _past(issued_on, "issued_on", errors, required=_("Give the date of the order."))
    if not errors and issued_on < quote.received_on:
        errors["issued_on"] = [_("An order is issued after the quote was received, not before.")]
    _refuse(_("The order was not issued: check the fields marked."), errors)
    amount = convert(quote.amount, quote.currency, plan.currency, issued_on)[0]
    others = _others_in_plan_currency(component)
    left = component.budget - others
    override_reason = (override_reason or "").strip()
    extra = Decimal(0)
    if amount > left:
        if not override_reason:
            raise ServiceError(
                _(
                    "This order (%(amount)s %(currency)s) is above what is left of the component's budget "
                    "(%(left)s of %(budget)s %(currency)s): a supervisor's override with a reason is needed."
                )
                % {"amount": amount, "left": left, "budget": component.budget, "currency": plan.currency},
                {"override_reason": [_("Give the reason for exceeding the component's budget.")]},
            )
        _require(
            selectors.may_override(acting_user, case, plan.programme),
            _("Only a supervisor may order above a component's budget."),
        )
        # Only what goes beyond the budget (or beyond earlier overrides) is committed again.
        extra = others + amount - max(component.budget, others)
    year = issued_on.year
    mission = _buying_mission(case)
    with about_case(case.pk):
        for attempt in range(5):
            try:
                with transaction.atomic():
                    order = PurchaseOrder.objects.create(
                        component=component, quote=quote, provider=quote.provider,
                        number=_next_number(mission, year), amount=quote.amount, currency=quote.currency,
                        issued_on=issued_on, override_reason=override_reason if extra else "",
                        note=(note or "").strip(), issued_by=acting_user,
                    )  # fmt: skip
                break
            except IntegrityError:
                # Another order of the mission took the number meanwhile: take the next one.
                if attempt == 4:
                    raise
        if extra > 0:
            ledger.entry_book(
                acting_user=acting_user, budget_line=reintegration_line(plan.programme),
                kind=LedgerEntry.Kind.COMMITMENT, amount=extra, currency=plan.currency, booked_on=issued_on,
                source=component.source, case=case, override_reason=override_reason, cause=order.source,
                note=_("%(number)s: ordered above the component's budget") % {"number": order.number},
            )  # fmt: skip
        if component.status == C.APPROVED:
            # The plan's own services may add to this later; the status and its date are all it needs.
            component.status, component.delivery_started_on = C.IN_DELIVERY, issued_on
            component.save(update_fields=["status", "delivery_started_on"])
    return order


def _lock_order(order: PurchaseOrder) -> PurchaseOrder:
    return (
        PurchaseOrder.objects.select_for_update(of=("self",))
        .select_related("provider", "component__plan__case", "component__plan__programme")
        .get(pk=order.pk)
    )


@service
def po_cancel(*, acting_user: User, purchase_order: PurchaseOrder, reason: str) -> PurchaseOrder:
    """Cancel an order, saying why.

    Rule: by a supervisor or a finance officer of the buying mission or of the
    programme; never once an invoice of it is paid, and its open invoices are
    rejected first; what the order had committed above the component's budget is
    released. The reason is kept in the order's note (and the audit log).
    """
    order = _lock_order(purchase_order)
    component = order.component
    case, programme = component.plan.case, component.plan.programme
    _require(
        selectors.may_cancel_order(acting_user, case, programme),
        _("Only supervisors and finance officers cancel an order."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the order is cancelled."), {"reason": [_("This field is required.")]})
    if order.status == PurchaseOrder.Status.CANCELLED:
        raise ServiceError(_("This order is already cancelled."))
    invoices = order.invoices.exclude(status=Invoice.Status.REJECTED)
    if invoices.filter(status=Invoice.Status.PAID).exists():
        raise ServiceError(_("An invoice of this order has been paid: the order cannot be cancelled."))
    if invoices.exists():
        raise ServiceError(_("Reject this order's open invoices before cancelling it."))
    today = timezone.localdate()
    order.status = PurchaseOrder.Status.CANCELLED
    order.note = "\n".join(
        filter(
            None, [order.note, _("Cancelled on %(date)s: %(reason)s") % {"date": today.isoformat(), "reason": reason}]
        )
    )
    with about_case(case.pk):
        order.save(update_fields=["status", "note"])
        # What orders committed above the budget, net of earlier cancellations, against what the
        # orders still live need above it: the difference is released.
        extras = LedgerEntry.objects.filter(
            source=component.source, kind=LedgerEntry.Kind.COMMITMENT, cause__startswith="po:",
        ).aggregate(total=Sum("amount", default=Decimal(0)))["total"]  # fmt: skip
        needed = max(Decimal(0), _others_in_plan_currency(component) - component.budget)
        if extras - needed > 0:
            ledger.entry_release(
                acting_user=acting_user, source=component.source, booked_on=today, amount=extras - needed,
                cause=order.source, note=_("%(number)s: order cancelled") % {"number": order.number},
            )  # fmt: skip
    return order


# ---------------------------------------------------------------- deliveries


@service
def delivery_record(
    *,
    acting_user: User,
    component: Component,
    purchase_order: PurchaseOrder | None = None,
    received_on: dt.date,
    description: str,
    complete: bool = False,
    confirmed_by_returnee: bool,
    evidence: Any = None,
) -> Delivery:
    """Record goods or services received; partial deliveries are normal (several per order).

    Rule: by the reintegration staff of the mission working the case; the
    component is approved or in delivery, the order is one of its live orders;
    received on a day not in the future nor before the order; confirmed by the
    returnee only with their signature or a photo (a PDF, JPEG or PNG). A complete,
    confirmed delivery completes its order, and the component is delivered once
    all its live orders are.
    """
    component = Component.objects.select_for_update(of=("self",)).select_related("plan__case").get(pk=component.pk)
    case = _case(component)
    _require(
        selectors.may_record_delivery(acting_user, case),
        _("Only reintegration officers and supervisors of the mission working the case record deliveries."),
    )
    _require_in_work(component)
    errors: dict[str, list[str]] = {}
    order = None
    if purchase_order is not None:
        order = _lock_order(purchase_order)
        if order.component_id != component.pk:
            errors["purchase_order"] = [_("Choose an order of this component.")]
        elif order.status == PurchaseOrder.Status.CANCELLED:
            errors["purchase_order"] = [_("Order %(number)s is cancelled.") % {"number": order.number}]
    _past(received_on, "received_on", errors, required=_("Give the date it was received."))
    if order is not None and received_on is not None and "received_on" not in errors and received_on < order.issued_on:
        errors["received_on"] = [_("Received before the order was issued: check the date.")]
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Say what was received.")]
    if confirmed_by_returnee and not evidence:
        errors["evidence"] = [_("The returnee's confirmation needs their signature or a photo.")]
    content_type = _scan(evidence, "evidence", errors)
    _refuse(_("The delivery was not saved: check the fields marked."), errors)
    delivery = Delivery(
        component=component, purchase_order=order, received_on=received_on, description=description,
        complete=bool(complete), confirmed_by_returnee=bool(confirmed_by_returnee), recorded_by=acting_user,
    )  # fmt: skip
    with about_case(case.pk):
        if content_type:
            delivery.evidence.save(files.stored_name("delivery", content_type), evidence, save=False)
            delivery.evidence_content_type = content_type
        delivery.save()
        if delivery.complete and delivery.confirmed_by_returnee:
            _complete(component, order, received_on, acting_user)
        elif component.status == C.APPROVED:
            component.status, component.delivery_started_on = C.IN_DELIVERY, received_on
            component.save(update_fields=["status", "delivery_started_on"])
    return delivery


def _complete(component: Component, order: PurchaseOrder | None, received_on: dt.date, by: User) -> None:
    if order is not None and order.status == PurchaseOrder.Status.ISSUED:
        order.status = PurchaseOrder.Status.COMPLETED
        order.save(update_fields=["status"])
    if component.purchase_orders.filter(status=PurchaseOrder.Status.ISSUED).exists():
        return
    # Everything ordered is in the returnee's hands: the component is delivered, as the plan records it.
    mark_delivered(component, received_on, by)


# ---------------------------------------------------------------- invoices


def _lock_invoice(invoice: Invoice) -> Invoice:
    """Re-read under a row lock: two people acting on one invoice queue up, the second sees the first's work."""
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related(
            "purchase_order__provider", "component__plan__case__referred_to_mission", "component__plan__programme"
        )
        .get(pk=invoice.pk)
    )


@service
def invoice_record(
    *,
    acting_user: User,
    purchase_order: PurchaseOrder,
    provider_reference: str,
    amount: Decimal,
    currency: str,
    issued_on: dt.date,
    scan: Any = None,
) -> Invoice:
    """Record a provider's invoice against an order; the person recording it is who raised it.

    Rule: by those who buy for the case; against a live order, in the order's
    currency; the order's live (not rejected) invoices together never exceed the
    order ("an invoice above its purchase order" is refused, naming both amounts);
    one provider invoice number once per order; dated not in the future; a scan is
    a PDF, JPEG or PNG.
    """
    order = _lock_order(purchase_order)  # invoices of one order are added one at a time
    _require_component_going(order.component)
    component = order.component
    case = component.plan.case
    require_procurer(acting_user, component)
    if order.status == PurchaseOrder.Status.CANCELLED:
        raise ServiceError(
            _("Order %(number)s is cancelled: no invoice is paid against it.") % {"number": order.number}
        )
    errors: dict[str, list[str]] = {}
    reference = re.sub(r"\s+", " ", provider_reference or "").strip()
    if not reference:
        errors["provider_reference"] = [_("Give the provider's invoice number.")]
    elif len(reference) > 60:
        errors["provider_reference"] = [_("The invoice number is too long: at most 60 characters.")]
    value = _amount(amount, "amount", errors)
    code = _currency(currency, "currency", errors)
    if "currency" not in errors and code != order.currency:
        errors["currency"] = [
            _("Order %(number)s is in %(currency)s: the invoice must be too.")
            % {"number": order.number, "currency": order.currency}
        ]
    _past(issued_on, "issued_on", errors, required=_("Give the invoice date."))
    content_type = _scan(scan, "scan", errors)
    _refuse(_("The invoice was not saved: check the fields marked."), errors)
    if order.invoices.filter(provider_reference__iexact=reference).exists():
        raise _recorded_twice(reference, order)
    invoiced = order.invoices.exclude(status=Invoice.Status.REJECTED).aggregate(
        total=Sum("amount", default=Decimal(0))
    )["total"]
    if invoiced + value > order.amount:
        message = _(
            "An invoice above its purchase order: this invoice of %(amount)s %(currency)s would bring the "
            "invoices of %(number)s to %(total)s %(currency)s, but the order is for %(ordered)s %(currency)s "
            "(%(left)s %(currency)s left to invoice)."
        ) % {
            "amount": value, "total": invoiced + value, "number": order.number, "ordered": order.amount,
            "left": order.amount - invoiced, "currency": order.currency,
        }  # fmt: skip
        raise ServiceError(message, {"amount": [message]})
    invoice = Invoice(
        component=component, purchase_order=order, provider_reference=reference, amount=value, currency=code,
        issued_on=issued_on, raised_by=acting_user,
    )  # fmt: skip
    try:
        with transaction.atomic(), about_case(case.pk):
            if content_type:
                invoice.scan.save(files.stored_name("invoice", content_type), scan, save=False)
                invoice.scan_content_type = content_type
            invoice.save()
    except IntegrityError:
        raise _recorded_twice(reference, order) from None  # recorded by someone else just now
    return invoice


def _recorded_twice(reference: str, order: PurchaseOrder) -> ServiceError:
    message = _("Invoice %(reference)s is already recorded on order %(number)s.") % {
        "reference": reference,
        "number": order.number,
    }
    return ServiceError(message, {"provider_reference": [message]})


def _require_live_order(invoice: Invoice) -> None:
    if invoice.purchase_order.status == PurchaseOrder.Status.CANCELLED:
        raise ServiceError(
            _("Order %(number)s is cancelled: its invoices are not paid.") % {"number": invoice.purchase_order.number}
        )


@service
def invoice_approve(*, acting_user: User, invoice: Invoice, override_reason: str = "") -> Invoice:
    """Approve an invoice for payment.

    Rule: by a supervisor or a finance officer of the case's origin mission or of a
    mission of the programme; never by the person who recorded it ("the person who
    raises an invoice cannot approve its payment"); only a received invoice of a live order
    of a component still going. A supervisor may give a reason to pay it above the budget
    line or the case's ceiling; the finance officer who pays it then pays on that decision.
    """
    invoice = _lock_invoice(invoice)
    component = invoice.component
    case, programme = component.plan.case, component.plan.programme
    _require(
        selectors.may_approve_invoices(acting_user, case, programme),
        _("Only supervisors and finance officers of the origin mission or of the programme approve invoices."),
    )
    if invoice.raised_by_id == acting_user.pk:
        raise PermissionDenied(
            _("You recorded this invoice: the person who raises an invoice cannot approve its payment.")
        )
    if invoice.status != Invoice.Status.RECEIVED:
        raise ServiceError(
            _("This invoice is %(status)s: only a received invoice is approved.")
            % {"status": invoice.get_status_display()}
        )
    _require_live_order(invoice)
    _require_component_going(component)
    override_reason = (override_reason or "").strip()
    if override_reason:
        _require(
            selectors.may_override(acting_user, case, programme),
            _("Only a supervisor may allow a payment above the budget or the case's ceiling."),
        )
    invoice.status, invoice.approved_by, invoice.approved_at = Invoice.Status.APPROVED, acting_user, timezone.now()
    invoice.override_reason = override_reason
    invoice.version += 1
    with about_case(case.pk):
        invoice.save(update_fields=["status", "approved_by", "approved_at", "override_reason", "version"])
    return invoice


def _require_component_going(component: Component) -> None:
    if component.status == Component.Status.CANCELLED:
        raise ServiceError(_("The component has been cancelled: nothing more is bought or paid for it."))


@service
def invoice_reject(*, acting_user: User, invoice: Invoice, reason: str) -> Invoice:
    """Reject an invoice, saying why; it no longer counts against its order.

    Rule: by those who approve invoices; a received or approved invoice, never a
    paid one (a paid invoice is reversed instead); a reason is required.
    """
    invoice = _lock_invoice(invoice)
    component = invoice.component
    case, programme = component.plan.case, component.plan.programme
    _require(
        selectors.may_approve_invoices(acting_user, case, programme),
        _("Only supervisors and finance officers of the origin mission or of the programme reject invoices."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the invoice is rejected."), {"reason": [_("This field is required.")]})
    if invoice.status not in {Invoice.Status.RECEIVED, Invoice.Status.APPROVED}:
        raise ServiceError(
            _("This invoice is %(status)s: only a received or approved invoice is rejected.")
            % {"status": invoice.get_status_display()}
        )
    invoice.status, invoice.rejection_reason = Invoice.Status.REJECTED, reason
    invoice.version += 1
    with about_case(case.pk):
        invoice.save(update_fields=["status", "rejection_reason", "version"])
    return invoice


def _paid_for_case(case: Any, line: BudgetLine) -> Decimal:
    return LedgerEntry.objects.filter(case=case, budget_line=line, kind=LedgerEntry.Kind.PAYMENT).aggregate(
        total=Sum("amount", default=Decimal(0))
    )["total"]


def _recorded_override(invoice: Invoice) -> tuple[str, Any]:
    """A supervisor's reason already given for this money, and who gave it: on approving the
    invoice, on issuing the order, on approving the plan."""
    order, plan = invoice.purchase_order, invoice.component.plan
    for reason, by in ((invoice.override_reason, invoice.approved_by), (order.override_reason, order.issued_by),
                       (plan.override_reason, plan.approved_by)):  # fmt: skip
        if reason:
            return reason, by
    return "", None


def _check_ceiling(
    *, acting_user: User, invoice: Invoice, line: BudgetLine, amount: Decimal, on: dt.date, override_reason: str
) -> str:
    """Rule: payments for a case stay within its reintegration ceiling unless a supervisor gave a reason:
    on approving the invoice, on the order, on the plan, or now. Returns the reason that lets it
    through ("" when none is needed)."""
    component = invoice.component
    plan, case = component.plan, component.plan.case
    ceiling = ceiling_for(case)
    if ceiling is None:
        return ""
    limit = convert(ceiling[0], ceiling[1], line.currency, on)[0]
    paid = _paid_for_case(case, line)
    if paid + amount <= limit:
        return ""
    recorded, _by = _recorded_override(invoice)
    if recorded:
        return recorded
    if not override_reason:
        raise ServiceError(
            _(
                "This payment would take case %(reference)s above its reintegration ceiling of %(limit)s "
                "%(currency)s (%(paid)s %(currency)s paid so far): a supervisor's override with a reason is needed."
            )
            % {"reference": case.reference, "limit": limit, "paid": paid, "currency": line.currency},
            {"override_reason": [_("Give the reason for exceeding the case's ceiling.")]},
        )
    _require(
        selectors.may_override(acting_user, case, plan.programme),
        _("Only a supervisor may take a case above its ceiling."),
    )
    return override_reason


@service
def invoice_pay(
    *,
    acting_user: User,
    invoice: Invoice,
    paid_on: dt.date,
    payment_reference: str = "",
    override_reason: str = "",
) -> Invoice:
    """Pay an approved invoice to its provider, in one transaction.

    Rule: by a finance officer of the case's origin mission or of the programme;
    never by the person who approved it; only an approved invoice of a live order
    whose goods or services the returnee has confirmed receiving; to a vetted,
    active provider; converted into the reintegration budget line's currency at
    the rate of the payment date (refused without one). The component's
    commitment is released by that amount and the payment booked on the
    invoice's source; overspending the line or the case's ceiling needs a
    supervisor's reason. Paid once, also under two requests at once: the invoice
    row is locked and re-read, and the ledger holds one live payment per source.
    """
    invoice = _lock_invoice(invoice)
    order, component = invoice.purchase_order, invoice.component
    plan, case = component.plan, component.plan.case
    _require(
        selectors.may_pay_invoices(acting_user, case, plan.programme),
        _("Only finance officers of the origin mission or of the programme pay invoices."),
    )
    if invoice.status == Invoice.Status.PAID:
        raise ServiceError(
            _("Invoice %(reference)s has already been paid (on %(date)s).")
            % {"reference": invoice.provider_reference, "date": invoice.paid_on.isoformat() if invoice.paid_on else "?"}
        )
    if invoice.status != Invoice.Status.APPROVED:
        raise ServiceError(
            _("This invoice is %(status)s: only an approved invoice is paid.")
            % {"status": invoice.get_status_display()}
        )
    if invoice.approved_by_id == acting_user.pk:
        raise PermissionDenied(_("You approved this invoice: the person who approved an invoice cannot pay it."))
    if invoice.raised_by_id == acting_user.pk:
        raise PermissionDenied(_("You recorded this invoice: the person who raises an invoice cannot pay it."))
    _require_live_order(invoice)
    _require_component_going(component)
    errors: dict[str, list[str]] = {}
    _past(paid_on, "paid_on", errors, required=_("Give the payment date."))
    # Not before the bill existed and was approved: the date also picks the exchange rate and the period.
    earliest = max(invoice.issued_on, timezone.localdate(invoice.approved_at))  # type: ignore[arg-type]
    if paid_on is not None and "paid_on" not in errors and paid_on < earliest:
        errors["paid_on"] = [
            _("An invoice is not paid before it was issued and approved (%(date)s).") % {"date": earliest.isoformat()}
        ]
    if len((payment_reference or "").strip()) > 80:
        errors["payment_reference"] = [_("The payment reference is too long: at most 80 characters.")]
    _refuse(_("The invoice was not paid: check the fields marked."), errors)
    if not order.deliveries.filter(confirmed_by_returnee=True).exists():
        raise ServiceError(
            _(
                "Nothing of order %(number)s has been confirmed received by the returnee: record the delivery, "
                "with their signature or a photo, before paying."
            )
            % {"number": order.number}
        )
    require_vetted(order.provider)
    line = reintegration_line(plan.programme)
    # Refused in words here, before anything is booked, when the date has no rate.
    amount = convert(invoice.amount, invoice.currency, line.currency, paid_on)[0]
    reason = _check_ceiling(
        acting_user=acting_user, invoice=invoice, line=line, amount=amount, on=paid_on,
        override_reason=(override_reason or "").strip(),
    )  # fmt: skip
    # A supervisor's decision recorded earlier also covers overspending the budget line.
    recorded, decided_by = _recorded_override(invoice)
    with about_case(case.pk):
        ledger.entry_release(
            acting_user=acting_user, source=component.source, booked_on=paid_on, amount=amount,
            cause=invoice.source, note=_("released on payment of invoice %(reference)s") % {"reference": invoice.provider_reference},
        )  # fmt: skip
        ledger.entry_book(
            acting_user=acting_user, budget_line=line, kind=LedgerEntry.Kind.PAYMENT, amount=invoice.amount,
            currency=invoice.currency, booked_on=paid_on, source=invoice.source, case=case,
            note=_("%(provider)s, invoice %(reference)s, order %(number)s")
            % {"provider": order.provider.name, "reference": invoice.provider_reference, "number": order.number},
            override_reason=reason or recorded, override_by=decided_by if (reason or recorded) == recorded else None,
        )  # fmt: skip
        invoice.status, invoice.paid_by, invoice.paid_on = Invoice.Status.PAID, acting_user, paid_on
        invoice.payment_reference = (payment_reference or "").strip()
        invoice.version += 1
        invoice.save(update_fields=["status", "paid_by", "paid_on", "payment_reference", "version"])
    return invoice


@service
def invoice_payment_reverse(*, acting_user: User, invoice: Invoice, reason: str) -> Invoice:
    """Undo a mistaken payment by counter-entries; the invoice is approved again, to be paid anew.

    Rule: by a finance officer who may pay it; only a paid invoice; a reason is
    required. The payment entry is reversed and so is the release of the
    component's commitment it made, so the money is committed again; nothing is
    deleted, and the audit log keeps who reversed it and why.
    """
    invoice = _lock_invoice(invoice)
    component = invoice.component
    case = component.plan.case
    _require(
        selectors.may_pay_invoices(acting_user, case, component.plan.programme),
        _("Only finance officers of the origin mission or of the programme reverse a payment."),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the payment is reversed."), {"reason": [_("This field is required.")]})
    if invoice.status != Invoice.Status.PAID:
        raise ServiceError(
            _("This invoice is %(status)s: only a paid invoice's payment is reversed.")
            % {"status": invoice.get_status_display()}
        )
    live = LedgerEntry.objects.filter(source=invoice.source, reverses__isnull=True, reversed_at__isnull=True)
    payment = live.filter(kind=LedgerEntry.Kind.PAYMENT).first()
    release = (
        LedgerEntry.objects.filter(
            source=component.source, kind=LedgerEntry.Kind.COMMITMENT, cause=invoice.source,
            reverses__isnull=True, reversed_at__isnull=True, amount__lt=0,
        )
        .order_by("-pk")
        .first()
    )  # fmt: skip
    with about_case(case.pk):
        if payment is not None:
            ledger.entry_reverse(acting_user=acting_user, entry=payment, reason=reason)
        if release is not None:
            ledger.entry_reverse(acting_user=acting_user, entry=release, reason=reason)
        invoice.status, invoice.paid_by, invoice.paid_on, invoice.payment_reference = (
            Invoice.Status.APPROVED, None, None, ""
        )  # fmt: skip
        invoice.version += 1
        invoice.save(update_fields=["status", "paid_by", "paid_on", "payment_reference", "version"])
    return invoice
