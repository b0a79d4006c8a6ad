"""Providers and procurement over JSON: input and output shapes, kept apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from homeward.cases.schemas import ErrorOut

__all__ = ["ErrorOut"]

CATEGORIES = "supplier, training, health, accommodation, school, transport or other"
STATUSES = "not_vetted, in_progress, vetted, rejected or suspended"


class BankDetailsIO(Schema):
    """Shown only to the managing mission's finance officers and supervisors, and administrators."""

    account_holder: str = ""
    bank_name: str = ""
    account_number: str = Field("", description="An IBAN (its check digits are verified) or an account number.")
    swift_bic: str = ""


class ProviderIn(Schema):
    mission: str = Field(description="Code of the origin mission that manages the provider, e.g. PK.")
    name: str
    country: str = Field(description="ISO 3166 code, e.g. PK.")
    category: str = Field(description=CATEGORIES)
    contact_person: str = ""
    phone: str = Field("", description="Read in the provider's country unless it starts with +.")
    email: str = ""
    address: str = ""
    active: bool = True
    bank_details: BankDetailsIO | None = Field(None, description="Only for those who handle bank details.")


class ProviderPatchIn(Schema):
    """Only the fields sent change; ``bank_details`` replaces all four bank fields at once."""

    name: str | None = None
    country: str | None = None
    category: str | None = Field(None, description=CATEGORIES)
    contact_person: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    active: bool | None = None
    bank_details: BankDetailsIO | None = None


class VettingIn(Schema):
    status: str = Field(description=STATUSES)
    decided_on: dt.date | None = Field(None, description="For a decision; today when left out.")
    note: str = ""


class ProviderOut(Schema):
    id: int
    name: str
    country: str
    category: str
    mission: str
    contact_person: str
    phone: str
    email: str
    address: str
    active: bool
    vetting_status: str
    vetted_on: dt.date | None
    vetted_by: str | None
    vetting_note: str
    bank_details: BankDetailsIO | None = Field(description="null for those who may not see bank details.")
    created_by: str
    created_at: dt.datetime


class ProviderPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ProviderOut]


# ---------------------------------------------------------------- procurement


class QuoteIn(Schema):
    provider: int = Field(description="The provider's id: an active provider of the case's origin mission.")
    amount: Decimal
    currency: str = Field(description="ISO 4217, e.g. PKR.")
    received_on: dt.date
    valid_until: dt.date | None = None
    description: str = ""


class QuoteOut(Schema):
    id: int
    component: int
    provider: int
    provider_name: str
    provider_vetting_status: str
    amount: Decimal
    currency: str
    received_on: dt.date
    valid_until: dt.date | None
    description: str
    has_scan: bool
    chosen: bool
    choice_reason: str
    purchase_order: int | None
    recorded_by: str


class ChooseIn(Schema):
    reason: str = Field(description="Why this quote: required.")


class OrderIn(Schema):
    issued_on: dt.date | None = Field(None, description="Today when left out.")
    note: str = ""
    override_reason: str = Field("", description="A supervisor's, when the order is above the component's budget.")


class ReasonIn(Schema):
    reason: str


class DeliveryOut(Schema):
    id: int
    component: int
    purchase_order: int | None
    received_on: dt.date
    description: str
    complete: bool
    confirmed_by_returnee: bool
    has_evidence: bool
    recorded_by: str


class InvoiceIn(Schema):
    provider_reference: str = Field(description="The provider's invoice number.")
    amount: Decimal
    currency: str = Field(description="The order's currency.")
    issued_on: dt.date


class InvoiceOut(Schema):
    id: int
    component: int
    purchase_order: int
    purchase_order_number: str
    provider_reference: str
    amount: Decimal
    currency: str
    issued_on: dt.date
    status: str = Field(description="received, approved, paid or rejected")
    has_scan: bool
    raised_by: str
    approved_by: str | None
    approved_at: dt.datetime | None
    paid_by: str | None
    paid_on: dt.date | None
    payment_reference: str
    rejection_reason: str
    override_reason: str = Field(description="a supervisor's reason, given on approval, to pay above the budget")


class ApproveIn(Schema):
    override_reason: str = Field(
        "", description="A supervisor's reason to pay it above the budget line or the case's ceiling."
    )


class PayIn(Schema):
    paid_on: dt.date
    payment_reference: str = ""
    override_reason: str = Field("", description="A supervisor's, when the payment overspends the line or ceiling.")


class PurchaseOrderOut(Schema):
    id: int
    number: str
    component: int
    quote: int
    provider: int
    provider_name: str
    amount: Decimal
    currency: str
    issued_on: dt.date
    status: str = Field(description="issued, completed or cancelled")
    override_reason: str
    note: str
    issued_by: str
    invoiced: Decimal = Field(description="The live (not rejected) invoices, in the order's currency.")
    paid: Decimal
    left_to_pay: Decimal
    goods_received: bool = Field(description="The returnee confirmed receiving something of it.")
    invoices: list[InvoiceOut]
    deliveries: list[DeliveryOut]


class InvoicePageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[InvoiceOut]
