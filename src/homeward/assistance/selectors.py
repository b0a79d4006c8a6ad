"""Every read of providers and of what is bought from them, scoped to the user, and who may do what.

Providers belong to the origin mission that manages them. Its reintegration
officers, supervisors and finance officers see them; administrators see all.
Bank details are for the mission's finance officers and supervisors, and
administrators, only.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import ROLE_PERMS, Perm, Role
from homeward.assistance.ledger import open_commitment as ledger_open_commitment
from homeward.assistance.models import BANK_FIELDS, Delivery, Invoice, Provider, PurchaseOrder, Quote
from homeward.core import history
from homeward.core.errors import ServiceError
from homeward.programmes.services import convert
from homeward.reintegration.models import Component

# ---------------------------------------------------------------- who may do what


def _roles(user: Any) -> dict[int, str]:
    return permissions.roles_by_mission(user)


def is_administrator(user: Any) -> bool:
    return Role.ADMINISTRATOR in _roles(user).values()


def _may_view_as(role: str) -> bool:
    perms = ROLE_PERMS[role]
    return Perm.RECEIVE_RETURNEE in perms or Perm.SUPERVISE in perms or role == Role.FINANCE_OFFICER


def _may_edit_as(role: str) -> bool:
    return role in {Role.REINTEGRATION_OFFICER, Role.CASE_SUPERVISOR}


def _may_handle_bank_as(role: str) -> bool:
    return role in {Role.FINANCE_OFFICER, Role.CASE_SUPERVISOR}


def viewing_missions(user: Any) -> set[int] | None:
    """The missions whose providers ``user`` sees; ``None`` means all of them (an administrator)."""
    if is_administrator(user):
        return None
    return {mission for mission, role in _roles(user).items() if _may_view_as(role)}


def may_view_providers(user: Any) -> bool:
    """Whether ``user`` sees any provider at all: the menu entry and the list page."""
    return is_administrator(user) or bool(viewing_missions(user))


def can_view(user: Any, mission_id: int) -> bool:
    role = _roles(user).get(mission_id)
    return is_administrator(user) or (role is not None and _may_view_as(role))


def can_edit(user: Any, mission_id: int) -> bool:
    """Register providers for the mission and change their details (not bank details, not vetting decisions)."""
    role = _roles(user).get(mission_id)
    return is_administrator(user) or (role is not None and _may_edit_as(role))


def can_handle_bank_details(user: Any, mission_id: int) -> bool:
    role = _roles(user).get(mission_id)
    return is_administrator(user) or (role is not None and _may_handle_bank_as(role))


def can_decide_vetting(user: Any, provider: Provider) -> bool:
    """Vet, reject or suspend: a supervisor of the managing mission or an administrator, never
    the person who registered the provider (separation of duties)."""
    if provider.created_by_id == getattr(user, "pk", None):
        return False
    return is_administrator(user) or _roles(user).get(provider.mission_id) == Role.CASE_SUPERVISOR


def missions_for_registration(user: Any) -> QuerySet[Mission]:
    """Origin missions for which ``user`` may register providers."""
    origin = Mission.objects.filter(kind__in=[Mission.Kind.ORIGIN, Mission.Kind.BOTH])
    if is_administrator(user):
        return origin
    return origin.filter(pk__in=[m for m, role in _roles(user).items() if _may_edit_as(role)])


# ---------------------------------------------------------------- providers


@dataclass(frozen=True)
class ProviderFilters:
    q: str = ""
    country: str = ""
    category: str = ""
    vetting_status: str = ""
    mission: str = ""  # a mission code
    inactive: bool = False  # include inactive providers


def providers_visible_to(user: Any) -> QuerySet[Provider]:
    missions = viewing_missions(user)
    providers = Provider.objects.select_related("mission", "vetted_by")
    return providers if missions is None else providers.filter(mission_id__in=missions)


def provider_list(user: Any, filters: ProviderFilters | None = None) -> QuerySet[Provider]:
    filters = filters or ProviderFilters()
    providers = providers_visible_to(user)
    if filters.q.strip():
        providers = providers.filter(name__icontains=filters.q.strip())
    if filters.country:
        providers = providers.filter(country=filters.country.upper())
    if filters.category:
        providers = providers.filter(category=filters.category)
    if filters.vetting_status:
        providers = providers.filter(vetting_status=filters.vetting_status)
    if filters.mission:
        providers = providers.filter(mission__code=filters.mission.upper())
    if not filters.inactive:
        providers = providers.filter(active=True)
    return providers.order_by("name", "pk")


def provider_for_user(user: Any, pk: int) -> Provider:
    """The provider, or 404 when ``user`` may not see it (the answer says nothing about whether it exists)."""
    provider = providers_visible_to(user).select_related("created_by").filter(pk=pk).first()
    if provider is None:
        raise Http404(_("No such provider."))
    return provider


def vetted_providers(mission: Mission, category: str | None = None) -> QuerySet[Provider]:
    """The active, vetted providers of ``mission`` (of one category if given): those a quote may come from."""
    providers = Provider.objects.filter(mission=mission, vetting_status=Provider.Vetting.VETTED, active=True)
    if category:
        providers = providers.filter(category=category)
    return providers.order_by("name", "pk")


# ---------------------------------------------------------------- history


@dataclass
class VettingStep:
    entry: LogEntry
    old: str | None
    new: str
    note: str


def _history_entries(provider: Provider, limit: int) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Provider), object_pk=str(provider.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )


def provider_history(user: Any, provider: Provider, *, limit: int = 200) -> list[history.Row]:
    """The provider's changes, newest first. Those who may not see bank details learn that they
    changed, never what they were (the log itself keeps only their last four characters)."""
    rows = history.describe(_history_entries(provider, limit))
    if can_handle_bank_details(user, provider.mission_id):
        return rows
    bank_labels = {str(Provider._meta.get_field(name).verbose_name) for name in BANK_FIELDS}
    hidden = _("changed (hidden)")
    for row in rows:
        row.changes = [history.Change(c.label, None, hidden) if c.label in bank_labels else c for c in row.changes]
    return rows


def vetting_history(provider: Provider, *, limit: int = 200) -> list[VettingStep]:
    """Each change of vetting status, oldest first, with who made it and the note given."""
    labels = dict(Provider.Vetting.choices)
    steps = []
    note = ""  # the note in force: an entry lists it only when it changed
    for entry in reversed(_history_entries(provider, limit)):
        changes = entry.changes_dict
        if "vetting_note" in changes:
            value = changes["vetting_note"][1]
            note = "" if value in history.EMPTY else str(value)
        if "vetting_status" not in changes:
            continue
        old, new = changes["vetting_status"]
        created = entry.action == LogEntry.Action.CREATE
        steps.append(
            VettingStep(entry, None if created else str(labels.get(old, old)), str(labels.get(new, new)), note)
        )
    return steps


# ---------------------------------------------------------------- procurement: who may do what
#
# Procurement is the work of the mission that delivers the component: the case's origin
# mission once it accepted the referral, the host mission's reintegration staff before.
# Invoices are approved and paid by the origin mission or a mission of the programme
# (the ledger lets both book against the programme's budget).


def procurement_missions(case: Any) -> set[int]:
    """The mission that buys for the case: its origin mission, or its host mission before the referral."""
    return {case.referred_to_mission_id if case.referred_to_mission_id is not None else case.host_mission_id}


def money_missions(case: Any, programme: Any) -> set[int]:
    """Where invoices are approved and paid: the case's origin mission and the programme's missions."""
    missions = {mission.pk for mission in programme.missions.all()}  # prefetched on list pages
    if case.referred_to_mission_id is not None:
        missions.add(case.referred_to_mission_id)
    return missions


def _any(user: Any, perms: tuple[Perm, ...], missions: set[int]) -> bool:
    return any(permissions.has_perm_in(user, perm, mission) for perm in perms for mission in missions)


def may_procure(user: Any, case: Any) -> bool:
    """Record and choose quotes, issue orders, record invoices: reintegration staff or finance officers
    of the buying mission."""
    return _any(user, (Perm.RECEIVE_RETURNEE, Perm.PAY), procurement_missions(case))


def may_record_delivery(user: Any, case: Any) -> bool:
    """Goods are handed over in the country of origin, by the buying mission's reintegration staff."""
    return _any(user, (Perm.RECEIVE_RETURNEE,), procurement_missions(case))


