"""Pre-departure activities over JSON (mounted at /api/v1/): GET /activities and GET /activities/{id}.

The same scoping as the pages: activities of the user's missions, people only of the cases
they may see; an activity of another mission is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from homeward.activities import selectors
from homeward.activities.models import Activity
from homeward.cases.schemas import ErrorOut

router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    mission: str
    programme_id: int | None
    title: str
    kind: str
    provider_id: int | None
    provider: str
    place: str
    starts_on: dt.date
    ends_on: dt.date
    capacity: int | None
    taken: int
    description: str


class AttendanceOut(Schema):
    on: dt.date
    present: bool
    note: str


class EnrolmentOut(Schema):
    id: int
    case_id: int
    case_reference: str
    member_id: int
    name: str
    enrolled_on: dt.date
    status: str
    completed_on: dt.date | None
    certificate_note: str
    attendance: list[AttendanceOut]


class ActivityDetailOut(ActivityOut):
    enrolments: list[EnrolmentOut]


def activity_out(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk, "mission": a.mission.code, "programme_id": a.programme_id, "title": a.title, "kind": a.kind,
        "provider_id": a.provider_id, "provider": a.provider.name if a.provider_id else "", "place": a.place,
        "starts_on": a.starts_on, "ends_on": a.ends_on, "capacity": a.capacity, "taken": a.taken,
        "description": a.description,
    }  # fmt: skip


@router.get("/activities", response={200: list[ActivityOut]}, summary="Activities of the user's missions")
def list_activities(request: HttpRequest) -> list[dict[str, Any]]:
    return [activity_out(a) for a in selectors.activities_for(request.user)]


@router.get("/activities/{activity_id}", response={200: ActivityDetailOut, 404: ErrorOut},
            summary="An activity with the enrolments and attendance of the cases the user sees")  # fmt: skip
def get_activity(request: HttpRequest, activity_id: int) -> dict[str, Any]:
    activity = selectors.activity_for(request.user, activity_id)
    enrolments = [
        {"id": e.pk, "case_id": e.case_id, "case_reference": e.case.reference, "member_id": e.member_id,
         "name": str(e.member.person), "enrolled_on": e.enrolled_on, "status": e.status,
         "completed_on": e.completed_on, "certificate_note": e.certificate_note,
         "attendance": [{"on": x.on, "present": x.present, "note": x.note} for x in e.attendance.all()]}
        for e in selectors.enrolments_of(request.user, activity)
    ]  # fmt: skip
    return {**activity_out(activity), "enrolments": enrolments}
