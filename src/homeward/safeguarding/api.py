"""The safeguarding part of the JSON API (mounted at /api/v1/): the checklist as the user may see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.cases.schemas import ErrorOut
from homeward.core import files, reads
from homeward.core.errors import ServiceError
from homeward.people.taxonomy import NAMES
from homeward.safeguarding import selectors, services
from homeward.safeguarding.models import ChecklistItem

router = Router(tags=["safeguarding"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class RecordOut(Schema):
    id: int
    done_on: dt.date
    done_by: str
    evidence: str
    evidence_file_url: str | None
    recorded_at: dt.datetime


class ItemOut(Schema):
    member_id: int
    member_name: str
    vulnerability: str
    vulnerability_name: str
    item: str
    label: str
    done: bool
    record: RecordOut | None


class ChecklistOut(Schema):
    items: list[ItemOut]
    missing: int
    # Items of vulnerabilities the caller may not see: counted, never named.
    hidden_missing: int
    complete: bool


def _case(request: HttpRequest, case_id: int) -> Case:
    return case_selectors.case_for_user(request.user, pk=case_id)


def record_out(i: ChecklistItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "done_on": i.done_on,
        "done_by": i.done_by.username,
        "evidence": i.evidence,
        "evidence_file_url": reverse("api:safeguarding_evidence", kwargs={"case_id": i.case_id, "item_id": i.pk})
        if i.evidence_file
        else None,
        "recorded_at": i.recorded_at,
    }


@router.get(
    "/cases/{case_id}/safeguarding",
    response={200: ChecklistOut, 404: ErrorOut},
    summary="The safeguarding checklist: the items the caller may see, and a count of the missing others",
)
def checklist(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = _case(request, case_id)
    state = selectors.checklist_for_user(request.user, case)
    reads.record_request_reads(request, state.shown(), case_id=case.pk, via=reads.Via.API)
    return {
        "items": [
            {
                "member_id": r.member.pk,
                "member_name": r.member.person.full_name,
                "vulnerability": r.vulnerability,
                "vulnerability_name": str(NAMES.get(r.vulnerability, r.vulnerability)),
                "item": r.item,
                "label": r.label,
                "done": r.done is not None,
                "record": record_out(r.done) if r.done else None,
            }
            for r in state.visible
        ],
        "missing": len(state.missing),
        "hidden_missing": state.hidden_missing,
        "complete": state.complete,
    }


@router.post(
    "/cases/{case_id}/safeguarding",
    response={201: RecordOut, **ERRORS},
    summary="Record a checklist item as done (form or multipart, with an optional evidence_file)",
)
def item_record(
    request: HttpRequest,
    case_id: int,
    member_id: Form[int],
    vulnerability: Form[str],
    item: Form[str],
    done_on: Form[dt.date],
    evidence: Form[str],
    evidence_file: File[UploadedFile | None] = None,
) -> Any:
    case = _case(request, case_id)
    member = next((m for m in case.members.all() if m.pk == member_id), None)
    if member is None:
        message = _("Choose a member of this case.")
        raise ServiceError(message, {"member_id": [message]})
    record = services.item_record(
        acting_user=request.user,
        case=case,
        member=member,
        vulnerability=vulnerability,
        item=item,
        done_on=done_on,
        evidence=evidence,
        evidence_file=evidence_file,
    )
    return Status(201, record_out(selectors.visible_item(request.user, case, record.pk)))


@router.get(
    "/cases/{case_id}/safeguarding/items/{item_id}/evidence",
    response={404: ErrorOut},
    url_name="safeguarding_evidence",
    summary="Download an item's evidence file",
    openapi_extra={"responses": {200: {"description": "The file (PDF, JPEG or PNG)"}}},
)
def evidence(request: HttpRequest, case_id: int, item_id: int) -> Any:
    case = _case(request, case_id)
    record = selectors.visible_item(request.user, case, item_id)
    sensitivity = selectors.sensitivity_of(record.vulnerability)
    reads.record_request_reads(request, [(record, sensitivity)], case_id=case.pk, via=reads.Via.EVIDENCE)
    extension = files.ALLOWED_TYPES.get(record.evidence_content_type, "")
    return files.serve_private(
        record.evidence_file, record.evidence_content_type, f"{case.reference}-{record.item}-evidence{extension}"
    )


@router.delete(
    "/cases/{case_id}/safeguarding/items/{item_id}",
    response={204: None, **ERRORS},
    url_name="safeguarding_item",
    summary="Remove an item recorded by mistake (case supervisors)",
)
def item_remove(request: HttpRequest, case_id: int, item_id: int) -> Any:
    case = _case(request, case_id)
    services.item_remove(acting_user=request.user, item=selectors.visible_item(request.user, case, item_id))
    return Status(204, None)