def may_override(user: Any, case: Any, programme: Any) -> bool:
    """Go above a component's budget or a case's ceiling: a supervisor's decision."""
    return _any(user, (Perm.SUPERVISE,), procurement_missions(case) | money_missions(case, programme))


def may_cancel_order(user: Any, case: Any, programme: Any) -> bool:
    return _any(user, (Perm.SUPERVISE, Perm.PAY), procurement_missions(case) | money_missions(case, programme))


def may_approve_invoices(user: Any, case: Any, programme: Any) -> bool:
    return _any(user, (Perm.SUPERVISE, Perm.PAY), money_missions(case, programme))


def may_pay_invoices(user: Any, case: Any, programme: Any) -> bool:
    return _any(user, (Perm.PAY,), money_missions(case, programme))


def may_work_invoices(user: Any) -> bool:
    """The invoices work page and its menu entry: finance officers and supervisors."""
    return permissions.has_perm_anywhere(user, Perm.PAY) or permissions.has_perm_anywhere(user, Perm.SUPERVISE)


# ---------------------------------------------------------------- procurement: reads


def components_visible_to(user: Any) -> QuerySet[Component]:
    return Component.objects.filter(permissions.case_scope(user, prefix="plan__case__")).select_related(
        "plan__case__host_mission", "plan__case__referred_to_mission", "plan__programme"
    )


