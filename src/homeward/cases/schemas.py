"""API shapes: separate input and output schemas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema


class BirthDateIn(Schema):
    # Ranges are checked by the service, whose messages are translated.
    year: int
    month: int | None = None
    day: int | None = None
    estimated: bool = False


class DocumentIn(Schema):
    kind: str
    number: str
    issuing_country: str
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None


class PersonIn(Schema):
    given_names: str = ""
    family_name: str = ""
    given_names_original: str = ""
    family_name_original: str = ""
    sex: Literal["F", "M", "X", "U"] = "U"
    birth_date: BirthDateIn | None = None
    place_of_birth: str = Field(default="", max_length=150)
    nationality: str = ""
    country_of_origin: str = ""
    languages: list[str] = []
    phone: str = ""
    vulnerabilities: list[str] = []
    previous_assistance_on: dt.date | None = None


class MemberIn(PersonIn):
    relationship: str
    precarious: bool = False
    documents: list[DocumentIn] = []


class MemberUpdateIn(Schema):
    """A partial change: fields left out keep their value; ``birth_date: null`` clears it."""

    relationship: str | None = None
    given_names: str | None = None
    family_name: str | None = None
    given_names_original: str | None = None
    family_name_original: str | None = None
    sex: Literal["F", "M", "X", "U"] | None = None
    birth_date: BirthDateIn | None = None
    place_of_birth: str | None = Field(default=None, max_length=150)
    nationality: str | None = None
    country_of_origin: str | None = None
    languages: list[str] | None = None
    phone: str | None = None
    vulnerabilities: list[str] | None = None
    previous_assistance_on: dt.date | None = None
    precarious: bool | None = None


class CaseIn(Schema):
    host_mission: str
    destination_country: str
    destination_place: str = ""
    referral_source: str
    inquiry_date: dt.date | None = None
    counsellor: str | None = None
    notes: str = ""
    status: Literal["inquiry", "registered"] = "inquiry"
    legal_status: str = ""
    exclusions: list[str] = []
    place: str = ""
    authority_approval_on: dt.date | None = None
    authority_approval_reference: str = ""
    members: list[MemberIn]


class CaseUpdateIn(Schema):
    destination_country: str | None = None
    destination_place: str | None = None
    referral_source: str | None = None
    inquiry_date: dt.date | None = None
    counsellor: str | None = None
    notes: str | None = None
    legal_status: str | None = None
    exclusions: list[str] | None = None
    place: str | None = None
    authority_approval_on: dt.date | None = None
    authority_approval_reference: str | None = None
    confidential_return: bool | None = None
    version: int | None = Field(None, description="The version you read; a newer one on the server gives 409.")


class TransitionIn(Schema):
    to: str = Field(description="The target status.")
    note: str = Field("", description="Why; required for the ways out, reopening and rebooking.")
    details: dict[str, str] = Field(default_factory=dict, description='e.g. {"confirmed_by": "origin_mission"}')
    version: int | None = Field(None, description="The version you read; a newer one on the server gives 409.")


class TransitionOut(Schema):
    id: int
    from_status: str
    to_status: str
    note: str
    details: dict[str, str]
    by: str
    at: dt.datetime


class OptionOut(Schema):
    to: str
    label: str
    blocked_by: list[str]


class BirthDateOut(Schema):
    value: dt.date
    precision: str
    display: str


class VulnerabilityOut(Schema):
    code: str
    name: str
    sensitivity: str
    derived: bool


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    issuing_country: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    expired: bool


class PersonOut(Schema):
    id: int
    given_names: str
    family_name: str
    given_names_original: str
    family_name_original: str
    sex: str
    birth_date: BirthDateOut | None
    age_range: list[int] | None
    place_of_birth: str
    nationality: str
    country_of_origin: str
    languages: list[str]
    phone: str
    vulnerabilities: list[VulnerabilityOut]
    documents: list[DocumentOut]
    previous_assistance_on: dt.date | None


class MemberOut(Schema):
    id: int
    relationship: str
    precarious: bool
    person: PersonOut
    other_cases: list[str]


class CaseSummaryOut(Schema):
    id: int
    reference: str
    status: str
    case_type: str
    member_count: int
    principal_name: str
    host_mission: str
    referred_to_mission: str | None
    counsellor: str | None
    destination_country: str
    created_at: dt.datetime


class CaseOut(CaseSummaryOut):
    destination_place: str
    referral_source: str
    inquiry_date: dt.date
    registered_on: dt.date | None
    notes: str
    programme: str | None
    legal_status: str
    exclusions: list[str]
    place: str
    authority_approval_on: dt.date | None
    authority_approval_reference: str
    confidential_return: bool
    version: int
    members: list[MemberOut]


class CasePageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[CaseSummaryOut]


class HistoryEntryOut(Schema):
    timestamp: dt.datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]


class ErrorOut(Schema):
    message: str
    fields: dict[str, list[str]]


class AssessIn(Schema):
    programme: str | None = None  # a programme code; the case's programme when left out


class RuleOutcomeOut(Schema):
    rule: str
    outcome: str
    explanation: str


class MemberAssessmentOut(Schema):
    name: str
    outcome: str
    reintegration: bool
    outcomes: list[RuleOutcomeOut]


class AssessmentOut(Schema):
    programme: str
    rules_in_force_from: dt.date | None
    decision_date: dt.date
    outcome: str
    final_outcome: str
    reintegration: bool
    outcomes: list[RuleOutcomeOut]
    members: list[MemberAssessmentOut]
    override_reason: str
    overridden_by: str | None
    assessed_by: str


class EntitlementLineOut(Schema):
    benefit: str
    rule: str
    member: str
    amount: Decimal
    currency: str
    confirmed: bool


class EntitlementsOut(Schema):
    payable: bool
    lines: list[EntitlementLineOut]
    totals: list[dict[str, Any]]
    notes: list[str]
