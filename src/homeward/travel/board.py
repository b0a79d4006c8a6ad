"""The movement officer's day board: who travels today and tomorrow, and what is still missing.

Reads only, scoped to the missions where the user arranges travel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Min, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases import selectors as case_selectors
from homeward.cases.models import Case, CaseMember
from homeward.cases.workflow import travellers_without_document
from homeward.safeguarding.selectors import missing_items
from homeward.travel import airports
from homeward.travel.models import AssistanceLeg, Itinerary, TravelDocumentRequest
from homeward.travel.selectors import ItineraryView, itinerary_view, with_details

# Airports' days start up to 14 hours before or after UTC's: fetch a margin, then keep each airport's today.
_MARGIN = dt.timedelta(days=2)


@dataclass
class BoardRow:
    case: Case
    principal_name: str
    view: ItineraryView
    day: int  # 0 today, 1 tomorrow, at the departure airport
    missing: list[str] = field(default_factory=list)

    @property
    def traveller_count(self) -> int:
        return len(self.view.travellers)


def _missing(case: Case, view: ItineraryView) -> list[str]:
    """What still stands between this family and the plane, in short phrases for badges."""
    missing = []
    travellers = {m.pk for m in view.travellers}
    lacking = [m for m in travellers_without_document(case) if m.pk in travellers]
    if lacking:
        missing.append(_("travel document: %(names)s") % {"names": ", ".join(m.person.full_name for m in lacking)})
    if view.unticketed:
        missing.append(_("ticket: %(names)s") % {"names": ", ".join(m.person.full_name for m in view.unticketed)})
    check = view.latest_check
    if check is None:
        missing.append(_("pre-embarkation check not done"))
    elif not check.passed:
        missing.append(_("pre-embarkation check failed"))
    items = len(missing_items(case))
    if items:
        missing.append(
            ngettext("safeguarding: %(count)s item missing", "safeguarding: %(count)s items missing", items)
            % {"count": items}
        )
    missing += [
        _("assistance not confirmed: %(kind)s %(airport)s") % {"kind": _label(leg.kind), "airport": leg.airport}
        for leg in view.unarranged
    ]
    return missing


def _label(kind: str) -> str:
    return str(dict(AssistanceLeg.Kind.choices).get(kind, kind))


def _departing(user: Any, now: dt.datetime) -> QuerySet[Itinerary]:
    missions = permissions.mission_ids_with(user, Perm.ARRANGE_TRAVEL)
    ids = (
        Itinerary.objects.filter(status=Itinerary.Status.CONFIRMED, case__host_mission_id__in=missions)
        .annotate(first_departure=Min("segments__departs_at"))
        .filter(first_departure__gte=now - _MARGIN, first_departure__lte=now + _MARGIN + dt.timedelta(days=1))
        .values("pk")
    )
    return (
        with_details(Itinerary.objects.filter(pk__in=ids))
        .select_related("case")
        .prefetch_related(Prefetch("case__members", queryset=CaseMember.objects.select_related("person")))
    )


def day_board(user: Any, *, now: dt.datetime | None = None) -> list[BoardRow]:
    """Confirmed journeys of the user's missions whose first flight leaves today or tomorrow,
    by the departure airport's calendar, earliest first."""
    now = now or timezone.now()
    rows = []
    for itinerary in _departing(user, now):
        view = itinerary_view(itinerary, user)
        first = view.first
        if first is None:
            continue
        today_there = airports.at_airport(now, first.segment.origin_tz).date()
        day = (first.departs.date - today_there).days
        if day not in (0, 1):
            continue
        case = itinerary.case
        principal = case_selectors.principal_of(case)
        rows.append(BoardRow(case, principal.full_name if principal else "", view, day, _missing(case, view)))
    rows.sort(key=lambda r: r.view.first.segment.departs_at)  # type: ignore[union-attr]
    return rows


def overdue_document_requests(user: Any, *, today: dt.date | None = None) -> QuerySet[TravelDocumentRequest]:
    """Documents still awaited from an embassy after the date it gave, in the user's missions."""
    today = today or timezone.localdate()
    missions = permissions.mission_ids_with(user, Perm.ARRANGE_TRAVEL)
    return (
        TravelDocumentRequest.objects.filter(
            case__host_mission_id__in=missions,
            status=TravelDocumentRequest.Status.REQUESTED,
            expected_on__lt=today,
        )
        .select_related("case", "member__person")
        .order_by("expected_on", "pk")
    )
