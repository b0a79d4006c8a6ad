"""Money in the demo: pre-departure cash, reintegration plans and their suppliers, through the real services.

A case about to fly gets its pre-departure cash proposed, approved and (where the
host mission has a finance officer) paid at the airport, so a no-show leaves cash
to reconcile. A case the Pakistan mission plans for gets a plan with a
micro-business; most of them go on to a quote, an order, a delivery the returnee
confirmed and a paid invoice. A step the rules refuse is skipped: the demo shows
what the rules allow, it does not force them.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.assistance import procurement
from homeward.assistance import services as providers
from homeward.assistance.models import Provider
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.grants import services as grants
from homeward.grants.models import Grant
from homeward.reintegration import services as plans
from homeward.reintegration.models import Component
from homeward.reintegration.selectors import remaining_for

# A demo "signed receipt" and "photo of the delivered goods": the smallest files of their types.
RECEIPT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
# Demo rates for the Pakistani rupee, marked as not real where they are imported.
PKR_RATES = {"EUR": "0.0031", "RON": "0.0155"}
SUPPLIERS = [
    ("Anarkali Tailoring Supplies", Provider.Category.SUPPLIER, "Lahore"),
    ("Punjab Skills Institute", Provider.Category.TRAINING, "Lahore"),
    ("Rawalpindi Hardware & Tools", Provider.Category.SUPPLIER, "Rawalpindi"),
]
BUSINESSES = [
    ("Tailoring", "Anarkali Bazaar, Lahore", "Two sewing machines, an overlocker and a cutting table."),
    ("Mobile phone repair", "Saddar, Rawalpindi", "Repair tools, spare parts and a counter."),
    ("Grocery stall", "Model Town, Lahore", "Shelves, a refrigerator and the first stock."),
]


def suppliers(mission: Mission, officer: User, supervisor: User) -> list[Provider]:
    """The origin mission's vetted suppliers: registered by its officer, vetted by its supervisor."""
    found = []
    for name, category, city in SUPPLIERS:
        provider = providers.provider_create(
            acting_user=officer, mission=mission,
            data=providers.ProviderInput(name=name, country=mission.country.code, category=category,
                                         address=f"Main Boulevard, {city}", phone="+92 42 3571 0000"),
        )  # fmt: skip
        providers.provider_vetting_set(
            acting_user=supervisor, provider=provider, status=Provider.Vetting.VETTED,
            note="Registration and tax number checked; visited the shop.",
        )  # fmt: skip
        found.append(provider)
    return found


def cash_before_departure(case: Case, counsellor: User, supervisor: User, finance: User | None) -> None:
    """The household's pre-departure cash, handed over at the airport; paid where a finance officer exists."""
    try:
        grant = grants.grant_propose(
            acting_user=counsellor, case=case, kind=Grant.Kind.PRE_DEPARTURE_CASH, at_airport=True
        )
        grant = grants.grant_approve(acting_user=supervisor, grant=grant)
        if finance is not None:
            grants.grant_pay(
                acting_user=finance, grant=grant, paid_on=timezone.localdate(), method=Grant.Method.CASH,
                receipt=ContentFile(RECEIPT, name="receipt.pdf"),
            )  # fmt: skip
    except ServiceError:
        return  # e.g. the programme gives no pre-departure cash


def reintegration(
    case: Case, officer: User, supervisor: User, finance: User, suppliers: list[Provider], rng: random.Random
) -> None:
    """A household plan with a micro-business, approved; for some, bought and paid for."""
    try:
        plan = plans.plan_create(
            acting_user=officer, case=case,
            needs_economic="No income since return; worked in the trade abroad.",
            needs_social="Lives with relatives; wants a home of their own within a year.",
            needs_psychosocial="Tired and worried about debts; no acute distress.",
            goals="A small business that covers the household's needs within six months.",
        )  # fmt: skip
        left = remaining_for(case)
        if left is None or left <= 0:
            return
        budget = (left * Decimal("0.8")).quantize(Decimal(1))
        activity, location, equipment = rng.choice(BUSINESSES)
        component = plans.component_add(
            acting_user=officer, plan=plan,
            data=plans.ComponentInput(
                kind=Component.Kind.MICRO_BUSINESS, budget=budget, description=equipment,
                business_activity=activity, business_location=location, business_costs=budget,
                expected_income=(budget / 6).quantize(Decimal(1)),
            ),
        )  # fmt: skip
        plans.plan_approve(acting_user=supervisor, plan=plan, note="Realistic plan; the returnee has the skills.")
        if rng.random() < 0.75:
            component.refresh_from_db()  # approved now
            _buy(component, officer, supervisor, finance, rng.choice(suppliers[::2]))
    except ServiceError:
        return  # e.g. no reintegration under the programme, or an unconfirmed ceiling


def _buy(component: Component, officer: User, approver: User, finance: User, supplier: Provider) -> None:
    """Quote, order, delivery confirmed by the returnee, invoice approved and paid."""
    today = timezone.localdate()
    rate = Decimal(PKR_RATES[component.plan.currency])
    pkr = (component.budget * Decimal("0.95") / rate).quantize(Decimal(1000))
    quote = procurement.quote_record(
        acting_user=officer, component=component, provider=supplier, amount=pkr, currency="PKR",
        received_on=today, description=component.description,
    )  # fmt: skip
    procurement.quote_choose(acting_user=officer, quote=quote, reason="Vetted supplier with the goods in stock.")
    order = procurement.po_issue(acting_user=officer, quote=quote, issued_on=today)
    procurement.delivery_record(
        acting_user=officer, component=component, purchase_order=order, received_on=today,
        description="Everything ordered, installed at the business.", complete=True, confirmed_by_returnee=True,
        evidence=ContentFile(PHOTO, name="delivered.png"),
    )  # fmt: skip
    invoice = procurement.invoice_record(
        acting_user=officer, purchase_order=order, provider_reference=f"INV-{order.pk:04d}", amount=pkr,
        currency="PKR", issued_on=today,
    )  # fmt: skip
    procurement.invoice_approve(acting_user=approver, invoice=invoice)
    procurement.invoice_pay(acting_user=finance, invoice=invoice, paid_on=today, payment_reference=f"TRF-{invoice.pk}")
