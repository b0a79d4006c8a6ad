"""The privacy API: consents, a person's data export, anonymisation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case
from homeward.cases.schemas import ErrorOut
from homeward.core.errors import ServiceError
from homeward.privacy import export, selectors, services
from homeward.privacy.models import Consent

router = Router(tags=["privacy"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ConsentIn(Schema):
    member: int
    purpose: str
    how: str
    given_on: dt.date


class WithdrawIn(Schema):
    withdrawn_on: dt.date
    note: str = ""


class ConsentOut(Schema):
    id: int
    member: int
    person: str
    purpose: str
    how: str
    given_on: dt.date
    recorded_by: str
    standing: bool
    withdrawn_on: dt.date | None
    withdrawn_by: str | None
    withdrawal_note: str


class EraseIn(Schema):
    reason: str


class ErasedOut(Schema):
    anonymised: list[int]


def _case(request: HttpRequest, case_id: int) -> Case:
    return case_selectors.case_for_user(request.user, pk=case_id)


def consent_out(c: Consent) -> dict[str, Any]:
    return {
        "id": c.pk, "member": c.member_id, "person": c.member.person.full_name, "purpose": c.purpose, "how": c.how,
        "given_on": c.given_on, "recorded_by": c.recorded_by.username, "standing": c.standing,
        "withdrawn_on": c.withdrawn_on, "withdrawn_by": c.withdrawn_by.username if c.withdrawn_by_id else None,
        "withdrawal_note": c.withdrawal_note,
    }  # fmt: skip


@router.get("/cases/{case_id}/consents", response={200: list[ConsentOut], 404: ErrorOut}, summary="The case's consents")
def consent_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    return [consent_out(c) for c in selectors.consents_of(_case(request, case_id))]


@router.post("/cases/{case_id}/consents", response={201: ConsentOut, **ERRORS}, summary="Record a member's consent")
def consent_create(request: HttpRequest, case_id: int, payload: ConsentIn) -> Any:
    case = _case(request, case_id)
    member = case.members.select_related("person").filter(pk=payload.member).first()
    if member is None:
        message = _("Choose a member of this case.")
        raise ServiceError(message, {"member": [message]})
    data = payload.dict() | {"member": member}
    consent = services.consent_record(acting_user=request.user, case=case, **data)
    return Status(201, consent_out(selectors.consent_of(case, consent.pk)))


@router.post(
    "/cases/{case_id}/consents/{consent_id}/withdrawal",
    response={200: ConsentOut, **ERRORS},
    summary="Record that a member withdrew a consent",
)
def consent_withdraw(request: HttpRequest, case_id: int, consent_id: int, payload: WithdrawIn) -> Any:
    case = _case(request, case_id)
    consent = services.consent_withdraw(
        acting_user=request.user, consent=selectors.consent_of(case, consent_id), **payload.dict()
    )
    return consent_out(selectors.consent_of(case, consent.pk))


@router.get(
    "/persons/{person_id}/export",
    response={200: dict[str, Any], 404: ErrorOut},
    summary="Everything held about a person in the cases the user may see (the export is audited)",
)
def person_export(request: HttpRequest, person_id: int) -> Any:
    person = selectors.person_for_user(request.user, person_id)
    cases = list(selectors.cases_of_person_for(request.user, person))
    data = export.person_data(request.user, person, cases)
    services.export_record(acting_user=request.user, person=person, format="json", cases=cases)
    return data


@router.post(
    "/cases/{case_id}/anonymisation",
    response={200: ErasedOut, **ERRORS},
    summary="A supervisor anonymises a closed case's persons at their request",
)
def case_erase(request: HttpRequest, case_id: int, payload: EraseIn) -> Any:
    case = _case(request, case_id)
    done = services.person_erase(acting_user=request.user, case=case, reason=payload.reason)
    return {"anonymised": [a.person_id for a in done]}
