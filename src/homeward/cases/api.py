"""Cases over JSON: /api/v1/cases…"""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Perm, Sensitivity
from homeward.cases import eligibility, referrals, selectors, services, workflow
from homeward.cases.models import Assessment, Case, Referral, Transition
from homeward.cases.schemas import (
    AssessIn,
    AssessmentOut,
    CaseIn,
    CaseOut,
    CasePageOut,
    CaseUpdateIn,
    DocumentIn,
    DocumentOut,
    EntitlementsOut,
    ErrorOut,
    HistoryEntryOut,
    MemberIn,
    MemberOut,
    MemberUpdateIn,
    OptionOut,
    PersonIn,
    TransitionIn,
    TransitionOut,
)
from homeward.core import reads
from homeward.core.errors import ServiceError
from homeward.core.idempotency import idempotent
from homeward.people.inputs import DocumentInput, PersonInput, birth_date_from_parts
from homeward.people.models import IdentityDocument, Person
from homeward.people.taxonomy import NAMES
from homeward.programmes.models import Programme

router = Router(tags=["cases"])
# The facts programme rules look at, edited like the rest of the case.
FACT_FIELDS = ("legal_status", "exclusions", "place", "authority_approval_on", "authority_approval_reference")
ACTIONS = {
    LogEntry.Action.CREATE: "create",
    LogEntry.Action.UPDATE: "update",
    LogEntry.Action.DELETE: "delete",
    LogEntry.Action.ACCESS: "access",
}
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CaseQuery(Schema):
    q: str = ""
    status: str = ""
    mission: str = ""
    nationality: str = ""
    case_type: str = ""
    mine: bool = False
    page: int = 1


def person_input(data: PersonIn, prefix: str = "") -> PersonInput:
    try:
        birth_date = None if data.birth_date is None else birth_date_from_parts(**data.birth_date.dict())
    except ValidationError as exc:
        raise ServiceError.from_validation_error(_("Some details need correcting."), exc, prefix) from exc
    return PersonInput(
        given_names=data.given_names,
        family_name=data.family_name,
        given_names_original=data.given_names_original,
        family_name_original=data.family_name_original,
        sex=data.sex,
        birth_date=birth_date,
        place_of_birth=data.place_of_birth,
        nationality=data.nationality,
        country_of_origin=data.country_of_origin,
        languages=data.languages,
        phone=data.phone,
        vulnerabilities=data.vulnerabilities,
        previous_assistance_on=data.previous_assistance_on,
    )


def member_input(data: MemberIn, prefix: str = "") -> services.MemberInput:
    documents = [DocumentInput(**d.dict()) for d in data.documents]
    return services.MemberInput(data.relationship, person_input(data, prefix), documents, data.precarious)


def _counsellor(username: str | None, mission: Mission) -> User | None:
    """The caseworker of ``mission`` called ``username``; one answer for every miss, so
    that the API tells nothing about who exists elsewhere."""
    if not username:
        return None
    user = selectors.caseworkers_of([mission]).filter(username=username).first()
    if user is None:
        raise ServiceError(
            _("Choose a caseworker of this mission."), {"counsellor": [_("Choose a caseworker of this mission.")]}
        )
    return user


def summary(case: Case) -> dict[str, Any]:
    principal = selectors.principal_of(case)
    return {
        "id": case.pk,
        "reference": case.reference,
        "status": case.status,
        "case_type": selectors.case_type_of(case),
        "member_count": selectors.member_count_of(case),
        "principal_name": principal.full_name if principal else "",
        "host_mission": case.host_mission.code,
        "referred_to_mission": case.referred_to_mission.code if case.referred_to_mission_id else None,
        "counsellor": case.counsellor.username if case.counsellor_id else None,
        "destination_country": case.destination_country.code,
        "created_at": case.created_at,
    }


