"""The counselling part of the JSON API (mounted at /api/v1/): sessions, sign-off, declarations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case, CaseMember
from homeward.cases.schemas import ErrorOut
from homeward.core import files
from homeward.core.errors import ServiceError
from homeward.counselling import pdf, selectors, services
from homeward.counselling.models import Declaration, Session

router = Router(tags=["counselling"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SessionIn(Schema):
    held_on: dt.date
    mode: str
    language: str
    interpretation: str = ""
    interpreter_name: str = ""
    attendees: list[int]
    topics: list[str]
    questions: str = ""
    outcome: str
    informed_decision: bool = False
    next_steps: str = ""


class SessionOut(Schema):
    id: int
    held_on: dt.date
    counsellor: str
    mode: str
    in_detention: bool
    language: str
    interpretation: str
    interpreter_name: str
    attendees: list[int]
    topics: list[str]
    questions: str
    outcome: str
    informed_decision: bool
    next_steps: str
    signed_off_by: str | None
    signed_off_at: dt.datetime | None


class DeclarationIn(Schema):
    language: str
    consent_processing: bool
    consent_sharing: bool


class DeclarationOut(Schema):
    id: int
    language: str
    consent_processing: bool
    consent_sharing: bool
    generated_at: dt.datetime
    generated_by: str
    signed: bool
    signed_on: dt.date | None
    signatories: list[int]
    scan_content_type: str | None
    scan_uploaded_by: str | None
    scan_uploaded_at: dt.datetime | None
    pdf_url: str
    scan_url: str | None


def _case(request: HttpRequest, case_id: int) -> Case:
    return case_selectors.case_for_user(request.user, pk=case_id)


def _members(case: Case, ids: list[int], field: str) -> list[CaseMember]:
    """The case's members with these ids; an id of anyone else is refused the same way, unknown or not."""
    by_id = {m.pk: m for m in case.members.all()}
    strangers = [i for i in ids if i not in by_id]
    if strangers:
        message = _("Choose members of this case only.")
        raise ServiceError(message, {field: [message]})
    return [by_id[i] for i in dict.fromkeys(ids)]


def session_out(s: Session) -> dict[str, Any]:
    return {
        "id": s.pk,
        "held_on": s.held_on,
        "counsellor": s.counsellor.username,
        "mode": s.mode,
        "in_detention": s.in_detention,
        "language": s.language,
        "interpretation": s.interpretation,
        "interpreter_name": s.interpreter_name,
        "attendees": [m.pk for m in s.attendees.all()],
        "topics": list(s.topics),
        "questions": s.questions,
        "outcome": s.outcome,
        "informed_decision": s.informed_decision,
        "next_steps": s.next_steps,
        "signed_off_by": s.signed_off_by.username if s.signed_off_by_id else None,
        "signed_off_at": s.signed_off_at,
    }


def declaration_out(d: Declaration) -> dict[str, Any]:
    return {
        "id": d.pk,
        "language": d.language,
        "consent_processing": d.consent_processing,
        "consent_sharing": d.consent_sharing,
        "generated_at": d.generated_at,
        "generated_by": d.generated_by.username,
        "signed": d.is_signed,
        "signed_on": d.signed_on,
        "signatories": [m.pk for m in d.signatories.all()],
        "scan_content_type": d.scan_content_type or None,
        "scan_uploaded_by": d.scan_uploaded_by.username if d.scan_uploaded_by_id else None,
        "scan_uploaded_at": d.scan_uploaded_at,
        "pdf_url": reverse("api:counselling_declaration_pdf", kwargs={"case_id": d.case_id, "declaration_id": d.pk}),
        "scan_url": reverse("api:counselling_declaration_scan", kwargs={"case_id": d.case_id, "declaration_id": d.pk})
        if d.scan
        else None,
    }


@router.get(
    "/cases/{case_id}/sessions", response={200: list[SessionOut], 404: ErrorOut}, summary="Counselling sessions"
)
def session_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    return [session_out(s) for s in selectors.sessions_of(_case(request, case_id))]


