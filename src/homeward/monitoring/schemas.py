"""Monitoring API shapes: separate input and output schemas."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from homeward.cases.schemas import ErrorOut

__all__ = ["CaseVisitsOut", "ClosureIn", "ClosureOut", "ErrorOut", "FindingIn", "MissedIn", "VisitIn", "VisitOut"]


class FindingIn(Schema):
    component_id: int
    delivered: str  # yes, partly, no
    in_use: str = ""  # yes, no, or "" (not checked)
    business_running: str = "n/a"  # yes, no, n/a
    note: str = ""


class VisitIn(Schema):
    visit_id: int | None = None  # a planned visit; null: a visit outside the schedule
    visited_on: dt.date
    mode: str  # home, business, phone, video
    met: str = ""
    findings: str = ""
    risks: str = ""
    follow_up: str = ""
    components: list[FindingIn] = []


class FindingOut(Schema):
    component_id: int
    component_kind: str
    delivered: str
    in_use: str
    business_running: str
    note: str


class PhotoOut(Schema):
    id: int
    caption: str
    content_type: str
    uploaded_by: str
    url: str


class VisitOut(Schema):
    id: int
    case_id: int
    case_reference: str
    months_after: int | None
    scheduled_for: dt.date | None
    status: str
    overdue: bool
    visited_on: dt.date | None
    mode: str
    met: str
    findings: str
    risks: str
    follow_up: str
    note: str
    visited_by: str | None
    components: list[FindingOut]
    photos: list[PhotoOut]


class MissedIn(Schema):
    note: str  # why it did not take place


class ClosureIn(Schema):
    reason: str  # support_ended, no_longer_eligible, stops_participating, moved_away, died, other
    summary: str


class ClosureOut(Schema):
    case_id: int
    case_status: str
    reason: str
    summary: str
    closed_by: str
    closed_on: dt.date


class CaseVisitsOut(Schema):
    visits: list[VisitOut]
    schedule_months: list[int]
    arrived_on: dt.date | None
    closure: ClosureOut | None
