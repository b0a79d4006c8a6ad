"""Feedback over JSON, staff side only (mounted at /api/v1/): /cases/{id}/feedback, /feedback/{id}/… and the link.

The same services and scoping as the pages: a case or feedback the user may not
see is a 404, an action the role may not take a 403, a refusal a 400 with
``{"message", "fields"}``. The public form has no API.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.feedback import selectors, services
from homeward.feedback.models import Feedback
from homeward.feedback.schemas import AnswerIn, ErrorOut, FeedbackLinkOut, FeedbackOut, PhoneFeedbackIn

router = Router(tags=["feedback"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _name(user: Any) -> str | None:
    return user.username if user is not None else None


def feedback_out(f: Feedback) -> dict[str, Any]:
    return {
        "id": f.pk, "case_id": f.case_id, "channel": f.channel, "language": f.language, "rating": f.rating,
        "text": f.text, "is_complaint": f.is_complaint, "contact_ok": f.contact_ok, "contact": f.contact,
        "received_at": f.received_at, "logged_by": _name(f.logged_by), "status": f.status,
        "answered_by": _name(f.answered_by), "answered_at": f.answered_at, "answer_note": f.answer_note,
    }  # fmt: skip


def _case(request: HttpRequest, case_id: int) -> Case:
    case = case_selectors.case_for_user(request.user, pk=case_id)
    if not selectors.may_handle(request.user, case):
        raise PermissionDenied(_("Your role may not handle this case's feedback."))
    return case


def _fresh(request: HttpRequest, feedback: Feedback) -> dict[str, Any]:
    return feedback_out(selectors.feedback_for_user(request.user, feedback.pk))


@router.get("/cases/{case_id}/feedback", response={200: list[FeedbackOut], **ERRORS}, summary="A case's feedback")
def list_feedback(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    return [feedback_out(f) for f in selectors.feedback_of(request.user, case)]


@router.post("/cases/{case_id}/feedback", response={201: FeedbackOut, **ERRORS}, summary="Log feedback given by phone")
def log_phone(request: HttpRequest, case_id: int, payload: PhoneFeedbackIn) -> Status:
    case = _case(request, case_id)
    data = services.FeedbackInput(
        text=payload.text, rating=payload.rating, is_complaint=payload.is_complaint, contact_ok=payload.contact_ok,
        contact=payload.contact, language=payload.language,
    )  # fmt: skip
    feedback = services.feedback_log_phone(
        acting_user=request.user, case=case, data=data, received_at=payload.received_at
    )
    return Status(201, _fresh(request, feedback))


@router.post("/feedback/{feedback_id}/read", response={200: FeedbackOut, **ERRORS}, summary="Mark feedback read")
def mark_read(request: HttpRequest, feedback_id: int) -> dict[str, Any]:
    feedback = services.feedback_mark_read(
        acting_user=request.user, feedback=selectors.feedback_for_user(request.user, feedback_id)
    )
    return _fresh(request, feedback)


@router.post("/feedback/{feedback_id}/answer", response={200: FeedbackOut, **ERRORS}, summary="Record the answer")
def answer(request: HttpRequest, feedback_id: int, payload: AnswerIn) -> dict[str, Any]:
    feedback = services.feedback_answer(
        acting_user=request.user, feedback=selectors.feedback_for_user(request.user, feedback_id), note=payload.note
    )
    return _fresh(request, feedback)


@router.post("/feedback/{feedback_id}/complaint", response={200: FeedbackOut, **ERRORS}, summary="Flag as a complaint")
def mark_complaint(request: HttpRequest, feedback_id: int) -> dict[str, Any]:
    feedback = services.feedback_mark_complaint(
        acting_user=request.user, feedback=selectors.feedback_for_user(request.user, feedback_id)
    )
    return _fresh(request, feedback)


def _link_out(request: HttpRequest, case: Case, link: Any) -> dict[str, Any]:
    base = selectors.public_base(request)
    return {
        "code": link.display_code,
        "url": selectors.public_url(link, case, base),
        "code_url": selectors.code_url(base),
        "created_at": link.created_at,
    }


@router.get(
    "/cases/{case_id}/feedback-link",
    response={200: FeedbackLinkOut, **ERRORS},
    summary="The returnee's feedback link and code (issued on first request)",
)
def get_link(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = _case(request, case_id)
    return _link_out(request, case, services.feedback_link_for(case, acting_user=request.user))


@router.post(
    "/cases/{case_id}/feedback-link/regenerate",
    response={200: FeedbackLinkOut, **ERRORS},
    summary="Revoke the link and code and issue new ones (supervisors)",
)
def regenerate_link(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = _case(request, case_id)
    return _link_out(request, case, services.feedback_link_regenerate(acting_user=request.user, case=case))
