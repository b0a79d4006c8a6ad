"""Provider and procurement pages: thin views that parse a form, call one service or selector, and
render or redirect.

A role with no access to providers gets 403 on every provider page; a provider
of a mission the user does not work for is a 404. A component (quote, order,
invoice, delivery) of a case the user cannot see is a 404; a forbidden action on
one they can see is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.assistance import procurement, selectors, services
from homeward.assistance.forms import (
    DeliveryForm,
    InvoiceForm,
    OrderForm,
    PayForm,
    ProviderForm,
    ProviderSearchForm,
    QuoteForm,
    VettingForm,
)
from homeward.assistance.models import Invoice, Provider, PurchaseOrder
from homeward.core import files
from homeward.core.errors import ServiceError
from homeward.reintegration.models import Component

HISTORY_SHOWN = 25


def _require_access(request: HttpRequest) -> None:
    if not selectors.may_view_providers(request.user):
        raise PermissionDenied(_("Your role does not give access to service providers."))


def _provider(request: HttpRequest, provider_id: int) -> Provider:
    _require_access(request)
    return selectors.provider_for_user(request.user, provider_id)


def _detail(provider: Provider) -> HttpResponse:
    return redirect(reverse("assistance:provider_detail", args=[provider.pk]))


@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    _require_access(request)
    form = ProviderSearchForm(request.GET or None)
    form.is_valid()  # an unknown filter value is shown as an error; the valid ones still apply
    given = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if v}
    providers = selectors.provider_list(request.user, selectors.ProviderFilters(**given))
    page = Paginator(providers, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "can_register": selectors.missions_for_registration(request.user).exists(),
    }
    if request.htmx and request.htmx.target == "provider-results":
        return render(request, "assistance/_provider_results.html", context)
    return render(request, "assistance/provider_list.html", context)


@require_http_methods(["GET", "POST"])
def provider_create(request: HttpRequest) -> HttpResponse:
    _require_access(request)
    missions = selectors.missions_for_registration(request.user)
    if not missions.exists():
        raise PermissionDenied(_("Your role does not register service providers."))
    bank = any(selectors.can_handle_bank_details(request.user, m.pk) for m in missions)
    initial: dict[str, Any] = {"active": True}
    if len(missions) == 1:
        initial["country"] = missions[0].country.code
    form = ProviderForm(request.POST or None, missions=missions, bank=bank, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                provider = services.provider_create(
                    acting_user=request.user,
                    mission=form.cleaned_data["mission"],
                    data=form.to_input(),  # type: ignore[arg-type]
                    bank=form.to_bank(),
                )
            except ServiceError as error:
                form.add_service_error(error)
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(name)s registered, not vetted yet.") % {"name": provider.name})
                return _detail(provider)
        else:
            messages.error(request, _("Nothing was saved: check the fields marked."))
    return render(request, "assistance/provider_form.html", {"form": form, "title": _("Register a service provider")})


@require_GET
def provider_detail(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = _provider(request, provider_id)
    user = request.user
    full_history = request.GET.get("history") == "all"
    rows = selectors.provider_history(user, provider, limit=200 if full_history else HISTORY_SHOWN + 1)
    context = {
        "provider": provider,
        "can_edit": selectors.can_edit(user, provider.mission_id),
        "sees_bank": selectors.can_handle_bank_details(user, provider.mission_id),
        "can_vet": selectors.can_edit(user, provider.mission_id) or selectors.can_decide_vetting(user, provider),
        "vetting": selectors.vetting_history(provider),
        "history": rows if full_history else rows[:HISTORY_SHOWN],
        "history_more": not full_history and len(rows) > HISTORY_SHOWN,
    }
    return render(request, "assistance/provider_detail.html", context)


@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = _provider(request, provider_id)
    details = selectors.can_edit(request.user, provider.mission_id)
    bank = selectors.can_handle_bank_details(request.user, provider.mission_id)
    if not details and not bank:
        raise PermissionDenied(_("Your role does not change service providers."))
    initial: dict[str, Any] = asdict(services.provider_input_of(provider))
    if bank:
        initial |= asdict(services.bank_details_of(provider))
    form = ProviderForm(request.POST or None, details=details, bank=bank, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.provider_update(
                    acting_user=request.user, provider=provider, data=form.to_input(), bank=form.to_bank()
                )
            except ServiceError as error:
                form.add_service_error(error)
                messages.error(request, error.message)
            else:
                messages.success(request, _("%(name)s saved.") % {"name": provider.name})
                return _detail(provider)
        else:
            messages.error(request, _("Nothing was saved: check the fields marked."))
    title = _("Change %(name)s") % {"name": provider.name}
    return render(request, "assistance/provider_form.html", {"form": form, "title": title, "provider": provider})


def _statuses(request: HttpRequest, provider: Provider) -> list[tuple[str, str]]:
    """The statuses this user may set: decisions only for those who may take them."""
    may_edit = selectors.can_edit(request.user, provider.mission_id)
    may_decide = selectors.can_decide_vetting(request.user, provider)
    return [
        (value, label)
        for value, label in Provider.Vetting.choices
        if (may_decide if value in Provider.DECISIONS else may_edit)
    ]


@require_http_methods(["GET", "POST"])
def provider_vetting(request: HttpRequest, provider_id: int) -> HttpResponse:
    provider = _provider(request, provider_id)
    statuses = _statuses(request, provider)
    if not statuses:
        raise PermissionDenied(_("Your role does not vet service providers."))
    initial = {"status": provider.vetting_status, "decided_on": provider.vetted_on, "note": provider.vetting_note}
    form = VettingForm(request.POST or None, statuses=statuses, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.provider_vetting_set(acting_user=request.user, provider=provider, **form.cleaned_data)
            except ServiceError as error:
                form.add_service_error(error)
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("%(name)s: %(status)s.")
                    % {"name": provider.name, "status": provider.get_vetting_status_display()},
                )
                return _detail(provider)
        else:
            messages.error(request, _("Nothing was saved: check the fields marked."))
    context = {
        "form": form,
        "provider": provider,
        "title": _("Vetting of %(name)s") % {"name": provider.name},
        "registrar": provider.created_by_id == request.user.pk,
    }
    return render(request, "assistance/provider_vetting.html", context)


# ---------------------------------------------------------------- procurement of a component


def _component(request: HttpRequest, component_id: int) -> Component:
    return selectors.procurement_component_for_user(request.user, component_id)


def _procurement_url(component: Component, anchor: str = "") -> str:
    url = reverse("assistance:component_procurement", args=[component.pk])
    return f"{url}#{anchor}" if anchor else url


def _may(user: Any, component: Component) -> dict[str, bool]:
    """What this user may do on the component's procurement page: each form shows only for those who may."""
    case, programme = component.plan.case, component.plan.programme
    in_work = component.status in procurement.IN_WORK
    return {
        "in_work": in_work,
        "can_procure": in_work
        and component.delivery == Component.Delivery.IN_KIND
        and selectors.may_procure(user, case),
        "can_record_invoice": selectors.may_procure(user, case),
        "can_deliver": in_work and selectors.may_record_delivery(user, case),
        "can_override": selectors.may_override(user, case, programme),
        "can_cancel": selectors.may_cancel_order(user, case, programme),
        "can_approve": selectors.may_approve_invoices(user, case, programme),
        "can_pay": selectors.may_pay_invoices(user, case, programme),
    }


