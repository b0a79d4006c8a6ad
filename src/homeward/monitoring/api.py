"""Monitoring over JSON (mounted at /api/v1/): /cases/{id}/visits, /visits/{id} and its photos, /cases/{id}/closure.

The same services and scoping as the pages: a case or visit the user may not see
is a 404, an action the role may not take a 403, a refusal a 400 with
``{"message", "fields"}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.core import files
from homeward.core.errors import ServiceError
from homeward.monitoring import selectors, services
from homeward.monitoring.models import Closure, Visit
from homeward.monitoring.schemas import CaseVisitsOut, ClosureIn, ClosureOut, ErrorOut, MissedIn, VisitIn, VisitOut

router = Router(tags=["monitoring"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _finding_out(f: Any) -> dict[str, Any]:
    return {
        "component_id": f.component_id, "component_kind": f.component.kind, "delivered": f.delivered,
        "in_use": f.in_use, "business_running": f.business_running, "note": f.note,
    }  # fmt: skip


def _photo_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk, "caption": p.caption, "content_type": p.content_type, "uploaded_by": p.uploaded_by.username,
        "url": reverse("api:monitoring_photo", args=[p.pk]),
    }  # fmt: skip


def visit_out(v: Visit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "case_id": v.case_id,
        "case_reference": v.case.reference,
        "months_after": v.months_after,
        "scheduled_for": v.scheduled_for,
        "status": v.status,
        "overdue": selectors.is_overdue(v, timezone.localdate()),
        "visited_on": v.visited_on,
        "mode": v.mode,
        "met": v.met,
        "findings": v.findings,
        "risks": v.risks,
        "follow_up": v.follow_up,
        "note": v.note,
        "visited_by": v.visited_by.username if v.visited_by_id else None,
        "components": [_finding_out(f) for f in v.component_findings.all()],
        "photos": [_photo_out(p) for p in v.photos.all()],
    }


def closure_out(c: Closure) -> dict[str, Any]:
    return {
        "case_id": c.case_id, "case_status": c.case.status, "reason": c.reason, "summary": c.summary,
        "closed_by": c.closed_by.username, "closed_on": c.closed_on,
    }  # fmt: skip


def _case(request: HttpRequest, case_id: int) -> Case:
    return case_selectors.case_for_user(request.user, pk=case_id)


def _fresh(request: HttpRequest, visit: Visit) -> dict[str, Any]:
    return visit_out(selectors.visit_for_user(request.user, visit.pk))


@router.get("/cases/{case_id}/visits", response={200: CaseVisitsOut, 404: ErrorOut},
            summary="A case's monitoring visits, the programme's schedule and the closure")  # fmt: skip
def list_visits(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = _case(request, case_id)
    arrived = services.arrived_on(case)
    closure = selectors.closure_of(request.user, case)
    return {
        "visits": [visit_out(v) for v in selectors.visits_of(request.user, case).select_related("case")],
        "schedule_months": services.schedule_months(case, arrived) if arrived else [],
        "arrived_on": arrived,
        "closure": closure_out(closure) if closure else None,
    }


@router.post("/cases/{case_id}/visits", response={201: VisitOut, **ERRORS},
             summary="Record a visit: a planned one (visit_id) or one outside the schedule")  # fmt: skip
def record_visit(request: HttpRequest, case_id: int, payload: VisitIn) -> Status:
    case = _case(request, case_id)
    visit = None
    if payload.visit_id is not None:
        visit = Visit.objects.filter(case=case, pk=payload.visit_id).first()
        if visit is None:
            message = _("Choose a visit of this case.")
            raise ServiceError(message, {"visit_id": [message]})
    components = [services.FindingInput(**row.dict()) for row in payload.components]
    recorded = services.visit_record(
        acting_user=request.user, visit=visit, case=case if visit is None else None, visited_on=payload.visited_on,
        mode=payload.mode, met=payload.met, findings=payload.findings, risks=payload.risks,
        follow_up=payload.follow_up, components=components,
    )  # fmt: skip
    return Status(201, _fresh(request, recorded))


@router.get("/visits/{visit_id}", response={200: VisitOut, 404: ErrorOut}, summary="One visit")
def get_visit(request: HttpRequest, visit_id: int) -> dict[str, Any]:
    return visit_out(selectors.visit_for_user(request.user, visit_id))


@router.post("/visits/{visit_id}/photos", response={201: VisitOut, **ERRORS},
             summary="Add photos to a visit that took place (multipart: photos, one or more; caption)")  # fmt: skip
def add_photos(
    request: HttpRequest, visit_id: int, photos: File[list[UploadedFile]], caption: Form[str] = ""
) -> Status:
    visit = selectors.visit_for_user(request.user, visit_id)
    services.visit_add_photos(
        acting_user=request.user, visit=visit, photos=[services.PhotoInput(f, caption) for f in photos]
    )
    return Status(201, _fresh(request, visit))


@router.get(
    "/visit-photos/{photo_id}",
    response={404: ErrorOut},
    url_name="monitoring_photo",
    summary="Download a visit's photo",
    openapi_extra={"responses": {200: {"description": "The photo (JPEG or PNG)"}}},
)
def download_photo(request: HttpRequest, photo_id: int) -> Any:
    photo = selectors.photo_for_user(request.user, photo_id)
    extension = files.ALLOWED_TYPES.get(photo.content_type, "")
    return files.serve_private(
        photo.file, photo.content_type, f"visit-{photo.visit.case.reference}-{photo.pk}{extension}"
    )


@router.post("/visits/{visit_id}/missed", response={200: VisitOut, **ERRORS},
             summary="A planned visit that did not take place, with the reason")  # fmt: skip
def miss_visit(request: HttpRequest, visit_id: int, payload: MissedIn) -> dict[str, Any]:
    visit = selectors.visit_for_user(request.user, visit_id)
    services.visit_missed(acting_user=request.user, visit=visit, note=payload.note)
    return _fresh(request, visit)


@router.post("/cases/{case_id}/closure", response={201: ClosureOut, **ERRORS},
             summary="Close the case after its return, with a reason from the list and a final summary")  # fmt: skip
def close_case(request: HttpRequest, case_id: int, payload: ClosureIn) -> Status:
    case = _case(request, case_id)
    closure = services.case_close(acting_user=request.user, case=case, reason=payload.reason, summary=payload.summary)
    closure.case.refresh_from_db(fields=["status"])
    return Status(201, closure_out(closure))
