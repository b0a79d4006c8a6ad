"""Providers over JSON (mounted at /api/v1/): /providers, /providers/{id}, /providers/{id}/vetting.

The same services and scoping as the pages: a role with no access to
providers gets 403, a provider of another mission is a 404, a refusal is a
400 with ``{"message", "fields"}``. Bank details are null for those who may
not see them.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from homeward.accounts.models import Mission
from homeward.assistance import selectors, services
from homeward.assistance.models import Provider
from homeward.assistance.schemas import (
    BankDetailsIO,
    ErrorOut,
    ProviderIn,
    ProviderOut,
    ProviderPageOut,
    ProviderPatchIn,
    VettingIn,
)
from homeward.core.errors import ServiceError

router = Router(tags=["providers"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGE_SIZE = 50


class ProviderQuery(Schema):
    q: str = ""
    country: str = ""
    category: str = ""
    vetting_status: str = ""
    mission: str = ""
    inactive: bool = False
    page: int = 1


def _require_access(request: HttpRequest) -> None:
    if not selectors.may_view_providers(request.user):
        raise PermissionDenied(_("Your role does not give access to service providers."))


def _provider(request: HttpRequest, provider_id: int) -> Provider:
    _require_access(request)
    return selectors.provider_for_user(request.user, provider_id)


def provider_out(user: Any, p: Provider) -> dict[str, Any]:
    bank = None
    if selectors.can_handle_bank_details(user, p.mission_id):
        bank = {name: getattr(p, name) for name in ("account_holder", "bank_name", "account_number", "swift_bic")}
    return {
        "id": p.pk,
        "name": p.name,
        "country": p.country.code,
        "category": p.category,
        "mission": p.mission.code,
        "contact_person": p.contact_person,
        "phone": p.phone,
        "email": p.email,
        "address": p.address,
        "active": p.active,
        "vetting_status": p.vetting_status,
        "vetted_on": p.vetted_on,
        "vetted_by": p.vetted_by.username if p.vetted_by_id else None,
        "vetting_note": p.vetting_note,
        "bank_details": bank,
        "created_by": p.created_by.username,
        "created_at": p.created_at,
    }


def _bank(data: BankDetailsIO | None) -> services.BankDetails | None:
    return None if data is None else services.BankDetails(**data.dict())


@router.get("/providers", response={200: ProviderPageOut, 403: ErrorOut}, summary="List and search providers")
def list_providers(request: HttpRequest, filters: Query[ProviderQuery]) -> dict[str, Any]:
    _require_access(request)
    found = selectors.provider_list(
        request.user, selectors.ProviderFilters(**filters.dict(exclude={"page"}))
    ).select_related("created_by")
    page = Paginator(found, PAGE_SIZE).get_page(filters.page)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "results": [provider_out(request.user, p) for p in page.object_list],
    }


@router.post("/providers", response={201: ProviderOut, **ERRORS}, summary="Register a provider")
def create_provider(request: HttpRequest, payload: ProviderIn) -> Status:
    _require_access(request)
    mission = Mission.objects.filter(code=payload.mission.strip().upper()).first()
    if mission is None:
        raise ServiceError(
            _("There is no mission %(code)s.") % {"code": payload.mission}, {"mission": [_("Unknown mission.")]}
        )
    data = payload.dict(exclude={"mission", "bank_details"})
    provider = services.provider_create(
        acting_user=request.user,
        mission=mission,
        data=services.ProviderInput(**data),
        bank=_bank(payload.bank_details),
    )
    return Status(201, provider_out(request.user, selectors.provider_for_user(request.user, provider.pk)))


@router.get("/providers/{provider_id}", response={200: ProviderOut, 403: ErrorOut, 404: ErrorOut}, summary="A provider")
def get_provider(request: HttpRequest, provider_id: int) -> dict[str, Any]:
    return provider_out(request.user, _provider(request, provider_id))


@router.patch("/providers/{provider_id}", response={200: ProviderOut, **ERRORS}, summary="Change a provider")
def update_provider(request: HttpRequest, provider_id: int, payload: ProviderPatchIn) -> dict[str, Any]:
    provider = _provider(request, provider_id)
    given = payload.dict(exclude_unset=True, exclude={"bank_details"})
    given = {key: value for key, value in given.items() if value is not None}
    data = None
    if given:
        current = services.provider_input_of(provider)
        data = services.ProviderInput(**(asdict(current) | given))
    services.provider_update(acting_user=request.user, provider=provider, data=data, bank=_bank(payload.bank_details))
    return provider_out(request.user, selectors.provider_for_user(request.user, provider_id))


@router.post(
    "/providers/{provider_id}/vetting", response={200: ProviderOut, **ERRORS}, summary="Record a provider's vetting"
)
def vet_provider(request: HttpRequest, provider_id: int, payload: VettingIn) -> dict[str, Any]:
    """Vetted, rejected and suspended are decisions: a supervisor's of the managing mission or an
    administrator's, never the registrar's own."""
    provider = _provider(request, provider_id)
    services.provider_vetting_set(
        acting_user=request.user,
        provider=provider,
        status=payload.status,
        decided_on=payload.decided_on,
        note=payload.note,
    )
    return provider_out(request.user, selectors.provider_for_user(request.user, provider_id))