def person_out(user: User, case: Case, person: Person) -> dict[str, Any]:
    dob = person.date_of_birth
    derived = [
        {"code": code, "name": str(NAMES[code]), "sensitivity": Sensitivity.GENERAL, "derived": True}
        for code in person.derived_vulnerability_codes()
    ]
    return {
        "id": person.pk,
        "given_names": person.given_names,
        "family_name": person.family_name,
        "given_names_original": person.given_names_original,
        "family_name_original": person.family_name_original,
        "sex": person.sex,
        "birth_date": {"value": dob.value, "precision": dob.precision, "display": dob.display()} if dob else None,
        "age_range": list(person.age_range()) if dob else None,
        "place_of_birth": person.place_of_birth,
        "nationality": person.nationality.code or "",
        "country_of_origin": person.country_of_origin.code or "",
        "languages": person.languages,
        "phone": person.phone,
        "vulnerabilities": derived
        + [
            {"code": v.type.code, "name": str(v.type), "sensitivity": v.type.sensitivity, "derived": False}
            for v in selectors.visible_vulnerabilities(user, case, person)
        ],
        "documents": [document_out(d) for d in person.documents.all()],
        "previous_assistance_on": person.previous_assistance_on,
    }


def document_out(d: IdentityDocument) -> dict[str, Any]:
    return {
        "id": d.pk,
        "kind": d.kind,
        "number": d.number,
        "issuing_country": d.issuing_country.code,
        "issued_on": d.issued_on,
        "expires_on": d.expires_on,
        "expired": d.is_expired(),
    }


def case_out(user: User, case: Case) -> dict[str, Any]:
    others = selectors.other_cases_of(user, case)
    return {
        **summary(case),
        "destination_place": case.destination_place,
        "referral_source": case.referral_source,
        "inquiry_date": case.inquiry_date,
        "registered_on": case.registered_on,
        "notes": case.notes,
        "programme": case.programme.code if case.programme_id else None,
        **{f: getattr(case, f) for f in FACT_FIELDS},
        "confidential_return": case.confidential_return,
        "version": case.version,
        "members": [
            {
                "id": m.pk,
                "relationship": m.relationship,
                "precarious": m.precarious,
                "person": person_out(user, case, m.person),
                "other_cases": [c.reference for c in others.get(m.person_id, [])],
            }
            for m in case.members.all()
        ],
    }


@router.get("", response=CasePageOut, summary="List and search cases")
def list_cases(request: HttpRequest, filters: Query[CaseQuery]) -> dict[str, Any]:
    qs = selectors.case_list(request.user, selectors.CaseFilters(**filters.dict(exclude={"page"})))
    page = Paginator(qs, 50).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [summary(c) for c in page.object_list],
    }


@router.post("", response={201: CaseOut, **ERRORS}, summary="Register a case with its members")
def register_case(request: HttpRequest, payload: CaseIn) -> Status:
    mission = Mission.objects.filter(code=payload.host_mission.upper()).first()
    if mission is None:
        raise ServiceError(
            _("Unknown mission."),
            {"host_mission": [_("No mission has the code %(code)s.") % {"code": payload.host_mission}]},
        )
    # Refuse before looking anything else up, so that the answer reveals nothing (e.g. usernames).
    if not permissions.has_perm_in(request.user, Perm.REGISTER_CASE, mission.pk):
        raise PermissionDenied(_("You may not register cases for %(mission)s.") % {"mission": mission.code})
    members, errors = [], {}
    for i, m in enumerate(payload.members):
        try:
            members.append(member_input(m, prefix=f"members.{i}."))
        except ServiceError as exc:
            errors.update(exc.fields)
    if errors:
        raise ServiceError(_("Some members' details need correcting."), errors)
    case = services.case_register(
        acting_user=request.user,
        host_mission=mission,
        status=payload.status,
        data=services.CaseInput(
            destination_country=payload.destination_country,
            destination_place=payload.destination_place,
            referral_source=payload.referral_source,
            inquiry_date=payload.inquiry_date,
            counsellor=_counsellor(payload.counsellor, mission) or request.user,
            notes=payload.notes,
            **{f: getattr(payload, f) for f in FACT_FIELDS},
        ),
        members=members,
    )
    return Status(201, case_out(request.user, selectors.case_for_user(request.user, pk=case.pk)))


@router.get("/{case_id}", response={200: CaseOut, 404: ErrorOut}, summary="A case with its members")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = selectors.case_for_user(request.user, pk=case_id)
    shown = selectors.shown_vulnerabilities(request.user, case)
    reads.record_request_reads(request, shown, case_id=case.pk, via=reads.Via.API)
    return case_out(request.user, case)


