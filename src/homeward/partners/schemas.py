"""Partners over JSON: input and output shapes, kept apart."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class PartnerFiltersIn(Schema):
    kind: str = Field("", description="embassy, consulate, authority, ngo, …")
    country: str = Field("", description="ISO 3166 code: for an embassy, the country it represents.")
    q: str = Field("", description="Part of the name, city or role.")
    inactive: bool = Field(False, description="Include deactivated partners.")


class PartnerIn(Schema):
    mission: str = Field("", description="The mission's code; needed to add a partner, unchangeable after.")
    kind: str
    name: str
    country: str = Field(description="ISO 3166 code: for an embassy or consulate, the country it represents.")
    city: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    role: str = ""
    active: bool = True


class PartnerOut(Schema):
    id: int
    mission: str
    kind: str
    name: str
    country: str
    city: str
    address: str
    phone: str
    email: str
    website: str
    role: str
    active: bool


class PartnerContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str


class TurnaroundOut(Schema):
    issued: int
    median_days: float | None = Field(description="Median days from request to issue.")
    p80_days: float | None = Field(description="8 in 10 documents were issued within this many days.")
    refused: int
    pending: int


class PartnerDetailOut(PartnerOut):
    contacts: list[PartnerContactOut]
    turnaround: TurnaroundOut


class IncomingReferralIn(Schema):
    partner_id: int = Field(description="An active partner of the case's host mission.")
    referred_on: dt.date
    contact_person: str = ""
    note: str = ""


class IncomingReferralOut(Schema):
    id: int
    case_reference: str
    partner_id: int
    partner: str
    referred_on: dt.date
    contact_person: str
    note: str
    recorded_by: str
