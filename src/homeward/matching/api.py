"""Matching over JSON (mounted at /api/v1/): /matching/check, /matching/duplicates,
/matching/merges (and /{id}, /{id}/undo), /matching/not-same (and /{id}/undo).

The same services and scoping as the pages: a person of a mission the caller may not see is a
404, a decision by someone who does not supervise every mission concerned a 403, a refusal a
400 with ``{"message", "fields"}``. A check reveals another mission's case only as that mission
and whom to ask there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases.schemas import ErrorOut
from homeward.jobs.api import JobOut, job_out
from homeward.matching import live, review, selectors, services
from homeward.matching.models import NotSamePerson, PersonMerge
from homeward.people.inputs import NAME_LENGTH

router = Router(tags=["matching"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class MatchCheckIn(Schema):
    """What is known of a person so far, as the registration form names it."""

    given_names: str = Field(default="", max_length=NAME_LENGTH)
    family_name: str = Field(default="", max_length=NAME_LENGTH)
    given_names_original: str = Field(default="", max_length=NAME_LENGTH)
    family_name_original: str = Field(default="", max_length=NAME_LENGTH)
    sex: str = Field(default="", max_length=1)
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    birth_estimated: bool = False
    nationality: str = Field(default="", max_length=2)
    place_of_birth: str = Field(default="", max_length=NAME_LENGTH)
    phone: str = Field(default="", max_length=32)
    document_number: str = Field(default="", max_length=40)
    exclude_person: int | None = None  # the person being edited


class ReasonOut(Schema):
    feature: str
    level: int
    words: str
    weight: float


class MatchCaseOut(Schema):
    reference: str
    mission: str
    status: str
    programme: str
    returned_on: dt.date | None
    reintegration_received: bool


class MatchContactOut(Schema):
    username: str
    name: str
    email: str


class AskMissionOut(Schema):
    code: str
    name: str
    ask: list[MatchContactOut]


class MatchPersonOut(Schema):
    id: int
    given_names: str
    family_name: str
    birth_date: dt.date | None
    birth_precision: str
    nationality: str


class MatchOut(Schema):
    probability: float
    reasons: list[ReasonOut]
    person: MatchPersonOut | None  # None when none of its cases is visible to the caller
    cases: list[MatchCaseOut]  # the visible ones only
    other_missions: list[AskMissionOut]  # missions of the cases the caller may not open, with whom to ask


class MatchCheckOut(Schema):
    checked: bool
    note: str
    matches: list[MatchOut]


class PairOut(Schema):
    first: MatchPersonOut
    second: MatchPersonOut
    probability: float
    reasons: list[str]


class DuplicatesOut(Schema):
    job: JobOut | None
    total: int
    pairs: list[PairOut]


class MergeIn(Schema):
    survivor: int
    merged: int
    reason: str


class MergeOut(Schema):
    id: int
    survivor: int
    merged: int
    reason: str
    moved: dict[str, list[int]]
    filled: dict[str, Any]
    merged_by: str
    merged_at: dt.datetime
    undone_by: str | None
    undone_at: dt.datetime | None


class NotSameIn(Schema):
    first: int
    second: int
    note: str = ""


class NotSameOut(Schema):
    id: int
    first: int
    second: int
    note: str
    decided_by: str
    decided_at: dt.datetime


def person_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk, "given_names": p.given_names, "family_name": p.family_name, "birth_date": p.birth_date,
        "birth_precision": p.birth_date_precision, "nationality": str(p.nationality or ""),
    }  # fmt: skip


def reasons_out(match: selectors.Match) -> list[dict[str, Any]]:
    return [
        {"feature": c.feature, "level": c.level, "words": str(c.words), "weight": round(c.weight, 3)}
        for c in match.contributions
    ]


def match_out(view: selectors.MatchView) -> dict[str, Any]:
    return {
        "probability": round(view.match.probability, 4),
        # For a match the caller may not open, no reason: trying values would reveal the record's.
        "reasons": reasons_out(view.match) if view.visible else [],
        "person": person_out(view.person) if view.person is not None else None,
        "cases": [
            {
                "reference": c.reference,
                "mission": c.mission.code,
                "status": c.status,
                "programme": c.programme,
                "returned_on": c.returned_on,
                "reintegration_received": c.reintegration_received,
            }
            for c in view.cases
            if c.visible
        ],
        "other_missions": [
            {
                "code": m.code,
                "name": m.name,
                "ask": [{"username": u.username, "name": u.get_full_name(), "email": u.email} for u in people],
            }
            for m, people in view.contacts.items()
        ],
    }


def merge_out(m: PersonMerge) -> dict[str, Any]:
    return {
        "id": m.pk, "survivor": m.survivor_id, "merged": m.merged_id, "reason": m.reason, "moved": m.moved,
        "filled": m.filled, "merged_by": m.merged_by.username, "merged_at": m.merged_at,
        "undone_by": m.undone_by.username if m.undone_by_id else None, "undone_at": m.undone_at,
    }  # fmt: skip


def not_same_out(d: NotSamePerson) -> dict[str, Any]:
    return {"id": d.pk, "first": d.first_id, "second": d.second_id, "note": d.note,
            "decided_by": d.decided_by.username, "decided_at": d.decided_at}  # fmt: skip


@router.post("/matching/check", response={200: MatchCheckOut, **ERRORS},
             summary="The earlier records a person probably is, as the caller may see them")  # fmt: skip
def check(request: HttpRequest, payload: MatchCheckIn) -> dict[str, Any]:
    if not permissions.has_perm_anywhere(request.user, Perm.REGISTER_CASE):
        raise PermissionDenied(_("Your role does not register cases."))
    data = {k: ("1" if v is True else "" if v in (None, False) else str(v)) for k, v in payload.dict().items()}
    context = live.matches_for_form(request.user, data, exclude=payload.exclude_person)
    return {
        "checked": context["checked"],
        "note": str(context["note"]),
        "matches": [match_out(v) for v in context["views"]],
    }


def _supervisor(request: HttpRequest) -> None:
    if not permissions.has_perm_anywhere(request.user, Perm.ASSIGN_CASE):
        raise PermissionDenied(_("Only a case supervisor reviews duplicates."))


@router.get("/matching/duplicates", response={200: DuplicatesOut, **ERRORS},
            summary="The caller's latest duplicate run and its pairs still to decide, most probable first")  # fmt: skip
def duplicates(request: HttpRequest, limit: int = 200) -> dict[str, Any]:
    _supervisor(request)
    job = review.latest_run(request.user)
    done = job is not None and job.status == "done"
    rows, total = review.pairs_of(request.user, job, limit=max(1, min(limit, 1000))) if done else ([], 0)
    return {
        "job": None if job is None else job_out(job),
        "total": total,
        "pairs": [
            {"first": person_out(r.pair.first), "second": person_out(r.pair.second),
             "probability": round(r.pair.probability, 4), "reasons": [str(w) for _f, w in r.reasons]}
            for r in rows
        ],
    }  # fmt: skip


@router.post("/matching/duplicates/run", response={201: JobOut, **ERRORS},
             summary="Start a duplicate run over the persons of the missions the caller supervises")  # fmt: skip
def duplicates_run(request: HttpRequest) -> Status:
    from homeward.matching import batch

    _supervisor(request)
    job = batch.duplicates_run_start(acting_user=request.user)
    return Status(201, job_out(job))


@router.post("/matching/merges", response={201: MergeOut, **ERRORS},
             summary="Merge one person record into another (a case supervisor of every mission concerned)")  # fmt: skip
def merge_create(request: HttpRequest, payload: MergeIn) -> Status:
    survivor = review.person_for(request.user, payload.survivor)
    merged = review.person_for(request.user, payload.merged)
    merge = services.person_merge(acting_user=request.user, survivor=survivor, merged=merged, reason=payload.reason)
    return Status(201, merge_out(merge))


@router.get("/matching/merges/{merge_id}", response={200: MergeOut, 404: ErrorOut}, summary="One merge")
def merge_get(request: HttpRequest, merge_id: int) -> dict[str, Any]:
    return merge_out(review.merge_for(request.user, merge_id))


@router.post("/matching/merges/{merge_id}/undo", response={200: MergeOut, **ERRORS},
             summary="Undo a merge: exactly what moved goes back")  # fmt: skip
def merge_undo(request: HttpRequest, merge_id: int) -> dict[str, Any]:
    merge = review.merge_for(request.user, merge_id)
    services.merge_undo(acting_user=request.user, merge=merge)
    return merge_out(review.merge_for(request.user, merge_id))


@router.post("/matching/not-same", response={201: NotSameOut, **ERRORS},
             summary="Record that two records are two people: the pair is not proposed again")  # fmt: skip
def not_same(request: HttpRequest, payload: NotSameIn) -> Status:
    first = review.person_for(request.user, payload.first)
    second = review.person_for(request.user, payload.second)
    decision = services.not_same_person(acting_user=request.user, first=first, second=second, note=payload.note)
    return Status(201, not_same_out(decision))


@router.post("/matching/not-same/{decision_id}/undo", response={204: None, **ERRORS},
             summary="Withdraw a \"not the same person\" decision")  # fmt: skip
def not_same_undo(request: HttpRequest, decision_id: int) -> Status:
    decision = NotSamePerson.objects.filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    review.person_for(request.user, decision.first_id)
    review.person_for(request.user, decision.second_id)
    services.not_same_undo(acting_user=request.user, decision=decision)
    return Status(204, None)