def _live_orders(component: Component) -> Any:
    return component.purchase_orders.exclude(status=PurchaseOrder.Status.CANCELLED).order_by("issued_on", "pk")


def _render_procurement(request: HttpRequest, component: Component, **bound: Any) -> HttpResponse:
    may = _may(request.user, component)
    data = selectors.procurement_of(component)
    orders = _live_orders(component)
    today = timezone.localdate()
    quote_form = bound.get("quote_form")
    if quote_form is None and may["can_procure"]:
        quote_form = QuoteForm(providers=selectors.providers_for_quotes(component), initial={"received_on": today})
    delivery_form = bound.get("delivery_form")
    if delivery_form is None and may["can_deliver"]:
        delivery_form = DeliveryForm(orders=orders, initial={"received_on": today})
    invoice_form = bound.get("invoice_form")
    if invoice_form is None and may["can_record_invoice"] and data.live_orders:
        first = data.live_orders[-1]
        invoice_form = InvoiceForm(orders=orders, initial={"purchase_order": first, "currency": first.currency})
    context = {
        "component": component,
        "case": component.plan.case,
        "p": data,
        "quote_form": quote_form,
        "delivery_form": delivery_form,
        "invoice_form": invoice_form,
        "today": today,
        **may,
    }
    return render(request, "assistance/component_procurement.html", context)


