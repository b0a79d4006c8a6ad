"""Triage over JSON (mounted at /api/v1/): /inquiries, /inquiries/{id} and its actions
/assign, /contact, /case, /close, /reopen.

The same services and scoping as the pages: an inquiry of another mission is a 404, a write
the role may not make a 403, a refusal a 400 with ``{"message", "fields"}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from homeward.core.errors import ServiceError
from homeward.triage import selectors, services
from homeward.triage.models import ContactAttempt, Inquiry
from homeward.triage.schemas import (
    AssignIn,
    ContactIn,
    ConvertedOut,
    ErrorOut,
    TriageCaseIn,
    TriageCloseIn,
    TriageContactOut,
    TriageInquiryOut,
)

router = Router(tags=["triage"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def attempt_out(a: ContactAttempt) -> dict[str, Any]:
    return {"id": a.pk, "at": a.at, "by": a.by.username, "channel": a.channel, "reached": a.reached, "note": a.note}


def inquiry_out(i: Inquiry, *, attempts: bool = False) -> dict[str, Any]:
    out = {
        "id": i.pk, "code": i.code, "mission": i.mission.code, "status": i.status, "submitted_at": i.submitted_at,
        "given_names": i.given_names, "family_name": i.family_name, "phone": i.phone, "messenger": i.messenger,
        "messenger_number": i.messenger_number, "email": i.email, "language": i.language,
        "nationality": str(i.nationality or ""), "destination_country": str(i.destination_country or ""),
        "where": i.where, "city": i.city, "facility": i.facility, "family_travels": i.family_travels,
        "family_size": i.family_size, "how_heard": i.how_heard, "message": i.message,
        "consent_text": i.consent_text, "consent_at": i.consent_at,
        "assigned_to": i.assigned_to.username if i.assigned_to_id else None,
        "case_id": i.case_id, "case_reference": i.case.reference if i.case_id else None,
        "close_reason": i.close_reason, "close_note": i.close_note,
    }  # fmt: skip
    if attempts:
        out["attempts"] = [attempt_out(a) for a in selectors.attempts_of(i)]
    return out


def _fresh(request: HttpRequest, pk: int) -> dict[str, Any]:
    return inquiry_out(selectors.inquiry_for(request.user, pk), attempts=True)


@router.get("/inquiries", response={200: list[TriageInquiryOut], **ERRORS},
            summary="Inquiries of the user's missions: new first, the longest waiting first")  # fmt: skip
def list_inquiries(request: HttpRequest, status: str = "open", q: str = "", limit: int = 200) -> list[dict[str, Any]]:
    if status not in selectors.FILTERS:
        message = _("Choose one of: %(filters)s.") % {"filters": ", ".join(selectors.FILTERS)}
        raise ServiceError(message, {"status": [message]})
    found = selectors.queue(request.user, status=status, query=q, limit=max(1, min(limit, 1000)))
    return [inquiry_out(i) for i in found.rows]


@router.get("/inquiries/{inquiry_id}", response={200: TriageInquiryOut, 404: ErrorOut},
            summary="One inquiry, with its contact attempts")  # fmt: skip
def get_inquiry(request: HttpRequest, inquiry_id: int) -> dict[str, Any]:
    return _fresh(request, inquiry_id)


@router.post("/inquiries/{inquiry_id}/assign", response={200: TriageInquiryOut, **ERRORS},
             summary="Give the inquiry to a counsellor (a counsellor takes it himself)")  # fmt: skip
def assign(request: HttpRequest, inquiry_id: int, payload: AssignIn) -> dict[str, Any]:
    inquiry = selectors.inquiry_for(request.user, inquiry_id)
    counsellor = selectors.counsellors_of(inquiry.mission_id).filter(username=payload.counsellor).first()
    if counsellor is None:
        message = _("Choose a counsellor of this mission.")
        raise ServiceError(message, {"counsellor": [message]})
    services.inquiry_assign(acting_user=request.user, inquiry=inquiry, counsellor=counsellor)
    return _fresh(request, inquiry.pk)


@router.post("/inquiries/{inquiry_id}/contact", response={201: TriageContactOut, **ERRORS},
             summary="Record a try to reach the person")  # fmt: skip
def contact(request: HttpRequest, inquiry_id: int, payload: ContactIn) -> Status:
    inquiry = selectors.inquiry_for(request.user, inquiry_id)
    attempt = services.contact_record(acting_user=request.user, inquiry=inquiry, **payload.dict())
    return Status(201, attempt_out(attempt))


@router.post("/inquiries/{inquiry_id}/case", response={201: ConvertedOut, **ERRORS},
             summary="Turn the inquiry into an inquiry case")  # fmt: skip
def to_case(request: HttpRequest, inquiry_id: int, payload: TriageCaseIn) -> Status:
    inquiry = selectors.inquiry_for(request.user, inquiry_id)
    case = services.inquiry_to_case(acting_user=request.user, inquiry=inquiry, **payload.dict())
    return Status(201, {"case_id": case.pk, "case_reference": case.reference, "inquiry": _fresh(request, inquiry.pk)})


@router.post("/inquiries/{inquiry_id}/close", response={200: TriageInquiryOut, **ERRORS},
             summary="Close the inquiry with a reason")  # fmt: skip
def close(request: HttpRequest, inquiry_id: int, payload: TriageCloseIn) -> dict[str, Any]:
    inquiry = selectors.inquiry_for(request.user, inquiry_id)
    services.inquiry_close(acting_user=request.user, inquiry=inquiry, reason=payload.reason, note=payload.note)
    return _fresh(request, inquiry.pk)


@router.post("/inquiries/{inquiry_id}/reopen", response={200: TriageInquiryOut, **ERRORS},
             summary="Reopen a closed inquiry (a supervisor)")  # fmt: skip
def reopen(request: HttpRequest, inquiry_id: int) -> dict[str, Any]:
    inquiry = selectors.inquiry_for(request.user, inquiry_id)
    services.inquiry_reopen(acting_user=request.user, inquiry=inquiry)
    return _fresh(request, inquiry.pk)