@router.post("/cases/{case_id}/sessions", response={201: SessionOut, **ERRORS}, summary="Record a counselling session")
def session_create(request: HttpRequest, case_id: int, payload: SessionIn) -> Any:
    case = _case(request, case_id)
    data = payload.dict()
    data["attendees"] = _members(case, data["attendees"], "attendees")
    session = services.session_record(acting_user=request.user, case=case, **data)
    return Status(201, session_out(selectors.session_of(case, session.pk)))


@router.post(
    "/cases/{case_id}/sessions/{session_id}/sign-off",
    response={200: SessionOut, **ERRORS},
    summary="A supervisor signs off that the decision recorded in the session is voluntary",
)
def session_sign_off(request: HttpRequest, case_id: int, session_id: int) -> Any:
    case = _case(request, case_id)
    session = services.session_sign_off(acting_user=request.user, session=selectors.session_of(case, session_id))
    return session_out(selectors.session_of(case, session.pk))


@router.get(
    "/cases/{case_id}/declarations",
    response={200: list[DeclarationOut], 404: ErrorOut},
    summary="Declarations of voluntary return, newest first",
)
def declaration_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    return [declaration_out(d) for d in selectors.declarations_of(case).select_related("case")]


@router.post(
    "/cases/{case_id}/declarations",
    response={201: DeclarationOut, **ERRORS},
    summary="Prepare a declaration of voluntary return",
)
def declaration_create(request: HttpRequest, case_id: int, payload: DeclarationIn) -> Any:
    case = _case(request, case_id)
    declaration = services.declaration_generate(acting_user=request.user, case=case, **payload.dict())
    return Status(201, declaration_out(selectors.declaration_of(case, declaration.pk)))


@router.get(
    "/cases/{case_id}/declarations/{declaration_id}/pdf",
    response={404: ErrorOut},
    url_name="counselling_declaration_pdf",
    summary="The declaration as a PDF to print (in the migrant's language where available, and English)",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def declaration_pdf(request: HttpRequest, case_id: int, declaration_id: int) -> HttpResponse:
    case = _case(request, case_id)
    declaration = selectors.declaration_of(case, declaration_id)
    response = HttpResponse(pdf.declaration_pdf(declaration), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="declaration-{case.reference}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/cases/{case_id}/declarations/{declaration_id}/scan",
    response={200: DeclarationOut, **ERRORS},
    url_name="counselling_declaration_scan",
    summary="Upload the signed declaration's scan (multipart: file, signed_on, signatories)",
)
def declaration_scan_upload(
    request: HttpRequest,
    case_id: int,
    declaration_id: int,
    file: File[UploadedFile],
    signed_on: Form[dt.date],
    signatories: Form[list[int]],
) -> Any:
    case = _case(request, case_id)
    declaration = selectors.declaration_of(case, declaration_id)
    services.declaration_upload_scan(
        acting_user=request.user,
        declaration=declaration,
        file=file,
        signed_on=signed_on,
        signatories=_members(case, signatories, "signatories"),
    )
    return declaration_out(selectors.declaration_of(case, declaration_id))


@router.get(
    "/cases/{case_id}/declarations/{declaration_id}/scan",
    response={404: ErrorOut},
    url_name="counselling_declaration_scan",
    summary="Download the signed scan",
    openapi_extra={"responses": {200: {"description": "The scan (PDF, JPEG or PNG)"}}},
)
def declaration_scan_download(request: HttpRequest, case_id: int, declaration_id: int) -> Any:
    case = _case(request, case_id)
    declaration = selectors.declaration_of(case, declaration_id)
    extension = files.ALLOWED_TYPES.get(declaration.scan_content_type, "")
    return files.serve_private(
        declaration.scan, declaration.scan_content_type, f"declaration-{case.reference}-signed{extension}"
    )
