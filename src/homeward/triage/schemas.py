"""Triage API shapes: separate input and output schemas."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from homeward.cases.schemas import ErrorOut

__all__ = [
    "AssignIn",
    "ContactIn",
    "ConvertedOut",
    "ErrorOut",
    "TriageCaseIn",
    "TriageCloseIn",
    "TriageContactOut",
    "TriageInquiryOut",
]


class TriageContactOut(Schema):
    id: int
    at: dt.datetime
    by: str
    channel: str
    reached: bool
    note: str


class TriageInquiryOut(Schema):
    id: int
    code: str
    mission: str
    status: str
    submitted_at: dt.datetime
    given_names: str
    family_name: str
    phone: str
    messenger: str
    messenger_number: str
    email: str
    language: str
    nationality: str
    destination_country: str
    where: str
    city: str
    facility: str
    family_travels: bool
    family_size: int | None
    how_heard: str
    message: str
    consent_text: str
    consent_at: dt.datetime
    assigned_to: str | None
    case_id: int | None
    case_reference: str | None
    close_reason: str
    close_note: str
    attempts: list[TriageContactOut] | None = None


class AssignIn(Schema):
    counsellor: str  # username


class ContactIn(Schema):
    channel: str  # phone, whatsapp, signal, email, in_person
    reached: bool
    at: dt.datetime | None = None
    note: str = ""


class TriageCaseIn(Schema):
    """Corrections of what the person typed; what is left out keeps the inquiry's."""

    given_names: str | None = None
    family_name: str | None = None
    phone: str | None = None
    destination_country: str | None = None


class TriageCloseIn(Schema):
    reason: str
    note: str = ""


class ConvertedOut(Schema):
    case_id: int
    case_reference: str
    inquiry: TriageInquiryOut
