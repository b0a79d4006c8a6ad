"""Reintegration plans over JSON (mounted at /api/v1/).

/cases/{case_id}/plans, /plans/{id}, /plans/{id}/components, /components/{id},
/plans/{id}/approve|close, /components/{id}/approve|start|deliver|cancel,
/plans/{id}/agreement.pdf and /plans/{id}/agreement (the signed scan).
The same services and scoping as the pages: a case the user cannot see is a
404, a role that may not act a 403, a refusal a 400 with ``{"message", "fields"}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from homeward.cases import selectors as case_selectors
from homeward.cases.schemas import ErrorOut
from homeward.core.idempotency import idempotent
from homeward.reintegration import pdf, selectors, services
from homeward.reintegration.models import Component, Plan

router = Router(tags=["reintegration"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---------------------------------------------------------------- schemas


class PlanIn(Schema):
    member_id: int | None = None  # none: a plan for the whole household
    needs_economic: str = ""
    needs_social: str = ""
    needs_psychosocial: str = ""
    goals: str = ""


class PlanPatchIn(Schema):
    """Only the fields sent change; ``version`` (from a read) refuses a change made on stale data (409)."""

    needs_economic: str | None = None
    needs_social: str | None = None
    needs_psychosocial: str | None = None
    goals: str | None = None
    version: int | None = None


class ComponentIn(Schema):
    kind: str
    budget: Decimal
    description: str = ""
    delivery: str = Component.Delivery.IN_KIND
    due_by: dt.date | None = None
    business_activity: str = ""
    business_location: str = ""
    business_costs: Decimal | None = None
    expected_income: Decimal | None = None
    partnership: bool = False
    partners: str = ""


class ComponentPatchIn(Schema):
    kind: str | None = None
    budget: Decimal | None = None
    description: str | None = None
    delivery: str | None = None
    due_by: dt.date | None = None
    business_activity: str | None = None
    business_location: str | None = None
    business_costs: Decimal | None = None
    expected_income: Decimal | None = None
    partnership: bool | None = None
    partners: str | None = None


class PlanApproveIn(Schema):
    note: str = ""
    override_reason: str = ""


class ComponentApproveIn(Schema):
    override_reason: str = ""


class DayIn(Schema):
    on: dt.date | None = None  # today when not given


class ComponentCancelIn(Schema):
    reason: str
    on: dt.date | None = None


class CloseIn(Schema):
    reason: str = ""


class ComponentOut(Schema):
    id: int
    plan_id: int
    kind: str
    description: str
    budget: Decimal
    delivery: str
    status: str
    due_by: dt.date | None
    approved_on: dt.date | None
    delivery_started_on: dt.date | None
    delivered_on: dt.date | None
    cancelled_on: dt.date | None
    cancel_reason: str
    business_activity: str
    business_location: str
    business_costs: Decimal | None
    expected_income: Decimal | None
    partnership: bool
    partners: str


class PlanOut(Schema):
    id: int
    case_id: int
    member_id: int | None
    member: str | None
    status: str
    currency: str
    needs_economic: str
    needs_social: str
    needs_psychosocial: str
    goals: str
    total: Decimal
    override_reason: str
    finalise_by: dt.date | None
    deliver_by: dt.date | None
    prepared_by: str
    approved_by: str | None
    approved_at: dt.datetime | None
    approval_note: str
    agreement_language: str
    agreement_signed_on: dt.date | None
    has_signed_agreement: bool
    version: int
    components: list[ComponentOut]


class CasePlansOut(Schema):
    """The case's plans with the figures they are held to: the remaining balance is always given."""

    ceiling: Decimal | None
    currency: str
    committed: Decimal
    approved: Decimal
    remaining: Decimal | None
    finalise_by: dt.date | None
    deliver_by: dt.date | None
    plans: list[PlanOut]


# ---------------------------------------------------------------- shapes