@router.patch("/{case_id}", response={200: CaseOut, **ERRORS}, summary="Change a case's details")
def update_case(request: HttpRequest, case_id: int, payload: CaseUpdateIn) -> dict[str, Any]:
    case = selectors.case_for_user(request.user, pk=case_id)
    given = payload.dict(exclude_unset=True, exclude_none=True)
    services.case_update(
        acting_user=request.user,
        case=case,
        data=services.CaseInput(
            destination_country=given.get("destination_country", case.destination_country.code),
            destination_place=given.get("destination_place", case.destination_place),
            referral_source=given.get("referral_source", case.referral_source),
            inquiry_date=given.get("inquiry_date", case.inquiry_date),
            counsellor=_counsellor(given["counsellor"], case.host_mission)
            if "counsellor" in given
            else case.counsellor,
            notes=given.get("notes", case.notes),
            confidential_return=given.get("confidential_return", case.confidential_return),
            **{f: given.get(f, getattr(case, f)) for f in FACT_FIELDS},
        ),
        expected_version=payload.version,
        only=set(given) - {"version"},
    )
    return case_out(request.user, selectors.case_for_user(request.user, pk=case_id))


class ReferralIn(Schema):
    mission: str


class ReferralOut(Schema):
    id: int
    case_id: int
    reference: str
    to_mission: str
    status: str
    package: dict[str, Any]
    sent_by: str
    sent_at: dt.datetime
    answer_due: dt.datetime
    answered_by: str | None
    answered_at: dt.datetime | None
    reason: str
    escalated_at: dt.datetime | None


class ReturnIn(Schema):
    reason: str


def referral_out(r: Referral, package: dict[str, Any]) -> dict[str, Any]:
    """``package`` as the reader may see it (``referrals.package_for``), never the stored one whole."""
    return {
        "id": r.pk, "case_id": r.case_id, "reference": r.case.reference, "to_mission": r.to_mission.code,
        "status": r.status, "package": package, "sent_by": r.sent_by.username, "sent_at": r.sent_at,
        "answer_due": r.answer_due, "answered_by": r.answered_by.username if r.answered_by_id else None,
        "answered_at": r.answered_at, "reason": r.reason, "escalated_at": r.escalated_at,
    }  # fmt: skip


