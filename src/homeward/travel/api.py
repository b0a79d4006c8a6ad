"""Travel over JSON (mounted at /api/v1/): travel documents, itineraries, segments, tickets, help, checks.

The same services and scoping as the pages: a case the user cannot see is a 404,
a refusal is a 400 with ``{"message", "fields"}``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Perm
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case, CaseMember
from homeward.core.errors import ServiceError
from homeward.partners import selectors as partner_selectors
from homeward.partners.models import Partner
from homeward.travel import board, selectors, services
from homeward.travel.models import AssistanceLeg, Itinerary, PreDepartureCheck, Segment, Ticket, TravelDocumentRequest
from homeward.travel.schemas import (
    AssistanceIn,
    AssistanceOut,
    AssistancePatchIn,
    BoardRowOut,
    CheckIn,
    CheckOut,
    ErrorOut,
    ItineraryIn,
    ItineraryOut,
    ItineraryPatchIn,
    ReconcileIn,
    SegmentIn,
    SegmentOut,
    TicketIn,
    TicketOut,
    TravelDocumentIn,
    TravelDocumentOut,
    TravelDocumentPatchIn,
)

router = Router(tags=["travel"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
_CASE = "/cases/{case_id}"
_ITINERARY = _CASE + "/itineraries/{itinerary_id}"


# ---------------------------------------------------------------- lookups, scoped to the user


def _case(request: HttpRequest, case_id: int) -> Case:
    return case_selectors.case_for_user(request.user, pk=case_id)


def _itinerary(case: Case, itinerary_id: int) -> Itinerary:
    return selectors.itinerary_for_case(case, itinerary_id)


def _member(case: Case, member_id: int | None) -> CaseMember | None:
    """A member of this case; anyone else is refused without a word about who they are."""
    if member_id is None:
        return None
    member = case.members.select_related("person").filter(pk=member_id).first()
    if member is None:
        raise ServiceError(_("This person is not in the case."), {"member_id": [_("Choose a member of this case.")]})
    return member


def _members(case: Case, ids: list[int] | None) -> list[CaseMember] | None:
    if ids is None:
        return None
    found = {m.pk: m for m in case.members.select_related("person").filter(pk__in=ids)}
    if len(found) != len(set(ids)):
        raise ServiceError(
            _("Some of these people are not in the case."),
            {"traveller_ids": [_("Choose members of this case.")]},
        )
    return [found[i] for i in ids]


def _embassy(request: HttpRequest, embassy_id: int | None) -> Partner | None:
    """A partner the user reads; the service says whether it may be asked for this case."""
    if embassy_id is None:
        return None
    readable = partner_selectors.partners_for(request.user, partner_selectors.PartnerFilters(inactive=True))
    embassy = readable.filter(pk=embassy_id).first()
    if embassy is None:
        raise ServiceError(
            _("Unknown embassy or consulate."), {"embassy": [_("Choose one from the partners directory.")]}
        )
    return embassy


def _mission(code: str | None) -> Mission | None:
    return Mission.objects.filter(code=(code or "").upper()).first() if code else None


# ---------------------------------------------------------------- output


def document_out(d: TravelDocumentRequest) -> dict[str, Any]:
    return {
        "id": d.pk,
        "member_id": d.member_id,
        "traveller": d.member.person.full_name,
        "kind": d.kind,
        "embassy_id": d.embassy_id,
        "authority": d.authority,
        "requested_on": d.requested_on,
        "expected_on": d.expected_on,
        "status": d.status,
        "issued_on": d.issued_on,
        "number": d.number,
        "expires_on": d.expires_on,
        "note": d.note,
        "overdue": bool(
            d.status == TravelDocumentRequest.Status.REQUESTED
            and d.expected_on
            and d.expected_on < timezone.localdate()
        ),
    }


def segment_out(s: Segment) -> dict[str, Any]:
    view = selectors.segment_view(s)
    return {
        "id": s.pk,
        "position": s.position,
        "carrier": s.carrier,
        "number": s.number,
        "origin": s.origin,
        "destination": s.destination,
        "departs_at": s.departs_at,
        "arrives_at": s.arrives_at,
        "departs_local": view.departs.iso,
        "arrives_local": view.arrives.iso,
        "origin_tz": s.origin_tz,
        "destination_tz": s.destination_tz,
        "departs_zone": view.departs.abbr,
        "arrives_zone": view.arrives.abbr,
    }


def ticket_out(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.pk,
        "member_id": t.member_id,
        "traveller": t.member.person.full_name,
        "number": t.number,
        "cost": t.cost,
        "currency": t.currency,
    }


def assistance_out(leg: AssistanceLeg) -> dict[str, Any]:
    return {
        "id": leg.pk,
        "kind": leg.kind,
        "airport": leg.airport,
        "mission": leg.mission.code,
        "mission_name": leg.mission.name,
        "meeting_point": leg.meeting_point,
        "contact": leg.contact,
        "status": leg.status,
        "outcome": leg.outcome,
    }


def check_out(c: PreDepartureCheck, *, medical: bool) -> dict[str, Any]:
    """Fitness to travel and the note may be about health: only for readers of medical facts."""
    return {
        "id": c.pk,
        "checked_at": c.checked_at,
        "checked_by": c.checked_by.username,
        "fit_to_travel": c.fit_to_travel if medical else None,
        "documents_in_order": c.documents_in_order,
        "still_willing": c.still_willing,
        "passed": c.passed,
        "note": c.note if medical else "",
    }


def itinerary_out(request: HttpRequest, case: Case, itinerary_id: int) -> dict[str, Any]:
    itinerary = _itinerary(case, itinerary_id)
    view = selectors.itinerary_view(itinerary, request.user)
    medical = selectors.can_see_medical(request.user, case)
    return {
        "id": itinerary.pk,
        "status": itinerary.status,
        "booking_reference": itinerary.booking_reference,
        "traveller_ids": [m.pk for m in view.travellers],
        "baggage_allowance": itinerary.baggage_allowance,
        "special_needs": [n for n in itinerary.special_needs if medical or n not in selectors.MEDICAL_NEEDS],
        "escorts": itinerary.escorts,
        "onward_transport": itinerary.onward_transport,
        "final_address": itinerary.final_address,
        "not_departed_reason": itinerary.not_departed_reason,
        "needs_reconciliation": itinerary.needs_reconciliation,
        "reconciled_at": itinerary.reconciled_at,
        "route": view.route,
        "segments": [segment_out(s.segment) for s in view.segments],
        "tickets": [ticket_out(t) for t in view.tickets],
        "assistance": [assistance_out(leg) for leg in itinerary.assistance.all()],
        "checks": [check_out(c, medical=medical) for c in itinerary.checks.all()],
    }


# ---------------------------------------------------------------- travel documents


@router.get(_CASE + "/travel-documents", response={200: list[TravelDocumentOut], 404: ErrorOut},
            summary="A case's travel document requests")  # fmt: skip
def list_documents(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    return [document_out(d) for d in selectors.documents_of(_case(request, case_id))]


@router.post(_CASE + "/travel-documents", response={201: TravelDocumentOut, **ERRORS},
             summary="Request a travel document for a traveller")  # fmt: skip
def request_document(request: HttpRequest, case_id: int, payload: TravelDocumentIn) -> Status:
    case = _case(request, case_id)
    document = services.travel_document_request(
        acting_user=request.user,
        case=case,
        member=_member(case, payload.member_id),
        kind=payload.kind,
        embassy=_embassy(request, payload.embassy_id),
        requested_on=payload.requested_on,
        expected_on=payload.expected_on,
        note=payload.note,
    )
    return Status(201, document_out(document))


@router.patch(_CASE + "/travel-documents/{document_id}", response={200: TravelDocumentOut, **ERRORS},
              summary="Record what the embassy did: issued, refused, cancelled")  # fmt: skip
def update_document(request: HttpRequest, case_id: int, document_id: int, payload: TravelDocumentPatchIn) -> Any:
    case = _case(request, case_id)
    document = get_object_or_404(
        TravelDocumentRequest.objects.select_related("member__person"), case=case, pk=document_id
    )
    sent = payload.dict(exclude_unset=True)
    values = {f: sent.get(f, getattr(document, f)) for f in ("status", "issued_on", "number", "expires_on", "note")}
    values = {k: ("" if v is None and k in {"status", "number", "note"} else v) for k, v in values.items()}
    return document_out(services.travel_document_update(acting_user=request.user, request=document, **values))


# ---------------------------------------------------------------- itineraries


@router.get(_CASE + "/itineraries", response={200: list[ItineraryOut], 404: ErrorOut}, summary="A case's itineraries")
def list_itineraries(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    return [itinerary_out(request, case, i.pk) for i in case.itineraries.order_by("created_at", "pk")]


@router.post(_CASE + "/itineraries", response={201: ItineraryOut, **ERRORS}, summary="Start an itinerary (a draft)")
def create_itinerary(request: HttpRequest, case_id: int, payload: ItineraryIn) -> Status:
    case = _case(request, case_id)
    data = payload.dict()
    itinerary = services.itinerary_create(
        acting_user=request.user,
        case=case,
        travellers=_members(case, data.pop("traveller_ids")),
        **data,
    )
    return Status(201, itinerary_out(request, case, itinerary.pk))


@router.get(_ITINERARY, response={200: ItineraryOut, 404: ErrorOut}, summary="An itinerary with its segments")
def get_itinerary(request: HttpRequest, case_id: int, itinerary_id: int) -> dict[str, Any]:
    return itinerary_out(request, _case(request, case_id), itinerary_id)


@router.patch(_ITINERARY, response={200: ItineraryOut, **ERRORS}, summary="Change an itinerary's details")
def update_itinerary(request: HttpRequest, case_id: int, itinerary_id: int, payload: ItineraryPatchIn) -> Any:
    case = _case(request, case_id)
    itinerary = _itinerary(case, itinerary_id)
    sent = payload.dict(exclude_unset=True)
    fields = ("booking_reference", "baggage_allowance", "special_needs", "escorts", "onward_transport", "final_address")
    values = {f: sent[f] if sent.get(f) is not None else getattr(itinerary, f) for f in fields}
    if not selectors.can_see_medical(request.user, case):
        # Needs the caller may not see are kept as they are.
        values["special_needs"] = [
            *(n for n in values["special_needs"] if n not in selectors.MEDICAL_NEEDS),
            *(n for n in itinerary.special_needs if n in selectors.MEDICAL_NEEDS),
        ]
    services.itinerary_update(
        acting_user=request.user,
        itinerary=itinerary,
        travellers=_members(itinerary.case, sent.get("traveller_ids")),
        **values,
    )
    return itinerary_out(request, case, itinerary.pk)


def _action(service: Any, summary: str, path: str) -> None:
    name = path.strip("/")

    @router.post(_ITINERARY + path, response={200: ItineraryOut, **ERRORS}, summary=summary,
                 operation_id=f"homeward_travel_api_itinerary_{name}")  # fmt: skip
    def act(request: HttpRequest, case_id: int, itinerary_id: int) -> Any:
        case = _case(request, case_id)
        service(acting_user=request.user, itinerary=_itinerary(case, itinerary_id))
        return itinerary_out(request, case, itinerary_id)


_action(services.itinerary_confirm, "Confirm the booking", "/confirm")
_action(services.itinerary_back_to_draft, "Put a confirmed itinerary back to draft", "/draft")
_action(services.itinerary_cancel, "Cancel an itinerary", "/cancel")


@router.post(_ITINERARY + "/reconciled", response={200: ItineraryOut, **ERRORS},
             summary="Record that a journey not flown is reconciled")  # fmt: skip
def reconcile_itinerary(request: HttpRequest, case_id: int, itinerary_id: int, payload: ReconcileIn) -> Any:
    case = _case(request, case_id)
    services.itinerary_reconciled(acting_user=request.user, itinerary=_itinerary(case, itinerary_id), note=payload.note)
    return itinerary_out(request, case, itinerary_id)


# ---------------------------------------------------------------- segments, tickets, help, checks


@router.post(_ITINERARY + "/segments", response={201: SegmentOut, **ERRORS},
             summary="Add a segment (local times at each airport)")  # fmt: skip
def add_segment(request: HttpRequest, case_id: int, itinerary_id: int, payload: SegmentIn) -> Status:
    itinerary = _itinerary(_case(request, case_id), itinerary_id)
    segment = services.segment_add(acting_user=request.user, itinerary=itinerary, **payload.dict())
    segment.refresh_from_db()
    return Status(201, segment_out(segment))


@router.delete(_ITINERARY + "/segments/{segment_id}", response={204: None, **ERRORS}, summary="Remove a segment")
def remove_segment(request: HttpRequest, case_id: int, itinerary_id: int, segment_id: int) -> Status:
    itinerary = _itinerary(_case(request, case_id), itinerary_id)
    segment = get_object_or_404(itinerary.segments.all(), pk=segment_id)
    services.segment_remove(acting_user=request.user, segment=segment)
    return Status(204, None)


@router.post(_ITINERARY + "/tickets", response={201: TicketOut, **ERRORS}, summary="Add a traveller's ticket")
def add_ticket(request: HttpRequest, case_id: int, itinerary_id: int, payload: TicketIn) -> Status:
    itinerary = _itinerary(_case(request, case_id), itinerary_id)
    ticket = services.ticket_add(
        acting_user=request.user,
        itinerary=itinerary,
        member=_member(itinerary.case, payload.member_id),
        number=payload.number,
        cost=payload.cost,
        currency=payload.currency,
    )
    return Status(201, ticket_out(ticket))


@router.post(_ITINERARY + "/assistance", response={201: AssistanceOut, **ERRORS},
             summary="Arrange assistance at departure, transit or arrival")  # fmt: skip
def add_assistance(request: HttpRequest, case_id: int, itinerary_id: int, payload: AssistanceIn) -> Status:
    itinerary = _itinerary(_case(request, case_id), itinerary_id)
    data = payload.dict()
    leg = services.assistance_add(
        acting_user=request.user, itinerary=itinerary, mission=_mission(data.pop("mission")), **data
    )
    return Status(201, assistance_out(leg))


@router.patch(_ITINERARY + "/assistance/{leg_id}", response={200: AssistanceOut, **ERRORS},
              summary="Change assistance or record what happened")  # fmt: skip
def update_assistance(
    request: HttpRequest, case_id: int, itinerary_id: int, leg_id: int, payload: AssistancePatchIn
) -> Any:
    itinerary = _itinerary(_case(request, case_id), itinerary_id)
    leg = get_object_or_404(AssistanceLeg.objects.select_related("mission"), itinerary=itinerary, pk=leg_id)
    sent = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    mission = _mission(sent.pop("mission")) if "mission" in sent else leg.mission
    values = {f: sent.get(f, getattr(leg, f)) for f in ("meeting_point", "contact", "status", "outcome")}
    leg = services.assistance_update(acting_user=request.user, leg=leg, mission=mission, **values)
    return assistance_out(leg)


@router.post(_ITINERARY + "/checks", response={201: CheckOut, **ERRORS}, summary="Record the pre-embarkation check")
def add_check(request: HttpRequest, case_id: int, itinerary_id: int, payload: CheckIn) -> Status:
    itinerary = _itinerary(_case(request, case_id), itinerary_id)
    check = services.pre_departure_check_record(acting_user=request.user, itinerary=itinerary, **payload.dict())
    return Status(201, check_out(check, medical=selectors.can_see_medical(request.user, itinerary.case)))


# ---------------------------------------------------------------- the day board


@router.get("/travel/board", response={200: list[BoardRowOut], 403: ErrorOut},
            summary="Who travels today and tomorrow, and what is still missing")  # fmt: skip
def day_board(request: HttpRequest) -> list[dict[str, Any]]:
    if not permissions.has_perm_anywhere(request.user, Perm.ARRANGE_TRAVEL):
        raise PermissionDenied(_("The day board is for those who arrange travel."))
    rows = []
    for row in board.day_board(request.user):
        first = row.view.first
        assert first is not None  # noqa: S101 - the board lists only journeys with segments
        rows.append(
            {
                "case_id": row.case.pk,
                "reference": row.case.reference,
                "principal_name": row.principal_name,
                "travellers": row.traveller_count,
                "day": "today" if row.day == 0 else "tomorrow",
                "itinerary_id": row.view.itinerary.pk,
                "departs_from": first.segment.origin,
                "departs_at": first.segment.departs_at,
                "departs_local": first.departs.iso,
                "departs_zone": first.departs.abbr,
                "route": row.view.route,
                "assistance": [
                    {
                        "kind": leg.kind,
                        "airport": leg.airport,
                        "status": leg.leg.status if leg.leg else None,
                        "mission": leg.leg.mission.code if leg.leg else None,
                    }
                    for leg in row.view.legs
                ],
                "missing": row.missing,
            }
        )
    return rows
