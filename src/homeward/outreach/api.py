"""Outreach over JSON (mounted at /api/v1/): /campaigns, /campaigns/{id}/sessions, /hotline/calls,
/hotline/calls/{id}/inquiry and /programmes/{id}/funnel.

The same services and scoping as the pages: a campaign or call of another mission
is a 404, a write the role may not make a 403, a refusal a 400 with ``{"message", "fields"}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from homeward.accounts.models import Mission
from homeward.core.errors import ServiceError
from homeward.outreach import selectors, services
from homeward.outreach.models import Campaign, HotlineCall, InfoSession
from homeward.outreach.schemas import (
    CallIn,
    CallOut,
    CampaignIn,
    CampaignOut,
    ErrorOut,
    FunnelOut,
    InquiryIn,
    InquiryOut,
    OutreachSessionIn,
    OutreachSessionOut,
)
from homeward.programmes.models import Programme

router = Router(tags=["outreach"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _mission(code: str) -> Mission:
    mission = Mission.objects.filter(code=code.upper()).first()
    if mission is None:
        message = _("Unknown mission.")
        raise ServiceError(message, {"mission": [message]})
    return mission


def campaign_out(c: Campaign) -> dict[str, Any]:
    return {"id": c.pk, "mission": c.mission.code, "programme_id": c.programme_id, "programme": c.programme.code,
            "name": c.name, "start": c.start, "end": c.end, "description": c.description}  # fmt: skip


def session_out(s: InfoSession) -> dict[str, Any]:
    return {
        "id": s.pk, "campaign_id": s.campaign_id, "held_on": s.held_on, "venue_kind": s.venue_kind,
        "venue_name": s.venue_name, "languages": s.languages, "interpreters": s.interpreters, "notes": s.notes,
        **{name: getattr(s, name) for name in InfoSession.PARTICIPANT_FIELDS},
        "participants": s.participants, "recorded_by": s.recorded_by.username,
    }  # fmt: skip


def call_out(c: HotlineCall) -> dict[str, Any]:
    return {
        "id": c.pk, "mission": c.mission.code, "received_at": c.received_at, "caller_kind": c.caller_kind,
        "topic": c.topic, "outcome": c.outcome, "language": c.language, "interpreter": c.interpreter,
        "notes": c.notes, "caller_name": c.caller_name, "caller_phone": c.caller_phone,
        "destination_country": str(c.destination_country or ""), "taken_by": c.taken_by.username,
        "case_id": c.case_id, "case_reference": c.case.reference if c.case_id else None,
    }  # fmt: skip


# ---------------------------------------------------------------- campaigns


@router.get("/campaigns", response={200: list[CampaignOut]}, summary="Campaigns of the user's missions")
def list_campaigns(request: HttpRequest) -> list[dict[str, Any]]:
    return [campaign_out(c) for c in selectors.campaigns_for(request.user)]


@router.post("/campaigns", response={201: CampaignOut, **ERRORS}, summary="Start a campaign")
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Status:
    programme = Programme.objects.filter(pk=payload.programme_id).first()
    if programme is None:
        message = _("Unknown programme.")
        raise ServiceError(message, {"programme_id": [message]})
    campaign = services.campaign_create(
        acting_user=request.user,
        mission=_mission(payload.mission),
        data=services.CampaignInput(
            programme=programme, name=payload.name, start=payload.start, end=payload.end,
            description=payload.description,
        ),
    )  # fmt: skip
    return Status(201, campaign_out(selectors.campaign_for(request.user, campaign.pk)))


@router.get("/campaigns/{campaign_id}/sessions", response={200: list[OutreachSessionOut], 404: ErrorOut},
            summary="A campaign's information sessions")  # fmt: skip
def list_sessions(request: HttpRequest, campaign_id: int) -> list[dict[str, Any]]:
    campaign = selectors.campaign_for(request.user, campaign_id)
    return [session_out(s) for s in selectors.sessions_of(campaign)]


@router.post("/campaigns/{campaign_id}/sessions", response={201: OutreachSessionOut, **ERRORS},
             summary="Record an information session")  # fmt: skip
def create_session(request: HttpRequest, campaign_id: int, payload: OutreachSessionIn) -> Status:
    campaign = selectors.campaign_for(request.user, campaign_id)
    session = services.session_record(
        acting_user=request.user, campaign=campaign, data=services.SessionInput(**payload.dict())
    )
    return Status(201, session_out(session))


# ---------------------------------------------------------------- the hotline


@router.get("/hotline/calls", response={200: list[CallOut]}, summary="The hotline log, latest first")
def list_calls(request: HttpRequest, limit: int = 200) -> list[dict[str, Any]]:
    return [call_out(c) for c in selectors.calls_for(request.user)[: max(1, min(limit, 1000))]]


@router.post("/hotline/calls", response={201: CallOut, **ERRORS}, summary="Log a call")
def create_call(request: HttpRequest, payload: CallIn) -> Status:
    data = payload.dict()
    mission = _mission(data.pop("mission"))
    call = services.call_log(acting_user=request.user, mission=mission, data=services.CallInput(**data))
    return Status(201, call_out(call))


@router.post("/hotline/calls/{call_id}/inquiry", response={201: InquiryOut, **ERRORS},
             summary="Turn a call into an inquiry case")  # fmt: skip
def call_to_inquiry(request: HttpRequest, call_id: int, payload: InquiryIn) -> Status:
    call = selectors.call_for(request.user, call_id)
    case = services.call_to_inquiry(acting_user=request.user, call=call, **payload.dict())
    fresh = selectors.call_for(request.user, call.pk)
    return Status(201, {"case_id": case.pk, "case_reference": case.reference, "call": call_out(fresh)})


# ---------------------------------------------------------------- the funnel


@router.get("/programmes/{programme_id}/funnel", response={200: FunnelOut, 403: ErrorOut, 404: ErrorOut},
            summary="Contact → inquiry → registration → declaration → departure, and outreach figures")  # fmt: skip
def programme_funnel(
    request: HttpRequest,
    programme_id: int,
    date_from: dt.date | None = Query(None, alias="from"),  # noqa: B008 - ninja's way to name a parameter "from"
    date_to: dt.date | None = Query(None, alias="to"),  # noqa: B008
) -> dict[str, Any]:
    programme = selectors.funnel_programme_for(request.user, programme_id)
    today = timezone.localdate()
    f = selectors.funnel(programme, date_from or today.replace(month=1, day=1), date_to or today)
    return {
        "programme_id": programme.pk, "programme": programme.code, "date_from": f.date_from, "date_to": f.date_to,
        "funnel": {"contacts": f.contacts, "calls": f.calls, "participants": f.participants,
                   "inquiries": f.inquiries, "registrations": f.registrations, "declarations": f.declarations,
                   "departures": f.departures},
        "sessions": f.sessions, "participants_by_group": f.participants_by_group, "interpreters": f.interpreters,
        "materials_by_kind": f.materials_by_kind, "calls_by_topic": f.calls_by_topic,
        "meetings_by_kind": f.meetings_by_kind, "by_source": f.by_source,
    }  # fmt: skip
