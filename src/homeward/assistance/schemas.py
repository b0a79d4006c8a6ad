"""Providers over JSON: input and output shapes, kept apart."""

from __future__ import annotations

import datetime as dt

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