@require_GET
def component_procurement(request: HttpRequest, component_id: int) -> HttpResponse:
    """The component, its quotes, orders, deliveries and invoices, with the forms each role may use."""
    return _render_procurement(request, _component(request, component_id))


def _say(error: ServiceError) -> str:
    """The refusal and what each field says, in one message for a page that redirects."""
    details = [m for messages_ in error.fields.values() for m in messages_ if m != error.message]
    return " ".join([error.message, *details])


def _form_refusal(form: Any) -> str:
    details = [str(m) for errors in form.errors.values() for m in errors]
    return " ".join([_("Nothing was saved: check the fields marked."), *details])


@require_POST
def quote_record(request: HttpRequest, component_id: int) -> HttpResponse:
    component = _component(request, component_id)
    if not _may(request.user, component)["can_procure"]:
        raise PermissionDenied(_("Your role does not record quotes for this component."))
    form = QuoteForm(request.POST, request.FILES, providers=selectors.providers_for_quotes(component))
    if form.is_valid():
        try:
            quote = procurement.quote_record(acting_user=request.user, component=component, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Quote of %(provider)s recorded: %(amount)s %(currency)s.")
                % {"provider": quote.provider.name, "amount": quote.amount, "currency": quote.currency},
            )
            return redirect(_procurement_url(component, "quotes"))
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _render_procurement(request, component, quote_form=form)


