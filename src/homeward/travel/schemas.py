"""Travel over JSON: input and output shapes, kept apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from homeward.cases.schemas import ErrorOut

__all__ = ["ErrorOut"]

LOCAL = "Local wall-clock time at the airport, without an offset, e.g. 2026-12-01T10:00:00."


class TravelDocumentIn(Schema):
    member_id: int = Field(description="A member of the case.")
    kind: str = Field(description="passport, laissez_passer or emergency_certificate")
    embassy_id: int | None = Field(
        None, description="An active embassy or consulate of the case's host mission in the partners directory."
    )
    requested_on: dt.date
    expected_on: dt.date | None = None
    note: str = ""


class TravelDocumentPatchIn(Schema):
    """Only the fields sent change."""

    status: str | None = Field(None, description="requested, issued, refused or cancelled")
    issued_on: dt.date | None = None
    number: str | None = None
    expires_on: dt.date | None = None
    note: str | None = None


class TravelDocumentOut(Schema):
    id: int
    member_id: int
    traveller: str
    kind: str
    embassy_id: int | None = Field(description="The partner asked; none on requests made before the directory.")
    authority: str = Field(description="The embassy's name when asked, or the text typed before the directory.")
    requested_on: dt.date
    expected_on: dt.date | None
    status: str
    issued_on: dt.date | None
    number: str
    expires_on: dt.date | None
    note: str
    overdue: bool


class ItineraryIn(Schema):
    booking_reference: str = ""
    traveller_ids: list[int] | None = Field(None, description="Members travelling; all members when left out.")
    baggage_allowance: str = ""
    special_needs: list[str] = Field(default_factory=list, description="wheelchair, medical_escort, …")
    escorts: str = ""
    onward_transport: str = ""
    final_address: str = ""


class ItineraryPatchIn(Schema):
    """Only the fields sent change."""

    booking_reference: str | None = None
    traveller_ids: list[int] | None = None
    baggage_allowance: str | None = None
    special_needs: list[str] | None = None
    escorts: str | None = None
    onward_transport: str | None = None
    final_address: str | None = None


class SegmentIn(Schema):
    carrier: str
    number: str = Field(description="Flight or route number.")
    origin: str = Field(description="IATA code of the departure airport.")
    destination: str = Field(description="IATA code of the arrival airport.")
    departs_local: dt.datetime = Field(description=LOCAL)
    arrives_local: dt.datetime = Field(description=LOCAL)


class SegmentOut(Schema):
    id: int
    position: int
    carrier: str
    number: str
    origin: str
    destination: str
    departs_at: dt.datetime = Field(description="UTC")
    arrives_at: dt.datetime = Field(description="UTC")
    departs_local: str = Field(description=LOCAL)
    arrives_local: str = Field(description=LOCAL)
    origin_tz: str
    destination_tz: str
    departs_zone: str = Field(description="The zone's abbreviation at departure, e.g. EET.")
    arrives_zone: str


class TicketIn(Schema):
    member_id: int
    number: str
    cost: Decimal
    currency: str = Field(description="ISO 4217, e.g. EUR.")


class TicketOut(Schema):
    id: int
    member_id: int
    traveller: str
    number: str
    cost: Decimal
    currency: str


class AssistanceIn(Schema):
    kind: str = Field(description="departure, transit or arrival")
    airport: str = Field(description="IATA code of an airport of the route that fits the kind.")
    mission: str = Field(description="Code of the mission providing it, e.g. GR.")
    meeting_point: str = ""
    contact: str = ""
    status: str = "requested"
    outcome: str = ""


class AssistancePatchIn(Schema):
    """Only the fields sent change."""

    mission: str | None = None
    meeting_point: str | None = None
    contact: str | None = None
    status: str | None = None
    outcome: str | None = None


class AssistanceOut(Schema):
    id: int
    kind: str
    airport: str
    mission: str
    mission_name: str
    meeting_point: str
    contact: str
    status: str
    outcome: str


class CheckIn(Schema):
    checked_at: dt.datetime | None = Field(
        None, description="When; now if left out. Without an offset it is the departure airport's local time."
    )
    fit_to_travel: bool
    documents_in_order: bool
    still_willing: bool
    note: str = ""


class CheckOut(Schema):
    id: int
    checked_at: dt.datetime
    checked_by: str
    fit_to_travel: bool | None = Field(description="Left out (null) for readers who may not see medical facts.")
    documents_in_order: bool
    still_willing: bool
    passed: bool
    note: str


class ReconcileIn(Schema):
    note: str = ""


class ItineraryOut(Schema):
    id: int
    status: str
    booking_reference: str
    traveller_ids: list[int]
    baggage_allowance: str
    special_needs: list[str] = Field(description="Only those your role may see.")
    escorts: str
    onward_transport: str
    final_address: str
    not_departed_reason: str
    needs_reconciliation: bool
    reconciled_at: dt.datetime | None
    route: list[str]
    segments: list[SegmentOut]
    tickets: list[TicketOut]
    assistance: list[AssistanceOut]
    checks: list[CheckOut]


class BoardLegOut(Schema):
    kind: str
    airport: str
    status: str | None
    mission: str | None


class BoardRowOut(Schema):
    case_id: int
    reference: str
    principal_name: str
    travellers: int
    day: str = Field(description="today or tomorrow, at the departure airport")
    itinerary_id: int
    departs_from: str
    departs_at: dt.datetime
    departs_local: str
    departs_zone: str
    route: list[str]
    assistance: list[BoardLegOut]
    missing: list[str]
