"""Outreach API shapes: separate input and output schemas."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from homeward.cases.schemas import ErrorOut

__all__ = ["CallIn", "CallOut", "CampaignIn", "CampaignOut", "ErrorOut", "FunnelOut", "InquiryIn", "OutreachSessionIn",
           "OutreachSessionOut"]  # fmt: skip


class CampaignIn(Schema):
    mission: str  # code, e.g. "GR"
    programme_id: int
    name: str
    start: dt.date
    end: dt.date
    description: str = ""


class CampaignOut(Schema):
    id: int
    mission: str
    programme_id: int
    programme: str
    name: str
    start: dt.date
    end: dt.date
    description: str


class OutreachSessionIn(Schema):
    held_on: dt.date
    venue_kind: str  # asylum_facility, detention_facility, community_venue, online, other
    venue_name: str = ""
    languages: list[str] = []
    women: int = 0
    men: int = 0
    girls: int = 0
    boys: int = 0
    other_participants: int = 0
    interpreters: int = 0
    notes: str = ""


class OutreachSessionOut(OutreachSessionIn):
    id: int
    campaign_id: int
    participants: int
    recorded_by: str


class CallIn(Schema):
    mission: str
    received_at: dt.datetime
    caller_kind: str  # migrant, relative, ngo, authority, other
    topic: str
    outcome: str
    language: str = ""
    interpreter: bool = False
    notes: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    destination_country: str = ""


class CallOut(Schema):
    id: int
    mission: str
    received_at: dt.datetime
    caller_kind: str
    topic: str
    outcome: str
    language: str
    interpreter: bool
    notes: str
    caller_name: str
    caller_phone: str
    destination_country: str
    taken_by: str
    case_id: int | None
    case_reference: str | None


class InquiryIn(Schema):
    """What the call lacks: the migrant's name when someone else called, the country of return."""

    given_names: str = ""
    family_name: str = ""
    destination_country: str = ""


class InquiryOut(Schema):
    case_id: int
    case_reference: str
    call: CallOut


class StagesOut(Schema):
    contacts: int
    calls: int
    participants: int
    inquiries: int
    registrations: int
    declarations: int
    departures: int


class FunnelOut(Schema):
    programme_id: int
    programme: str
    date_from: dt.date
    date_to: dt.date
    funnel: StagesOut
    sessions: int
    participants_by_group: dict[str, int]
    interpreters: int
    materials_by_kind: dict[str, int]
    calls_by_topic: dict[str, int]
    meetings_by_kind: dict[str, int]
    # how heard ("" for not recorded) → stage → count
    by_source: dict[str, dict[str, int]]
