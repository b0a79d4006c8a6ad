"""Health care before departure over JSON (mounted at /api/v1/): GET /cases/{case}/health and
POST /cases/{case}/health/fit-to-travel, ``{case}`` being the case's reference or id.

A case the user may not see is a 404; one whose medical facts they may not see, a 403;
a refusal a 400 with ``{"message", "fields"}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from homeward.cases import selectors as case_selectors
from homeward.cases import workflow
from homeward.cases.models import Case
from homeward.cases.schemas import ErrorOut
from homeward.core import reads
from homeward.health import selectors, services
from homeward.health.models import FitToTravelExam

router = Router(tags=["health"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class HealthAppointmentOut(Schema):
    id: int
    member_id: int
    when: dt.datetime
    provider_id: int | None
    provider: str
    purpose: str
    status: str
    outcome: str


class HealthReferralOut(Schema):
    id: int
    member_id: int
    referred_to: str
    reason: str
    referred_on: dt.date
    status: str
    answer: str


class MedicineOut(Schema):
    id: int
    member_id: int
    name: str
    dosage: str
    quantity: int
    supplied_on: dt.date
    for_journey: bool
    note: str


class ExamOut(Schema):
    id: int
    member_id: int
    examined_on: dt.date
    examiner: str
    result: str
    valid_until: dt.date | None
    notes: str
    counts_for_travel: bool


class CostOut(Schema):
    id: int
    member_id: int
    what: str
    amount: Decimal
    currency: str
    incurred_on: dt.date
    budget_line_id: int
    state: str  # waiting (for a supervisor), committed, paid


class HealthOut(Schema):
    case_id: int
    reference: str
    travel_date: dt.date
    appointments: list[HealthAppointmentOut]
    referrals: list[HealthReferralOut]
    medicines: list[MedicineOut]
    exams: list[ExamOut]
    costs: list[CostOut]


class ExamIn(Schema):
    member_id: int
    examined_on: dt.date
    examiner: str
    result: str  # fit, fit_with_escort, unfit
    valid_until: dt.date | None = None
    notes: str = ""


def _case(request: HttpRequest, case: str) -> Case:
    found = case_selectors.case_for_user(request.user, **({"pk": int(case)} if case.isdigit() else {"reference": case}))
    selectors.require_read(request.user, found)
    return found


def exam_out(e: FitToTravelExam, on: dt.date) -> dict[str, Any]:
    return {"id": e.pk, "member_id": e.member_id, "examined_on": e.examined_on, "examiner": e.examiner,
            "result": e.result, "valid_until": e.valid_until, "notes": e.notes,
            "counts_for_travel": selectors.counts_on(e, on)}  # fmt: skip


@router.get("/cases/{case}/health", response={200: HealthOut, 403: ErrorOut, 404: ErrorOut},
            summary="A case's health records (users who may see medical facts)")  # fmt: skip
def case_health(request: HttpRequest, case: str) -> dict[str, Any]:
    found = _case(request, case)
    h = selectors.case_health(request.user, found)
    reads.record_request_reads(request, h.shown(), case_id=found.pk, via=reads.Via.API)
    on = workflow.travel_date(found)
    return {
        "case_id": found.pk, "reference": found.reference, "travel_date": on,
        "appointments": [{"id": a.pk, "member_id": a.member_id, "when": a.when, "provider_id": a.provider_id,
                          "provider": a.provider_label, "purpose": a.purpose, "status": a.status,
                          "outcome": a.outcome} for a in h.appointments],
        "referrals": [{"id": r.pk, "member_id": r.member_id, "referred_to": r.referred_to, "reason": r.reason,
                       "referred_on": r.referred_on, "status": r.status, "answer": r.answer} for r in h.referrals],
        "medicines": [{"id": m.pk, "member_id": m.member_id, "name": m.name, "dosage": m.dosage,
                       "quantity": m.quantity, "supplied_on": m.supplied_on, "for_journey": m.for_journey,
                       "note": m.note} for m in h.medicines],
        "exams": [exam_out(e, on) for e in h.exams],
        "costs": [{"id": c.pk, "member_id": c.member_id, "what": c.what, "amount": c.amount, "currency": c.currency,
                   "incurred_on": c.incurred_on, "budget_line_id": c.budget_line_id, "state": c.state}
                  for c in h.costs],
    }  # fmt: skip


@router.post("/cases/{case}/health/fit-to-travel", response={201: ExamOut, **ERRORS},
             summary="Record a fit-to-travel examination (feeds the safeguarding checklist)")  # fmt: skip
def record_exam(request: HttpRequest, case: str, payload: ExamIn) -> Status:
    found = _case(request, case)
    data = payload.dict()
    # Taken out once: popped inside the loop it was gone for the second member (a KeyError, a 500).
    member_id = data.pop("member_id")
    member = next((m for m in found.members.all() if m.pk == member_id), None)
    exam = services.exam_record(acting_user=request.user, case=found, member=member, **data)
    return Status(201, exam_out(exam, workflow.travel_date(found)))