def component_out(c: Component) -> dict[str, Any]:
    return {"id": c.pk, "plan_id": c.plan_id, **{name: getattr(c, name) for name in (
        "kind", "description", "budget", "delivery", "status", "due_by", "approved_on", "delivery_started_on",
        "delivered_on", "cancelled_on", "cancel_reason", "business_activity", "business_location", "business_costs",
        "expected_income", "partnership", "partners",
    )}}  # fmt: skip


def plan_out(p: Plan) -> dict[str, Any]:
    return {
        "id": p.pk, "case_id": p.case_id, "member_id": p.member_id,
        "member": p.member.person.full_name if p.member_id else None, "status": p.status, "currency": p.currency,
        "needs_economic": p.needs_economic, "needs_social": p.needs_social, "needs_psychosocial": p.needs_psychosocial,
        "goals": p.goals, "total": selectors.plan_total(p), "override_reason": p.override_reason,
        "finalise_by": p.finalise_by, "deliver_by": p.deliver_by, "prepared_by": p.prepared_by.username,
        "approved_by": p.approved_by.username if p.approved_by_id else None, "approved_at": p.approved_at,
        "approval_note": p.approval_note, "agreement_language": p.agreement_language,
        "agreement_signed_on": p.agreement_signed_on, "has_signed_agreement": bool(p.agreement_scan),
        "version": p.version, "components": [component_out(c) for c in p.components.all()],
    }  # fmt: skip


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return selectors.plan_for_user(request.user, plan_id)


