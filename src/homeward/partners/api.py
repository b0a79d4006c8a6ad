"""Partners over JSON (mounted at /api/v1/): /partners, /partners/{id} and /cases/{reference}/incoming-referrals.

The same services and scoping as the pages: a partner of another mission is a 404,
a write the role may not make a 403, a refusal a 400 with ``{"message", "fields"}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from homeward.accounts.models import Mission
from homeward.cases import selectors as case_selectors
from homeward.cases.schemas import ErrorOut
from homeward.core.errors import ServiceError
from homeward.partners import selectors, services
from homeward.partners.models import IncomingReferral, Partner
from homeward.partners.schemas import (
    IncomingReferralIn,
    IncomingReferralOut,
    PartnerDetailOut,
    PartnerFiltersIn,
    PartnerIn,
    PartnerOut,
)

router = Router(tags=["partners"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
DETAIL_FIELDS = ("kind", "name", "country", "city", "address", "phone", "email", "website", "role")


def partner_out(p: Partner) -> dict[str, Any]:
    return {
        "id": p.pk, "mission": p.mission.code, **{name: getattr(p, name) for name in DETAIL_FIELDS},
        "country": str(p.country), "active": p.active,
    }  # fmt: skip


def turnaround_out(t: selectors.Turnaround | None) -> dict[str, Any]:
    t = t or selectors.Turnaround()
    return {"issued": t.issued, "median_days": t.median_days, "p80_days": t.p80_days, "refused": t.refused,
            "pending": t.pending}  # fmt: skip


def referral_out(r: IncomingReferral) -> dict[str, Any]:
    return {"id": r.pk, "case_reference": r.case.reference, "partner_id": r.partner_id, "partner": r.partner.name,
            "referred_on": r.referred_on, "contact_person": r.contact_person, "note": r.note,
            "recorded_by": r.recorded_by.username}  # fmt: skip


@router.get("/partners", response={200: list[PartnerOut]}, summary="The partners of the user's missions")
def list_partners(request: HttpRequest, filters: Query[PartnerFiltersIn]) -> list[dict[str, Any]]:
    found = selectors.partners_for(request.user, selectors.PartnerFilters(**filters.dict()))
    return [partner_out(p) for p in found]


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    partner = selectors.partner_for(request.user, pk)
    contacts = [
        {"id": c.pk, "name": c.name, "title": c.title, "phone": c.phone, "email": c.email}
        for c in partner.contacts.all()
    ]
    figures = selectors.turnaround([partner.pk]).get(partner.pk)
    return {**partner_out(partner), "contacts": contacts, "turnaround": turnaround_out(figures)}


@router.get("/partners/{partner_id}", response={200: PartnerDetailOut, 404: ErrorOut},
            summary="A partner with its contacts and, for an embassy, its turnaround")  # fmt: skip
def get_partner(request: HttpRequest, partner_id: int) -> dict[str, Any]:
    return _detail(request, partner_id)


def _input(payload: PartnerIn) -> services.PartnerInput:
    return services.PartnerInput(**{name: getattr(payload, name) for name in DETAIL_FIELDS})


@router.post("/partners", response={201: PartnerDetailOut, **ERRORS}, summary="Add a partner to a mission's directory")
def create_partner(request: HttpRequest, payload: PartnerIn) -> Status:
    mission = Mission.objects.filter(code=(payload.mission or "").upper()).first()
    if mission is None:
        message = _("Unknown mission.")
        raise ServiceError(message, {"mission": [message]})
    partner = services.partner_create(acting_user=request.user, mission=mission, data=_input(payload))
    if not payload.active:
        services.partner_set_active(acting_user=request.user, partner=partner, active=False)
    return Status(201, _detail(request, partner.pk))


@router.put("/partners/{partner_id}", response={200: PartnerDetailOut, **ERRORS},
            summary="Change a partner's details, or deactivate it with active=false")  # fmt: skip
def update_partner(request: HttpRequest, partner_id: int, payload: PartnerIn) -> dict[str, Any]:
    partner = selectors.partner_for(request.user, partner_id)
    if payload.mission and payload.mission.upper() != partner.mission.code:
        message = _("A partner stays in its mission.")
        raise ServiceError(message, {"mission": [message]})
    services.partner_update(acting_user=request.user, partner=partner, data=_input(payload))
    services.partner_set_active(acting_user=request.user, partner=partner, active=payload.active)
    return _detail(request, partner.pk)


@router.post("/cases/{reference}/incoming-referrals", response={201: IncomingReferralOut, **ERRORS},
             summary="Record that a partner referred the case")  # fmt: skip
def record_referral(request: HttpRequest, reference: str, payload: IncomingReferralIn) -> Status:
    case = case_selectors.case_for_user(request.user, reference=reference)
    partner = selectors.referring_partners(case).filter(pk=payload.partner_id).first()
    referral = services.incoming_referral_record(
        acting_user=request.user, case=case, partner=partner, referred_on=payload.referred_on,
        contact_person=payload.contact_person, note=payload.note,
    )  # fmt: skip
    return Status(201, referral_out(referral))
