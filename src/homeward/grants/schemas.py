"""Grant API shapes: separate input and output schemas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema

from homeward.cases.schemas import ErrorOut

__all__ = [
    "EntitlementOut",
    "ErrorOut",
    "GrantApproveIn",
    "GrantCancelIn",
    "GrantIn",
    "GrantOut",
    "GrantReturnIn",
    "ReissueIn",
]


class GrantIn(Schema):
    kind: str
    member_id: int | None = None  # null: the household
    days: int | None = None  # per diem
    amount: Decimal | None = None  # null: the entitlement
    at_airport: bool = False
    note: str = ""
    override_reason: str = ""
    component_id: int | None = None  # reintegration in cash


class GrantApproveIn(Schema):
    override_reason: str = ""  # to exceed the budget line


class GrantCancelIn(Schema):
    reason: str


class GrantReturnIn(Schema):
    reason: str
    returned_on: dt.date | None = None


class ReissueIn(Schema):
    note: str
    reissued_on: dt.date | None = None


class GrantOut(Schema):
    id: int
    case_id: int
    case_reference: str
    kind: str
    member_id: int | None
    member_name: str | None
    component_id: int | None
    amount: Decimal
    currency: str
    entitled_amount: Decimal
    basis: str
    days: int | None
    override_reason: str
    at_airport: bool
    status: str
    note: str
    budget_line: str
    proposed_by: str
    proposed_at: dt.datetime
    approved_by: str | None
    approved_at: dt.datetime | None
    paid_by: str | None
    paid_on: dt.date | None
    paid_amount: Decimal | None
    paid_currency: str
    rate: Decimal | None
    method: str
    payment_reference: str
    receipt_url: str | None
    cancel_reason: str
    returned_on: dt.date | None
    reissued_on: dt.date | None
    settled_by: str | None
    settlement_note: str


class ReconcileOut(GrantOut):
    case_status: str
    did_not_depart_since: dt.datetime | None


class EntitlementOut(Schema):
    kind: str
    entitled: Decimal
    granted: Decimal
    left: Decimal
    currency: str
    note: str


class CaseGrantsOut(Schema):
    grants: list[GrantOut]
    entitlement: list[EntitlementOut]
    offered_kinds: list[str]
