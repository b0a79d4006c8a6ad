"""Appointments over JSON (mounted at /api/v1/): GET and POST /appointments, POST /appointments/{id}/mark,
GET /offices.

The same services and scoping as the pages: something of another mission is a 404, a write the
role may not make a 403, a refusal a 400 with ``{"message", "fields"}``. Times go in as the
office's local date and time, and come out in UTC and in the office's zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from homeward.appointments import selectors, services
from homeward.appointments.models import Appointment, Office
from homeward.appointments.schemas import AppointmentIn, AppointmentOut, ErrorOut, MarkIn, OfficeOut
from homeward.core.errors import ServiceError

router = Router(tags=["appointments"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def office_out(o: Office) -> dict[str, Any]:
    return {"id": o.pk, "mission": o.mission.code, "name": o.name, "address": o.address, "city": o.city,
            "phone": o.phone, "email": o.email, "time_zone": o.time_zone, "languages": o.languages,
            "public": o.public, "active": o.active,
            "hours": [{"weekday": h.weekday, "opens": h.opens, "closes": h.closes} for h in o.hours.all()]}  # fmt: skip


def appointment_out(a: Appointment) -> dict[str, Any]:
    return {
        "id": a.pk, "office_id": a.office_id, "office": a.office.name, "time_zone": a.office.time_zone,
        "counsellor_id": a.counsellor_id, "counsellor": a.counsellor.username, "starts_at": a.starts_at,
        "ends_at": a.ends_at, "local_start": a.local_start.isoformat(), "local_end": a.local_end.isoformat(),
        "mode": a.mode, "phone": a.phone, "video_link": a.video_link, "language": a.language,
        "interpreter_needed": a.interpreter_needed, "interpreter": a.interpreter, "inquiry_id": a.inquiry_id,
        "call_id": a.call_id, "case_reference": a.case.reference if a.case_id else None, "person": a.person_name,
        "status": a.status, "cancel_reason": a.cancel_reason, "notes": a.notes,
    }  # fmt: skip


@router.get("/offices", response={200: list[OfficeOut]}, summary="Offices of the user's missions, with their hours")
def list_offices(request: HttpRequest) -> list[dict[str, Any]]:
    return [office_out(o) for o in selectors.offices_for(request.user)]


@router.get("/appointments", response={200: list[AppointmentOut], 403: ErrorOut, 404: ErrorOut},
            summary="Appointments: the user's own (mine=true, the default) or, for a supervisor, also those of "
                    "the counsellors of their missions (mine=false)")  # fmt: skip
def list_appointments(
    request: HttpRequest,
    date_from: dt.date | None = Query(None, alias="from"),  # noqa: B008 - ninja's way to name a parameter "from"
    date_to: dt.date | None = Query(None, alias="to"),  # noqa: B008
    mine: bool = True,
    counsellor_id: int | None = None,
) -> list[dict[str, Any]]:
    if counsellor_id is not None:
        qs = selectors.appointments_for(request.user).filter(
            counsellor=selectors.calendar_counsellor(request.user, counsellor_id)
        )
    else:
        qs = selectors.listed_for(request.user, mine=mine)
    # Whole UTC days, widened by a day: an office's local day may start the evening before in UTC.
    start = dt.datetime.combine(date_from - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC) if date_from else None
    end = dt.datetime.combine(date_to + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC) if date_to else None
    rows = selectors.between(qs, start, end).order_by("starts_at", "pk")[:1000]
    return [
        appointment_out(a) for a in rows
        if (date_from is None or a.local_start.date() >= date_from) and (date_to is None or a.local_start.date() <= date_to)
    ]  # fmt: skip


@router.post("/appointments", response={201: AppointmentOut, **ERRORS}, summary="Book an appointment")
def create_appointment(request: HttpRequest, payload: AppointmentIn) -> Status:
    given = [k for k in ("inquiry_id", "call_id", "case_reference") if getattr(payload, k) not in (None, "")]
    if len(given) != 1:
        message = _("An appointment is for one inquiry, one hotline call or one case.")
        raise ServiceError(message, {"__all__": [message]})
    if payload.inquiry_id is not None:
        source: dict[str, Any] = {"inquiry": selectors.inquiry_for(request.user, payload.inquiry_id)}
    elif payload.call_id is not None:
        source = {"call": selectors.call_for(request.user, payload.call_id)}
    else:
        source = {"case": selectors.case_for(request.user, payload.case_reference or "")}
    office = selectors.offices_for(request.user).filter(pk=payload.office_id).first()
    if office is None:
        message = _("Choose from the list.")
        raise ServiceError(message, {"office_id": [message]})
    # Only who counsels at the office: a lookup by any id would name users of other missions.
    counsellor = selectors.counsellors_of({office.mission_id}).filter(pk=payload.counsellor_id).first()
    if counsellor is None:
        message = _("Choose from the list.")
        raise ServiceError(message, {"counsellor_id": [message]})
    data = services.AppointmentInput(
        office=office, counsellor=counsellor, on=payload.date, start=payload.time, minutes=payload.minutes,
        mode=payload.mode, language=payload.language or selectors.source_language(**source), phone=payload.phone,
        video_link=payload.video_link, interpreter_needed=payload.interpreter_needed,
        interpreter=payload.interpreter, notes=payload.notes,
    )  # fmt: skip
    appointment = services.appointment_book(acting_user=request.user, data=data, **source)
    return Status(201, appointment_out(selectors.appointment_for(request.user, appointment.pk)))


@router.post("/appointments/{appointment_id}/mark", response={200: AppointmentOut, **ERRORS},
             summary="Record that the person came (attended), did not (no_show), or cancel (with the reason in note)")  # fmt: skip
def mark_appointment(request: HttpRequest, appointment_id: int, payload: MarkIn) -> dict[str, Any]:
    appointment = selectors.appointment_to_change(request.user, appointment_id)
    if payload.outcome == Appointment.Status.CANCELLED:
        services.appointment_cancel(acting_user=request.user, appointment=appointment, reason=payload.note)
    else:
        services.appointment_mark(
            acting_user=request.user, appointment=appointment, outcome=payload.outcome, note=payload.note
        )
    return appointment_out(selectors.appointment_for(request.user, appointment.pk))
