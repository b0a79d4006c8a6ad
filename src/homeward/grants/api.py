"""Grants over JSON (mounted at /api/v1/): /cases/{id}/grants, /grants/{id} and its actions, /grants/reconcile.

The same services and scoping as the pages: a case or grant the user may not see
is a 404, an action the role may not take a 403, a refusal a 400 with
``{"message", "fields"}``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.core import files
from homeward.core.errors import ServiceError
from homeward.core.idempotency import idempotent
from homeward.grants import entitlements, policy, selectors, services
from homeward.grants.models import Grant
from homeward.grants.schemas import (
    CaseGrantsOut,
    ErrorOut,
    GrantApproveIn,
    GrantCancelIn,
    GrantIn,
    GrantOut,
    GrantReturnIn,
    ReconcileOut,
    ReissueIn,
)

router = Router(tags=["grants"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _name(user: Any) -> str | None:
    return user.username if user is not None else None


def grant_out(g: Grant) -> dict[str, Any]:
    return {
        "id": g.pk,
        "case_id": g.case_id,
        "case_reference": g.case.reference,
        "kind": g.kind,
        "member_id": g.member_id,
        "member_name": g.member.person.full_name if g.member_id else None,
        "component_id": g.component_id,
        "amount": g.amount,
        "currency": g.currency,
        "entitled_amount": g.entitled_amount,
        "basis": g.basis,
        "days": g.days,
        "override_reason": g.override_reason,
        "at_airport": g.at_airport,
        "status": g.status,
        "note": g.note,
        "budget_line": g.budget_line.category,
        "proposed_by": g.proposed_by.username,
        "proposed_at": g.proposed_at,
        "approved_by": _name(g.approved_by),
        "approved_at": g.approved_at,
        "paid_by": _name(g.paid_by),
        "paid_on": g.paid_on,
        "paid_amount": g.paid_amount,
        "paid_currency": g.paid_currency,
        "rate": g.rate,
        "method": g.method,
        "payment_reference": g.payment_reference,
        "receipt_url": reverse("api:grants_receipt", args=[g.pk]) if g.receipt else None,
        "cancel_reason": g.cancel_reason,
        "returned_on": g.returned_on,
        "reissued_on": g.reissued_on,
        "settled_by": _name(g.settled_by),
        "settlement_note": g.settlement_note,
    }


def _case(request: HttpRequest, case_id: int) -> Case:
    return case_selectors.case_for_user(request.user, pk=case_id)


def _grant(request: HttpRequest, grant_id: int) -> Grant:
    return selectors.grant_for_user(request.user, grant_id)


def _fresh(request: HttpRequest, grant: Grant) -> dict[str, Any]:
    return grant_out(selectors.grant_for_user(request.user, grant.pk))


@router.get(
    "/cases/{case_id}/grants", response={200: CaseGrantsOut, 404: ErrorOut}, summary="A case's grants and entitlement"
)
def list_grants(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = _case(request, case_id)
    grants = list(selectors.grants_of(request.user, case))
    basis = entitlements.basis_of(case)
    return {
        "grants": [grant_out(g) for g in grants],
        "entitlement": [
            {
                "kind": r.kind,
                "entitled": r.entitled,
                "granted": r.granted,
                "left": r.left,
                "currency": r.currency,
                "note": r.note,
            }
            for r in entitlements.summary(case, basis, grants)
        ],
        "offered_kinds": entitlements.offered_kinds(basis),
    }


@router.post("/cases/{case_id}/grants", response={201: GrantOut, **ERRORS}, summary="Propose a grant")
def propose_grant(request: HttpRequest, case_id: int, payload: GrantIn) -> Status:
    case = _case(request, case_id)
    member = None
    if payload.member_id is not None:
        member = next((m for m in case.members.all() if m.pk == payload.member_id), None)
        if member is None:
            message = _("Choose a member of this case.")
            raise ServiceError(message, {"member_id": [message]})
    component = None
    if payload.component_id is not None:
        component = selectors.component_of(case, payload.component_id)
    grant = services.grant_propose(
        acting_user=request.user, case=case, kind=payload.kind, member=member, days=payload.days,
        amount=payload.amount, at_airport=payload.at_airport, note=payload.note,
        override_reason=payload.override_reason, component=component,
    )  # fmt: skip
    return Status(201, _fresh(request, grant))


# Before /grants/{grant_id}: the first matching route wins.
@router.get("/grants/reconcile", response={200: list[ReconcileOut], 403: ErrorOut},
            summary="Airport cash of travellers who did not depart, not yet returned or re-issued")  # fmt: skip
def reconcile(request: HttpRequest) -> list[dict[str, Any]]:
    if not policy.reconciling_missions(request.user):
        raise PermissionDenied(_("Your role does not reconcile airport cash."))
    return [
        grant_out(g) | {"case_status": g.case.status, "did_not_depart_since": g.missed_at}
        for g in selectors.airport_cash_to_reconcile(request.user)
    ]


@router.get("/grants/{grant_id}", response={200: GrantOut, 404: ErrorOut}, summary="One grant")
def get_grant(request: HttpRequest, grant_id: int) -> dict[str, Any]:
    return grant_out(_grant(request, grant_id))


@router.post("/grants/{grant_id}/approve", response={200: GrantOut, **ERRORS}, summary="Approve (commits the amount)")
@idempotent
def approve_grant(request: HttpRequest, grant_id: int, payload: GrantApproveIn) -> dict[str, Any]:
    grant = services.grant_approve(
        acting_user=request.user, grant=_grant(request, grant_id), override_reason=payload.override_reason
    )
    return _fresh(request, grant)


@router.post(
    "/grants/{grant_id}/pay",
    response={200: GrantOut, **ERRORS},
    summary="Record the payment (multipart: paid_on, method, optional paid_amount, paid_currency, "
    "payment_reference and receipt file)",
)
@idempotent
def pay_grant(
    request: HttpRequest,
    grant_id: int,
    paid_on: Form[dt.date],
    method: Form[str],
    paid_amount: Form[Decimal | None] = None,
    paid_currency: Form[str] = "",
    payment_reference: Form[str] = "",
    receipt: File[UploadedFile | None] = None,
) -> dict[str, Any]:
    grant = services.grant_pay(
        acting_user=request.user, grant=_grant(request, grant_id), paid_on=paid_on, method=method,
        paid_amount=paid_amount, paid_currency=paid_currency or None, payment_reference=payment_reference,
        receipt=receipt,
    )  # fmt: skip
    return _fresh(request, grant)


@router.post("/grants/{grant_id}/receipt", response={200: GrantOut, **ERRORS},
             summary="Add the receipt of a grant paid without one (multipart: receipt)")  # fmt: skip
def attach_receipt(request: HttpRequest, grant_id: int, receipt: File[UploadedFile]) -> dict[str, Any]:
    grant = services.grant_attach_receipt(acting_user=request.user, grant=_grant(request, grant_id), receipt=receipt)
    return _fresh(request, grant)


@router.get(
    "/grants/{grant_id}/receipt",
    response={404: ErrorOut},
    url_name="grants_receipt",
    summary="Download the receipt's scan",
    openapi_extra={"responses": {200: {"description": "The scan (PDF, JPEG or PNG)"}}},
)
def download_receipt(request: HttpRequest, grant_id: int) -> Any:
    grant = _grant(request, grant_id)
    extension = files.ALLOWED_TYPES.get(grant.receipt_content_type, "")
    return files.serve_private(
        grant.receipt, grant.receipt_content_type, f"receipt-{grant.case.reference}-{grant.pk}{extension}"
    )


@router.post("/grants/{grant_id}/cancel", response={200: GrantOut, **ERRORS}, summary="Cancel before payment")
@idempotent
def cancel_grant(request: HttpRequest, grant_id: int, payload: GrantCancelIn) -> dict[str, Any]:
    grant = services.grant_cancel(acting_user=request.user, grant=_grant(request, grant_id), reason=payload.reason)
    return _fresh(request, grant)


@router.post("/grants/{grant_id}/return", response={200: GrantOut, **ERRORS},
             summary="Cash not used, given back (the payment is reversed)")  # fmt: skip
@idempotent
def return_grant(request: HttpRequest, grant_id: int, payload: GrantReturnIn) -> dict[str, Any]:
    grant = services.grant_return(
        acting_user=request.user, grant=_grant(request, grant_id), reason=payload.reason,
        returned_on=payload.returned_on,
    )  # fmt: skip
    return _fresh(request, grant)


@router.post("/grants/{grant_id}/reissue", response={200: GrantOut, **ERRORS},
             summary="Airport cash handed over again on a later departure")  # fmt: skip
@idempotent
def reissue_grant(request: HttpRequest, grant_id: int, payload: ReissueIn) -> dict[str, Any]:
    grant = services.grant_reissue(
        acting_user=request.user, grant=_grant(request, grant_id), note=payload.note,
        reissued_on=payload.reissued_on,
    )  # fmt: skip
    return _fresh(request, grant)