@require_POST
def quote_choose(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = selectors.quote_for_user(request.user, quote_id)
    try:
        procurement.quote_choose(acting_user=request.user, quote=quote, reason=request.POST.get("reason", ""))
    except ServiceError as error:
        messages.error(request, _say(error))
    else:
        messages.success(request, _("Quote of %(provider)s chosen.") % {"provider": quote.provider.name})
    return redirect(_procurement_url(quote.component, f"quote-{quote.pk}"))


@require_POST
def po_issue(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = selectors.quote_for_user(request.user, quote_id)
    form = OrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_refusal(form))
        return redirect(_procurement_url(quote.component, f"quote-{quote.pk}"))
    try:
        order = procurement.po_issue(acting_user=request.user, quote=quote, **form.cleaned_data)
    except ServiceError as error:
        messages.error(request, _say(error))
        return redirect(_procurement_url(quote.component, f"quote-{quote.pk}"))
    messages.success(request, _("Order %(number)s issued.") % {"number": order.number})
    return redirect(_procurement_url(quote.component, f"order-{order.pk}"))


@require_POST
def po_cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_for_user(request.user, order_id)
    try:
        procurement.po_cancel(acting_user=request.user, purchase_order=order, reason=request.POST.get("reason", ""))
    except ServiceError as error:
        messages.error(request, _say(error))
    else:
        messages.success(request, _("Order %(number)s cancelled.") % {"number": order.number})
    return redirect(_procurement_url(order.component, f"order-{order.pk}"))


@require_POST
def delivery_record(request: HttpRequest, component_id: int) -> HttpResponse:
    component = _component(request, component_id)
    if not _may(request.user, component)["can_deliver"]:
        raise PermissionDenied(_("Your role does not record deliveries for this component."))
    form = DeliveryForm(request.POST, request.FILES, orders=_live_orders(component))
    if form.is_valid():
        try:
            procurement.delivery_record(acting_user=request.user, component=component, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Delivery recorded."))
            return redirect(_procurement_url(component, "deliveries"))
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _render_procurement(request, component, delivery_form=form)


@require_POST
def invoice_record(request: HttpRequest, component_id: int) -> HttpResponse:
    component = _component(request, component_id)
    if not _may(request.user, component)["can_record_invoice"]:
        raise PermissionDenied(_("Your role does not record invoices for this component."))
    form = InvoiceForm(request.POST, request.FILES, orders=_live_orders(component))
    if form.is_valid():
        try:
            invoice = procurement.invoice_record(acting_user=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Invoice %(reference)s recorded.") % {"reference": invoice.provider_reference})
            return redirect(_procurement_url(component, f"invoice-{invoice.pk}"))
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _render_procurement(request, component, invoice_form=form)


def _back(request: HttpRequest, invoice: Any) -> HttpResponse:
    """Back to the invoices work page when the action came from there, else to the component's page."""
    if request.POST.get("next") == "invoices":
        return redirect(reverse("assistance:invoices"))
    return redirect(_procurement_url(invoice.component, f"invoice-{invoice.pk}"))


def _invoice_action(
    request: HttpRequest, invoice_id: int, act: Callable[[Invoice], object], done: Callable[[Invoice], str]
) -> HttpResponse:
    """One action on an invoice: the refusal or the success in a message, then back where it came from."""
    invoice = selectors.invoice_for_user(request.user, invoice_id)
    try:
        act(invoice)
    except ServiceError as error:
        messages.error(request, _say(error))
    else:
        messages.success(request, done(invoice))
    return _back(request, invoice)


@require_POST
def invoice_approve(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _invoice_action(
        request, invoice_id,
        lambda i: procurement.invoice_approve(acting_user=request.user, invoice=i,
                                              override_reason=request.POST.get("override_reason", "")),
        lambda i: _("Invoice %(reference)s approved for payment.") % {"reference": i.provider_reference},
    )  # fmt: skip


@require_POST
def invoice_pay(request: HttpRequest, invoice_id: int) -> HttpResponse:
    form = PayForm(request.POST)
    if not form.is_valid():
        invoice = selectors.invoice_for_user(request.user, invoice_id)
        messages.error(request, _form_refusal(form))
        return _back(request, invoice)
    return _invoice_action(
        request, invoice_id,
        lambda i: procurement.invoice_pay(acting_user=request.user, invoice=i, **form.cleaned_data),
        lambda i: _("Invoice %(reference)s paid: %(amount)s %(currency)s.")
        % {"reference": i.provider_reference, "amount": i.amount, "currency": i.currency},
    )  # fmt: skip


@require_POST
def invoice_reject(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _invoice_action(
        request, invoice_id,
        lambda i: procurement.invoice_reject(acting_user=request.user, invoice=i, reason=request.POST.get("reason", "")),
        lambda i: _("Invoice %(reference)s rejected.") % {"reference": i.provider_reference},
    )  # fmt: skip


@require_POST
def invoice_reverse(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _invoice_action(
        request, invoice_id,
        lambda i: procurement.invoice_payment_reverse(acting_user=request.user, invoice=i,
                                                      reason=request.POST.get("reason", "")),
        lambda i: _("The payment of invoice %(reference)s was reversed; it is approved again, to be paid anew.")
        % {"reference": i.provider_reference},
    )  # fmt: skip


def _download(field: Any, content_type: str, stem: str) -> HttpResponse:
    return files.serve_private(field, content_type, f"{stem}{files.ALLOWED_TYPES.get(content_type, '')}")


@require_GET
def quote_scan(request: HttpRequest, quote_id: int) -> HttpResponse:
    quote = selectors.quote_for_user(request.user, quote_id)
    return _download(quote.scan, quote.scan_content_type, f"quote-{quote.pk}")


@require_GET
def invoice_scan(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_for_user(request.user, invoice_id)
    return _download(invoice.scan, invoice.scan_content_type, f"invoice-{invoice.pk}")


@require_GET
def delivery_evidence(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = selectors.delivery_for_user(request.user, delivery_id)
    return _download(delivery.evidence, delivery.evidence_content_type, f"delivery-{delivery.pk}")


# ---------------------------------------------------------------- invoices to work


@require_GET
def invoices(request: HttpRequest) -> HttpResponse:
    """Invoices waiting for approval and for payment in the finance officer's or supervisor's missions."""
    if not selectors.may_work_invoices(request.user):
        raise PermissionDenied(_("The invoices page is for finance officers and supervisors."))
    approval, payment = selectors.invoices_to_work(request.user)
    context = {"approval": approval, "payment": payment, "today": timezone.localdate()}
    return render(request, "assistance/invoices.html", context)
