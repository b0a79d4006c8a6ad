"""Reads of the partners directory, scoped to the user's missions, and the embassies' turnaround.

Who reads what:
- a mission's partners and their contacts: whoever reads its cases, and its writers;
- writers: the mission's case supervisors, movement officers and administrators.
A partner of another mission is a 404; a write the role may not make, a 403.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.assistance import selectors as assistance_selectors
from homeward.assistance.models import Provider
from homeward.cases.models import Case
from homeward.partners.models import IncomingReferral, Partner, PartnerContact
from homeward.travel.models import TravelDocumentRequest

WRITE_PERMS = (Perm.SUPERVISE, Perm.ARRANGE_TRAVEL, Perm.MANAGE_SITE)


def write_missions(user: Any) -> set[int]:
    missions: set[int] = set()
    for perm in WRITE_PERMS:
        missions |= permissions.mission_ids_with(user, perm)
    return missions


def read_missions(user: Any) -> set[int]:
    # An administrator keeps the directory without reading cases.
    return permissions.mission_ids_with(user, Perm.VIEW_CASE) | write_missions(user)


def may_write(user: Any, mission_id: int | None) -> bool:
    return mission_id is not None and mission_id in write_missions(user)


# ---------------------------------------------------------------- the directory


@dataclass(frozen=True)
class PartnerFilters:
    kind: str = ""
    country: str = ""
    q: str = ""
    inactive: bool = False  # include inactive partners


def partners_for(user: Any, filters: PartnerFilters | None = None) -> QuerySet[Partner]:
    filters = filters or PartnerFilters()
    partners = Partner.objects.filter(mission_id__in=read_missions(user)).select_related("mission")
    if filters.kind:
        partners = partners.filter(kind=filters.kind)
    if filters.country:
        partners = partners.filter(country=filters.country.upper())
    if filters.q.strip():
        q = filters.q.strip()
        partners = partners.filter(Q(name__icontains=q) | Q(city__icontains=q) | Q(role__icontains=q))
    if not filters.inactive:
        partners = partners.filter(active=True)
    return partners


def partner_for(user: Any, pk: int) -> Partner:
    """The partner with its contacts, or 404 when it is not of the user's missions."""
    contacts = Prefetch("contacts", queryset=PartnerContact.objects.order_by("name", "pk"))
    partner = partners_for(user, PartnerFilters(inactive=True)).prefetch_related(contacts).filter(pk=pk).first()
    if partner is None:
        raise Http404(_("No such partner."))
    return partner


def providers_for(user: Any, filters: PartnerFilters | None = None) -> QuerySet[Provider]:
    """The reintegration service providers of the user's own missions, as their own pages may show them."""
    filters = filters or PartnerFilters()
    providers = assistance_selectors.provider_list(
        user, assistance_selectors.ProviderFilters(q=filters.q, country=filters.country, inactive=filters.inactive)
    )
    return providers.filter(mission_id__in=set(permissions.roles_by_mission(user)))


# ---------------------------------------------------------------- embassies and their turnaround


@dataclass(frozen=True)
class Turnaround:
    """What an embassy did with the travel documents asked of it. Days run from request to issue."""

    issued: int = 0
    median_days: float | None = None
    p80_days: float | None = None
    refused: int = 0
    pending: int = 0

    @property
    def text(self) -> str:
        """ "usually 12 days (median of 9)": 8 in 10 documents came within the first figure."""
        if self.p80_days is None or self.median_days is None:
            return ""
        p80 = math.ceil(self.p80_days)
        return ngettext(
            "usually %(p80)s day (median of %(median)s)", "usually %(p80)s days (median of %(median)s)", p80
        ) % {"p80": p80, "median": _days(self.median_days)}


def _days(value: float) -> str:
    return str(int(value)) if value == int(value) else number_format(value, 1)


def percentile(values: list[int], q: float) -> float:
    """The ``q`` quantile of ``values`` (sorted), interpolated between ranks as PostgreSQL's percentile_cont."""
    position = (len(values) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


def turnaround(partner_ids: Any) -> dict[int, Turnaround]:
    """``{partner_id: Turnaround}`` from the travel-document history of those partners, read in one query.

    Cancelled requests count nowhere; an issued document without dates, or dated before its request
    (typed wrong before the rule existed), counts as issued but not in the days.
    """
    rows = TravelDocumentRequest.objects.filter(embassy_id__in=list(partner_ids)).values_list(
        "embassy_id", "status", "requested_on", "issued_on"
    )
    days: dict[int, list[int]] = {}
    counts: dict[int, dict[str, int]] = {}
    Status = TravelDocumentRequest.Status
    for embassy_id, status, requested_on, issued_on in rows:
        count = counts.setdefault(embassy_id, {Status.ISSUED: 0, Status.REFUSED: 0, Status.REQUESTED: 0})
        if status in count:
            count[status] += 1
        if status == Status.ISSUED and requested_on and issued_on and issued_on >= requested_on:
            days.setdefault(embassy_id, []).append((issued_on - requested_on).days)
    result = {}
    for embassy_id, count in counts.items():
        spans = sorted(days.get(embassy_id, []))
        result[embassy_id] = Turnaround(
            issued=count[Status.ISSUED],
            median_days=round(statistics.median(spans), 1) if spans else None,
            p80_days=round(percentile(spans, 0.8), 1) if spans else None,
            refused=count[Status.REFUSED],
            pending=count[Status.REQUESTED],
        )
    return result


def issuers_for_case(case: Case) -> list[Partner]:
    """The active embassies and consulates of the case's host mission; those of its destination country first."""
    issuers = Partner.objects.filter(mission_id=case.host_mission_id, kind__in=Partner.ISSUERS, active=True)
    destination = str(case.destination_country or "")
    return sorted(issuers, key=lambda p: (str(p.country) != destination, p.name.casefold(), p.pk))


# ---------------------------------------------------------------- referrals in from partners


def referrals_of(case: Case) -> QuerySet[IncomingReferral]:
    return IncomingReferral.objects.filter(case=case).select_related("partner", "recorded_by")


def active_partners(mission_ids: Any, kinds: Any = None) -> QuerySet[Partner]:
    """The active partners of these missions (of these kinds), by name: what a form offers to choose."""
    found = Partner.objects.filter(mission_id__in=list(mission_ids), active=True)
    return (found.filter(kind__in=list(kinds)) if kinds is not None else found).order_by("name", "pk")


def referring_partners(case: Case) -> QuerySet[Partner]:
    """The partners a case may be referred by: the active ones of its host mission."""
    return active_partners([case.host_mission_id])