def procurement_component_for_user(user: Any, component_id: int) -> Component:
    """A component of a case the user may see, or 404."""
    component = components_visible_to(user).filter(pk=component_id).first()
    if component is None:
        raise Http404(_("No such component."))
    return component


def _scoped(model: Any, user: Any) -> QuerySet[Any]:
    return model.objects.filter(permissions.case_scope(user, prefix="component__plan__case__")).select_related(
        "component__plan__case", "component__plan__programme"
    )


def _one(queryset: QuerySet[Any], pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def quote_for_user(user: Any, quote_id: int) -> Quote:
    return _one(_scoped(Quote, user).select_related("provider"), quote_id)


def order_for_user(user: Any, order_id: int) -> PurchaseOrder:
    return _one(_scoped(PurchaseOrder, user).select_related("provider", "quote", "issued_by"), order_id)


def delivery_for_user(user: Any, delivery_id: int) -> Delivery:
    return _one(_scoped(Delivery, user), delivery_id)


def invoices_visible_to(user: Any) -> QuerySet[Invoice]:
    return _scoped(Invoice, user).select_related(
        "purchase_order__provider", "component__plan__case", "raised_by", "approved_by", "paid_by"
    )


def invoice_for_user(user: Any, invoice_id: int) -> Invoice:
    return _one(invoices_visible_to(user), invoice_id)


def providers_for_quotes(component: Component) -> QuerySet[Provider]:
    """Active providers a quote for the component may come from: those of the case's origin mission,
    or of its destination country before the referral (vetting is checked when one is chosen)."""
    case = component.plan.case
    providers = Provider.objects.filter(active=True).select_related("mission")
    if case.referred_to_mission_id is not None:
        return providers.filter(mission_id=case.referred_to_mission_id)
    return providers.filter(country=case.destination_country.code)


ZERO = Decimal("0.00")  # sums shown with their cents


@dataclass
class OrderRow:
    """An order with its invoices and deliveries, and its totals in the order's currency."""

    order: PurchaseOrder
    invoices: list[Invoice]
    deliveries: list[Delivery]
    in_plan_currency: Decimal | None  # None: no rate for the order's date

    @property
    def live(self) -> bool:
        return self.order.status != PurchaseOrder.Status.CANCELLED

    @property
    def invoiced(self) -> Decimal:
        return sum((i.amount for i in self.invoices if i.status != Invoice.Status.REJECTED), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((i.amount for i in self.invoices if i.status == Invoice.Status.PAID), ZERO)

    @property
    def left_to_invoice(self) -> Decimal:
        return self.order.amount - self.invoiced if self.live else ZERO

    @property
    def left_to_pay(self) -> Decimal:
        return self.order.amount - self.paid if self.live else ZERO

    @property
    def goods_received(self) -> bool:
        return any(d.confirmed_by_returnee for d in self.deliveries)


@dataclass
class QuoteRow:
    quote: Quote
    order: PurchaseOrder | None  # the order issued from it, if any


@dataclass
class Procurement:
    component: Component
    quotes: list[QuoteRow]
    orders: list[OrderRow]
    deliveries: list[Delivery]  # every delivery of the component, with or without an order
    open_commitment: Decimal  # still committed for the component, in the budget line's currency
    line_currency: str

    @property
    def currency(self) -> str:
        return self.component.plan.currency

    @property
    def ordered(self) -> Decimal | None:
        """What the live orders take of the budget, in the plan's currency (None: a rate is missing)."""
        amounts = [row.in_plan_currency for row in self.orders if row.live]
        if any(a is None for a in amounts):
            return None
        return sum(amounts, ZERO)  # type: ignore[arg-type]

    @property
    def left_on_component(self) -> Decimal | None:
        ordered = self.ordered
        return None if ordered is None else self.component.budget - ordered

    @property
    def live_orders(self) -> list[PurchaseOrder]:
        return [row.order for row in self.orders if row.live]


def order_in_currency(order: PurchaseOrder, currency: str) -> Decimal | None:
    """The order's amount in ``currency`` at the rate of its issue date, or None without a rate."""
    try:
        return convert(order.amount, order.currency, currency, order.issued_on)[0]
    except ServiceError:
        return None


def procurement_of(component: Component) -> Procurement:
    """Everything bought for a component: quotes, orders with their invoices and deliveries, the totals."""
    quotes = list(component.quotes.select_related("provider", "recorded_by").order_by("received_on", "pk"))
    deliveries = list(
        component.deliveries.select_related("recorded_by", "purchase_order").order_by("received_on", "pk")
    )
    orders = component.purchase_orders.select_related("provider", "quote", "issued_by").prefetch_related(
        Prefetch(
            "invoices",
            queryset=Invoice.objects.select_related("raised_by", "approved_by", "paid_by").order_by("issued_on", "pk"),
        )
    )
    rows = [
        OrderRow(
            order=order,
            invoices=list(order.invoices.all()),
            deliveries=[d for d in deliveries if d.purchase_order_id == order.pk],
            in_plan_currency=order_in_currency(order, component.plan.currency),
        )
        for order in orders.order_by("issued_on", "pk")
    ]
    by_quote = {row.order.quote_id: row.order for row in rows}
    line = component.plan.programme.budget_lines.filter(category="reintegration").order_by("pk").first()
    return Procurement(
        component,
        [QuoteRow(quote, by_quote.get(quote.pk)) for quote in quotes],
        rows,
        deliveries,
        ledger_open_commitment(component.source).quantize(ZERO),
        line.currency if line is not None else component.plan.currency,
    )


@dataclass
class InvoiceRow:
    invoice: Invoice
    may_approve: bool
    may_pay: bool
    why_not: str  # the rule that keeps this user from acting, in words


def invoices_to_work(user: Any) -> tuple[list[InvoiceRow], list[InvoiceRow]]:
    """Invoices waiting for approval and for payment in the user's missions (origin missions of the
    cases, or the programmes' missions), each with whether this user may act on it."""
    missions = permissions.mission_ids_with(user, Perm.PAY) | permissions.mission_ids_with(user, Perm.SUPERVISE)
    if not missions:
        return [], []
    invoices = (
        invoices_visible_to(user)
        .filter(
            Q(component__plan__case__referred_to_mission_id__in=missions)
            | Q(component__plan__programme__missions__in=missions),
            status__in=[Invoice.Status.RECEIVED, Invoice.Status.APPROVED],
        )
        .select_related("component", "purchase_order")
        .prefetch_related("component__plan__programme__missions")
        .distinct()
        .order_by("issued_on", "pk")
    )
    approval, payment = [], []
    for invoice in invoices:
        case, programme = invoice.component.plan.case, invoice.component.plan.programme
        if invoice.status == Invoice.Status.RECEIVED:
            own = invoice.raised_by_id == user.pk
            may = not own and may_approve_invoices(user, case, programme)
            why = _("You recorded it: someone else approves it.") if own else ""
            approval.append(InvoiceRow(invoice, may, False, why))
        else:
            own = invoice.approved_by_id == user.pk
            may = not own and may_pay_invoices(user, case, programme)
            why = _("You approved it: someone else pays it.") if own else ""
            payment.append(InvoiceRow(invoice, False, may, why))
    return approval, payment
