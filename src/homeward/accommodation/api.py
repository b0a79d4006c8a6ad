"""Accommodation over JSON (mounted at /api/v1/): /facilities, /cases/{reference}/placements, /placements/{id}/check-out.

The same services and scoping as the pages: a facility or case of another mission is a 404, a write the
role may not make a 403, a refusal a 400 with ``{"message", "fields"}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from homeward.accommodation import selectors, services
from homeward.accommodation.models import Facility, Placement
from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Sensitivity
from homeward.cases import selectors as case_selectors
from homeward.cases.schemas import ErrorOut
from homeward.core.errors import ServiceError

router = Router(tags=["accommodation"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class RoomOut(Schema):
    room_type: str
    beds: int
    occupied: int
    free: int


class FacilityOut(Schema):
    id: int
    mission: str
    name: str
    kind: str
    partner_id: int | None
    address: str
    active: bool
    rooms: list[RoomOut]


class PlacementOut(Schema):
    id: int
    case_reference: str
    member_id: int
    name: str
    facility_id: int
    facility: str
    room_type: str
    checked_in_on: dt.date
    expected_check_out_on: dt.date | None
    checked_out_on: dt.date | None
    end_reason: str
    reason: str | None  # None when the reader may not see every kind of fact


class CheckInIn(Schema):
    member_ids: list[int]
    facility_id: int
    room_type: str
    checked_in_on: dt.date
    expected_check_out_on: dt.date | None = None
    reason: str = ""


class CheckOutIn(Schema):
    checked_out_on: dt.date
    end_reason: str
    note: str = ""


def placement_out(p: Placement, show_reason: bool) -> dict[str, Any]:
    return {
        "id": p.pk, "case_reference": p.case.reference, "member_id": p.member_id, "name": str(p.member.person),
        "facility_id": p.facility_id, "facility": p.facility.name, "room_type": p.room_type,
        "checked_in_on": p.checked_in_on, "expected_check_out_on": p.expected_check_out_on,
        "checked_out_on": p.checked_out_on, "end_reason": p.end_reason, "reason": p.reason if show_reason else None,
    }  # fmt: skip


def _shows_reason(user: Any, case: Any) -> bool:
    return Sensitivity.PROTECTION in permissions.visible_sensitivities(user, case)


@router.get(
    "/facilities", response={200: list[FacilityOut]}, summary="Facilities of the user's missions, with today's beds"
)
def list_facilities(request: HttpRequest) -> list[dict[str, Any]]:
    missions = Mission.objects.filter(pk__in=selectors.read_missions(request.user))
    facilities = list(
        Facility.objects.filter(mission__in=missions).select_related("mission").prefetch_related("capacities")
    )
    # Beds only, never who is in them: an administrator reads this list without reading any case.
    boards = selectors.occupancy(facilities, timezone.localdate(), request.user)
    return [
        {
            "id": b.facility.pk,
            "mission": b.facility.mission.code,
            "name": b.facility.name,
            "kind": b.facility.kind,
            "partner_id": b.facility.partner_id,
            "address": b.facility.address,
            "active": b.facility.active,
            "rooms": [
                {"room_type": r.room_type, "beds": r.beds, "occupied": r.occupied, "free": r.free} for r in b.rooms
            ],
        }
        for b in boards
    ]


@router.get("/cases/{reference}/placements", response={200: list[PlacementOut], 404: ErrorOut},
            summary="A case's stays, current first")  # fmt: skip
def list_placements(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    case = case_selectors.case_for_user(request.user, reference=reference)
    show = _shows_reason(request.user, case)
    return [placement_out(p, show) for p in selectors.placements_of(case)]


@router.post("/cases/{reference}/placements", response={201: list[PlacementOut], **ERRORS},
             summary="Check members of a case in (all or none)")  # fmt: skip
def check_in(request: HttpRequest, reference: str, payload: CheckInIn) -> Status:
    case = case_selectors.case_for_user(request.user, reference=reference)
    facility = Facility.objects.filter(pk=payload.facility_id, mission_id=case.host_mission_id).first()
    members = {m.pk: m for m in case.members.all()}
    unknown = [i for i in payload.member_ids if i not in members]
    if facility is None or unknown:
        fields: dict[str, list[str]] = {}
        if facility is None:
            fields["facility_id"] = [_("Choose a facility of the case's host mission.")]
        if unknown:
            fields["member_ids"] = [_("Choose members of this case.")]
        raise ServiceError(_("Nothing was saved: check the fields marked."), fields)
    placed = services.placement_check_in(
        acting_user=request.user, case=case, members=[members[i] for i in payload.member_ids], facility=facility,
        room_type=payload.room_type, checked_in_on=payload.checked_in_on,
        expected_check_out_on=payload.expected_check_out_on, reason=payload.reason,
    )  # fmt: skip
    show = _shows_reason(request.user, case)
    return Status(201, [placement_out(p, show) for p in placed])


@router.post("/placements/{placement_id}/check-out", response={200: PlacementOut, **ERRORS}, summary="End a stay")
def check_out(request: HttpRequest, placement_id: int, payload: CheckOutIn) -> dict[str, Any]:
    placement = selectors.placement_for(request.user, placement_id)
    services.placement_check_out(acting_user=request.user, placement=placement, **payload.dict())
    fresh = selectors.placement_for(request.user, placement_id)
    return placement_out(fresh, _shows_reason(request.user, fresh.case))