def _fresh(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return plan_out(_plan(request, plan_id))


# ---------------------------------------------------------------- endpoints


@router.get("/cases/{case_id}/plans", response={200: CasePlansOut, 404: ErrorOut}, summary="A case's plans and figures")
def list_plans(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = case_selectors.case_for_user(request.user, pk=case_id)
    view = selectors.overview(request.user, case)
    return {
        "ceiling": view.ceiling.amount if view.ceiling else None,
        "currency": view.currency,
        "committed": view.committed,
        "approved": view.approved,
        "remaining": view.remaining,
        "finalise_by": view.deadlines.finalise_by,
        "deliver_by": view.deadlines.deliver_by,
        "plans": [plan_out(row.plan) for row in view.plans],
    }


@router.post("/cases/{case_id}/plans", response={201: PlanOut, **ERRORS}, summary="Start a plan")
def create_plan(request: HttpRequest, case_id: int, payload: PlanIn) -> Status:
    case = case_selectors.case_for_user(request.user, pk=case_id)
    member = None if payload.member_id is None else case_selectors.member_of(case, payload.member_id)
    plan = services.plan_create(
        acting_user=request.user, case=case, member=member, **payload.dict(exclude={"member_id"})
    )
    return Status(201, _fresh(request, plan.pk))


@router.get("/plans/{plan_id}", response={200: PlanOut, 404: ErrorOut}, summary="A plan with its components")
def get_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _fresh(request, plan_id)


@router.patch("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="Record needs and goals")
def update_plan(request: HttpRequest, plan_id: int, payload: PlanPatchIn) -> dict[str, Any]:
    plan = _plan(request, plan_id)
    given = {k: v for k, v in payload.dict(exclude_unset=True, exclude={"version"}).items() if v is not None}
    current = {name: getattr(plan, name) for name in ("needs_economic", "needs_social", "needs_psychosocial", "goals")}
    services.plan_update(acting_user=request.user, plan=plan, version=payload.version, **(current | given))
    return _fresh(request, plan_id)


@router.post("/plans/{plan_id}/components", response={201: ComponentOut, **ERRORS}, summary="Add a component")
def add_component(request: HttpRequest, plan_id: int, payload: ComponentIn) -> Status:
    """``delivery``: in_kind, or cash where the programme pays reintegration in cash or mixed."""
    component = services.component_add(
        acting_user=request.user, plan=_plan(request, plan_id), data=services.ComponentInput(**payload.dict())
    )
    return Status(201, component_out(component))


@router.patch(
    "/components/{component_id}", response={200: ComponentOut, **ERRORS}, summary="Change a planned component"
)
def update_component(request: HttpRequest, component_id: int, payload: ComponentPatchIn) -> dict[str, Any]:
    component = selectors.component_for_user(request.user, component_id)
    given = payload.dict(exclude_unset=True)
    data = services.ComponentInput(**(asdict(services.component_input_of(component)) | given))
    return component_out(services.component_update(acting_user=request.user, component=component, data=data))


@router.post("/plans/{plan_id}/approve", response={200: PlanOut, **ERRORS}, summary="Approve a plan and commit it")
@idempotent
def approve_plan(request: HttpRequest, plan_id: int, payload: PlanApproveIn) -> dict[str, Any]:
    services.plan_approve(acting_user=request.user, plan=_plan(request, plan_id), **payload.dict())
    return _fresh(request, plan_id)


@router.post("/plans/{plan_id}/close", response={200: PlanOut, **ERRORS}, summary="Close a plan, releasing money")
@idempotent
def close_plan(request: HttpRequest, plan_id: int, payload: CloseIn) -> dict[str, Any]:
    services.plan_close(acting_user=request.user, plan=_plan(request, plan_id), reason=payload.reason)
    return _fresh(request, plan_id)


@router.post(
    "/components/{component_id}/approve", response={200: ComponentOut, **ERRORS}, summary="Approve a component"
)
@idempotent
def approve_component(request: HttpRequest, component_id: int, payload: ComponentApproveIn) -> dict[str, Any]:
    component = selectors.component_for_user(request.user, component_id)
    services.component_approve(acting_user=request.user, component=component, override_reason=payload.override_reason)
    return component_out(selectors.component_for_user(request.user, component_id))


@router.post("/components/{component_id}/start", response={200: ComponentOut, **ERRORS}, summary="Start delivery")
@idempotent
def start_component(request: HttpRequest, component_id: int, payload: DayIn) -> dict[str, Any]:
    component = selectors.component_for_user(request.user, component_id)
    services.component_start_delivery(acting_user=request.user, component=component, on=payload.on)
    return component_out(selectors.component_for_user(request.user, component_id))


@router.post(
    "/components/{component_id}/deliver", response={200: ComponentOut, **ERRORS}, summary="Record the delivery"
)
@idempotent
def deliver_component(request: HttpRequest, component_id: int, payload: DayIn) -> dict[str, Any]:
    component = selectors.component_for_user(request.user, component_id)
    services.component_deliver(acting_user=request.user, component=component, on=payload.on)
    return component_out(selectors.component_for_user(request.user, component_id))


@router.post("/components/{component_id}/cancel", response={200: ComponentOut, **ERRORS}, summary="Cancel a component")
@idempotent
def cancel_component(request: HttpRequest, component_id: int, payload: ComponentCancelIn) -> dict[str, Any]:
    component = selectors.component_for_user(request.user, component_id)
    services.component_cancel(acting_user=request.user, component=component, reason=payload.reason, on=payload.on)
    return component_out(selectors.component_for_user(request.user, component_id))


@router.get(
    "/plans/{plan_id}/agreement.pdf",
    response={404: ErrorOut},
    url_name="reintegration_agreement_pdf",
    summary="The reintegration agreement as a PDF to print (in the returnee's language where available)",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
def agreement_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    response = HttpResponse(pdf.agreement_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="reintegration-agreement-{plan.case.reference}-{plan.pk}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post(
    "/plans/{plan_id}/agreement",
    response={200: PlanOut, **ERRORS},
    summary="Upload the signed agreement (multipart: file, signed_on)",
)
def agreement_upload(
    request: HttpRequest, plan_id: int, file: File[UploadedFile], signed_on: Form[dt.date]
) -> dict[str, Any]:
    services.plan_attach_agreement(
        acting_user=request.user, plan=_plan(request, plan_id), file=file, signed_on=signed_on
    )
    return _fresh(request, plan_id)