def _referral(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    return referral_out(referral, referrals.package_for(request.user, referral)[0])


@router.post(
    "/{case_id}/referral", response={201: ReferralOut, **ERRORS}, summary="Refer the case to an origin mission"
)
def refer_case(request: HttpRequest, case_id: int, payload: ReferralIn) -> Status:
    case = selectors.case_for_user(request.user, pk=case_id)
    mission = Mission.objects.filter(code=payload.mission.upper()).first()
    if mission is None:
        raise ServiceError(
            _("There is no mission %(code)s.") % {"code": payload.mission}, {"mission": [_("Unknown mission.")]}
        )
    return Status(
        201, _referral(request, referrals.referral_send(acting_user=request.user, case=case, mission=mission))
    )


@router.get("/{case_id}/referrals", response={200: list[ReferralOut], 404: ErrorOut}, summary="The case's referrals")
def case_referrals(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_for_user(request.user, pk=case_id)
    rows = case.referrals.select_related("case", "to_mission", "sent_by", "answered_by")
    return [referral_out(r, p) for r, p in referrals.packages_shown(request, rows, via=reads.Via.API)]


referrals_router = Router(tags=["referrals"])


@referrals_router.get("", response=list[ReferralOut], summary="Referrals awaiting your missions' answer")
def referral_inbox(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        referral_out(r, p)
        for r, p in referrals.packages_shown(request, referrals.inbox(request.user), via=reads.Via.API)
    ]


@referrals_router.post("/{referral_id}/accept", response={200: ReferralOut, **ERRORS}, summary="Accept a referral")
def accept_referral(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    referral = referrals.referral_for_receiver(request.user, referral_id)
    return _referral(request, referrals.referral_accept(acting_user=request.user, referral=referral))


@referrals_router.post("/{referral_id}/return", response={200: ReferralOut, **ERRORS}, summary="Return a referral")
def return_referral(request: HttpRequest, referral_id: int, payload: ReturnIn) -> dict[str, Any]:
    referral = referrals.referral_for_receiver(request.user, referral_id)
    return _referral(
        request, referrals.referral_return(acting_user=request.user, referral=referral, reason=payload.reason)
    )


def transition_out(t: Transition) -> dict[str, Any]:
    return {
        "id": t.pk,
        "from_status": t.from_status,
        "to_status": t.to_status,
        "note": t.note,
        "details": t.details,
        "by": t.by.username,
        "at": t.at,
    }


@router.post(
    "/{case_id}/transitions", response={201: TransitionOut, **ERRORS}, summary="Move a case along its workflow"
)
@idempotent
def transition_case(request: HttpRequest, case_id: int, payload: TransitionIn) -> Status:
    """Refused with 400 and every failed guard's reason in `fields.to`; 409 when `version` is stale."""
    case = selectors.case_for_user(request.user, pk=case_id)
    transition = services.case_transition(
        acting_user=request.user,
        case=case,
        to=payload.to,
        note=payload.note,
        details=payload.details,
        expected_version=payload.version,
    )
    return Status(201, transition_out(transition))


@router.get(
    "/{case_id}/transitions", response={200: list[TransitionOut], 404: ErrorOut}, summary="The moves made so far"
)
def list_transitions(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_for_user(request.user, pk=case_id)
    return [transition_out(t) for t in case.transitions.select_related("by")]


@router.get(
    "/{case_id}/transitions/options",
    response={200: list[OptionOut], 404: ErrorOut},
    summary="The moves you may make now, with what still blocks each",
)
def transition_options(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_for_user(request.user, pk=case_id)
    return [
        {"to": o.step.target, "label": str(o.step.label), "blocked_by": o.blocked_by}
        for o in workflow.options_for(request.user, case)
    ]


@router.post("/{case_id}/members", response={201: MemberOut, **ERRORS}, summary="Add a member")
def add_member(request: HttpRequest, case_id: int, payload: MemberIn) -> Status:
    case = selectors.case_for_user(request.user, pk=case_id)
    member = services.member_add(acting_user=request.user, case=case, member=member_input(payload))
    return Status(201, _member_out(request, case_id, member.pk))


def _member_out(request: HttpRequest, case_id: int, member_id: int) -> dict[str, Any]:
    case = selectors.case_for_user(request.user, pk=case_id)
    member = selectors.member_of(case, member_id)
    others = selectors.other_cases_of(request.user, case)
    return {
        "id": member.pk,
        "relationship": member.relationship,
        "precarious": member.precarious,
        "person": person_out(request.user, case, member.person),
        "other_cases": [c.reference for c in others.get(member.person_id, [])],
    }


@router.patch(
    "/{case_id}/members/{member_id}", response={200: MemberOut, **ERRORS}, summary="Change a member's details"
)
def update_member(request: HttpRequest, case_id: int, member_id: int, payload: MemberUpdateIn) -> dict[str, Any]:
    case = selectors.case_for_user(request.user, pk=case_id)
    member = selectors.member_of(case, member_id)
    given = payload.dict(exclude_unset=True)
    current = _person_in(member.person)
    if "vulnerabilities" in given:
        # Facts the caller may not see are kept, not silently dropped.
        visible = {v.type.code for v in selectors.visible_vulnerabilities(request.user, case, member.person)}
        hidden = [code for code in current["vulnerabilities"] if code not in visible]
        given["vulnerabilities"] = [*(given["vulnerabilities"] or []), *hidden]
    precarious = given.pop("precarious", None)
    merged = PersonIn(
        **{
            **current,
            **{k: v for k, v in given.items() if k != "relationship" and (v is not None or k == "birth_date")},
        }
    )
    services.member_update(
        acting_user=request.user,
        member=member,
        relationship=given.get("relationship") or member.relationship,
        data=person_input(merged),
        precarious=precarious,
    )
    return _member_out(request, case_id, member_id)


def _person_in(person: Person) -> dict[str, Any]:
    """A person's current details in the API's input shape."""
    dob = person.date_of_birth
    return {
        "given_names": person.given_names,
        "family_name": person.family_name,
        "given_names_original": person.given_names_original,
        "family_name_original": person.family_name_original,
        "sex": person.sex,
        "birth_date": dob.parts() if dob else None,
        "place_of_birth": person.place_of_birth,
        "nationality": person.nationality.code or "",
        "country_of_origin": person.country_of_origin.code or "",
        "languages": person.languages,
        "phone": person.phone,
        "vulnerabilities": [v.type.code for v in person.vulnerabilities.all()],
        "previous_assistance_on": person.previous_assistance_on,
    }  # fmt: skip


@router.delete("/{case_id}/members/{member_id}", response={204: None, **ERRORS}, summary="Remove a member")
def remove_member(request: HttpRequest, case_id: int, member_id: int) -> Status:
    case = selectors.case_for_user(request.user, pk=case_id)
    services.member_remove(acting_user=request.user, member=selectors.member_of(case, member_id))
    return Status(204, None)


@router.post(
    "/{case_id}/members/{member_id}/documents", response={201: DocumentOut, **ERRORS}, summary="Add a document"
)
def add_document(request: HttpRequest, case_id: int, member_id: int, payload: DocumentIn) -> Status:
    case = selectors.case_for_user(request.user, pk=case_id)
    member = selectors.member_of(case, member_id)
    d = services.document_add(acting_user=request.user, member=member, data=DocumentInput(**payload.dict()))
    return Status(201, document_out(d))


@router.delete(
    "/{case_id}/members/{member_id}/documents/{document_id}",
    response={204: None, **ERRORS},
    summary="Remove a document",
)
def remove_document(request: HttpRequest, case_id: int, member_id: int, document_id: int) -> Status:
    case = selectors.case_for_user(request.user, pk=case_id)
    member = selectors.member_of(case, member_id)
    document = get_object_or_404(member.person.documents.all(), pk=document_id)
    services.document_remove(acting_user=request.user, member=member, document=document)
    return Status(204, None)


@router.get("/{case_id}/history", response={200: list[HistoryEntryOut], 404: ErrorOut}, summary="The audit history")
def case_history(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_for_user(request.user, pk=case_id)
    return [
        {
            "timestamp": e.timestamp,
            "actor": e.actor.username if e.actor_id else None,
            "action": ACTIONS[e.action],
            "object_type": e.content_type.model,
            "object_id": e.object_pk,
            "object_repr": e.object_repr,
            "changes": e.changes_dict,
        }
        for e in selectors.case_history(request.user, case)
    ]


def assessment_out(a: Assessment) -> dict[str, Any]:
    return {
        "programme": a.programme.code,
        "rules_in_force_from": a.rule_version.effective_from if a.rule_version else None,
        "decision_date": a.decision_date,
        "outcome": a.outcome,
        "final_outcome": a.final_outcome,
        "reintegration": a.reintegration,
        "outcomes": a.result["outcomes"],
        "members": a.result["members"],
        "override_reason": a.override_reason,
        "overridden_by": a.overridden_by.username if a.overridden_by_id else None,
        "assessed_by": a.assessed_by.username,
    }


@router.get(
    "/{case_id}/eligibility", response={200: AssessmentOut, 404: ErrorOut}, summary="The latest eligibility assessment"
)
def get_eligibility(request: HttpRequest, case_id: int) -> dict[str, Any]:
    assessment = eligibility.latest_assessment(selectors.case_for_user(request.user, pk=case_id))
    if assessment is None:
        raise Http404
    return assessment_out(assessment)


@router.post("/{case_id}/eligibility", response={201: AssessmentOut, **ERRORS}, summary="Assess eligibility now")
def run_eligibility(request: HttpRequest, case_id: int, payload: AssessIn) -> Status:
    case = selectors.case_for_user(request.user, pk=case_id)
    programme = None
    if payload.programme:
        programme = Programme.objects.filter(code=payload.programme).first()
        if programme is None:
            raise ServiceError(_("Unknown programme."), {"programme": [_("Choose a programme of the host mission.")]})
    return Status(
        201, assessment_out(eligibility.case_assess(acting_user=request.user, case=case, programme=programme))
    )


@router.get(
    "/{case_id}/entitlements", response={200: EntitlementsOut, 404: ErrorOut}, summary="What the case is entitled to"
)
def get_entitlements(request: HttpRequest, case_id: int) -> dict[str, Any]:
    assessment = eligibility.latest_assessment(selectors.case_for_user(request.user, pk=case_id))
    if assessment is None:
        raise Http404
    result = eligibility.entitlements_of(assessment)
    lines, _escorts = eligibility.for_reader(request.user, assessment.case, result)
    return {
        "payable": result.payable,
        "lines": [{k: v for k, v in vars(line).items() if k != "reasons"} for line in lines],
        "totals": [{"benefit": b, "currency": c, "amount": str(v)} for (b, c), v in sorted(result.totals().items())],
        "notes": result.notes,
    }
