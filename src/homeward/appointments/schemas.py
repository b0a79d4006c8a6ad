"""Appointments API shapes: separate input and output schemas."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from homeward.cases.schemas import ErrorOut

__all__ = ["AppointmentIn", "AppointmentOut", "ErrorOut", "MarkIn", "OfficeHoursOut", "OfficeOut"]


class OfficeHoursOut(Schema):
    weekday: int  # Monday is 0
    opens: dt.time
    closes: dt.time


class OfficeOut(Schema):
    id: int
    mission: str
    name: str
    address: str
    city: str
    phone: str
    email: str
    time_zone: str
    languages: list[str]
    public: bool
    active: bool
    hours: list[OfficeHoursOut]


class AppointmentIn(Schema):
    office_id: int
    counsellor_id: int
    date: dt.date  # local date at the office
    time: dt.time  # local start time at the office
    minutes: int = 60
    mode: str = "in_person"  # in_person, phone, video
    language: str = ""
    phone: str = ""
    video_link: str = ""
    interpreter_needed: bool = False
    interpreter: str = ""
    notes: str = ""
    # Exactly one of these: what the appointment is for.
    inquiry_id: int | None = None
    call_id: int | None = None
    case_reference: str | None = None


class MarkIn(Schema):
    outcome: str  # attended, no_show, cancelled
    note: str = ""  # the reason, for a cancellation


class AppointmentOut(Schema):
    id: int
    office_id: int
    office: str
    time_zone: str
    counsellor_id: int
    counsellor: str
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime
    local_start: str  # in the office's time zone, ISO 8601 with offset
    local_end: str
    mode: str
    phone: str
    video_link: str
    language: str
    interpreter_needed: bool
    interpreter: str
    inquiry_id: int | None
    call_id: int | None
    case_reference: str | None
    person: str
    status: str
    cancel_reason: str
    notes: str
