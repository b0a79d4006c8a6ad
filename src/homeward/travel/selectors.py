"""Every read of travel, scoped to the user, with times shown as each airport's clock shows them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats

from homeward.accounts import permissions
from homeward.accounts.roles import Sensitivity
from homeward.cases import workflow
from homeward.cases.models import Case, CaseMember
from homeward.travel import airports, rules
from homeward.travel.models import (
    AssistanceLeg,
    Itinerary,
    PreDepartureCheck,
    Segment,
    SpecialNeed,
    Ticket,
    TravelDocumentRequest,
)

# Special needs that tell something about a person's health: shown only to those who may see medical facts.
MEDICAL_NEEDS = frozenset(
    {SpecialNeed.WHEELCHAIR, SpecialNeed.MEDICAL_ESCORT, SpecialNeed.STRETCHER, SpecialNeed.OXYGEN}
)


# ---------------------------------------------------------------- local times


@dataclass(frozen=True)
class LocalTime:
    """An instant as an airport's clock shows it. ``str()`` gives ``2026-12-01 10:00 EET``.

    Formatting happens when the template renders, so a letter rendered in
    Greek gets Greek day and month names.
    """

    at: dt.datetime  # aware, in the airport's zone
    zone_name: str

    @property
    def abbr(self) -> str:
        return airports.abbreviation(self.at)

    @property
    def offset(self) -> str:
        return airports.utc_offset(self.at)

    @property
    def date(self) -> dt.date:
        return self.at.date()

    @property
    def time(self) -> str:
        return f"{self.at:%H:%M} {self.abbr}"

    @property
    def long(self) -> str:
        return f"{formats.date_format(self.at, 'D j M Y, H:i')} {self.abbr}"

    @property
    def iso(self) -> str:
        """The wall-clock time without an offset, as typed: ``2026-12-01T10:00:00``."""
        return self.at.replace(tzinfo=None).isoformat()

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.abbr}"


def local_time(instant: dt.datetime, zone_name: str) -> LocalTime:
    return LocalTime(airports.at_airport(instant, zone_name), zone_name)


@dataclass(frozen=True)
class SegmentView:
    segment: Segment
    departs: LocalTime
    arrives: LocalTime

    @property
    def flight(self) -> str:
        return rules.flight(self.segment)

    @property
    def days_later(self) -> int:
        """+1 when the flight lands on the next calendar day at its destination."""
        return (self.arrives.date - self.departs.date).days

    @property
    def duration(self) -> str:
        minutes = int((self.segment.arrives_at - self.segment.departs_at).total_seconds() // 60)
        return f"{minutes // 60}h{minutes % 60:02d}"


def segment_view(segment: Segment) -> SegmentView:
    return SegmentView(
        segment,
        local_time(segment.departs_at, segment.origin_tz),
        local_time(segment.arrives_at, segment.destination_tz),
    )


# ---------------------------------------------------------------- a case's travel


def documents_of(case: Case) -> QuerySet[TravelDocumentRequest]:
    return case.travel_documents.select_related("member__person").order_by("requested_on", "pk")


def with_details(itineraries: QuerySet[Itinerary]) -> QuerySet[Itinerary]:
    """Itineraries with their segments, tickets, help, checks and travellers, in a fixed number of queries."""
    return itineraries.prefetch_related(
        Prefetch("segments", queryset=Segment.objects.order_by("position")),
        Prefetch("tickets", queryset=Ticket.objects.select_related("member__person")),
        Prefetch("assistance", queryset=AssistanceLeg.objects.select_related("mission")),
        Prefetch("checks", queryset=PreDepartureCheck.objects.select_related("checked_by")),
        Prefetch("travellers", queryset=CaseMember.objects.select_related("person")),
    )


def itineraries_of(case: Case) -> QuerySet[Itinerary]:
    """A case's itineraries with everything the travel page shows."""
    return with_details(case.itineraries.all()).order_by("created_at", "pk")


def can_see_medical(user: Any, case: Case) -> bool:
    return Sensitivity.MEDICAL in permissions.visible_sensitivities(user, case)


def special_needs_for(user: Any, case: Case, itinerary: Itinerary) -> tuple[list[str], bool]:
    """The itinerary's special needs the user may see, and whether some were left out."""
    labels = dict(SpecialNeed.choices)
    medical = can_see_medical(user, case)
    shown = [str(labels.get(n, n)) for n in itinerary.special_needs if medical or n not in MEDICAL_NEEDS]
    return shown, len(shown) < len(itinerary.special_needs)


@dataclass
class LegView:
    kind: str
    airport: str
    leg: AssistanceLeg | None

    @property
    def arranged(self) -> bool:
        return self.leg is not None and self.leg.status in rules.ARRANGED

    @property
    def label(self) -> str:
        return str(AssistanceLeg.Kind(self.kind).label)


@dataclass
class ItineraryView:
    """An itinerary as pages show it: segments in local time, help at each leg, what is missing."""

    itinerary: Itinerary
    segments: list[SegmentView]
    legs: list[LegView]
    extra_legs: list[AssistanceLeg]  # help at an airport the route no longer passes
    tickets: list[Ticket]
    travellers: list[CaseMember]
    unticketed: list[CaseMember]
    latest_check: PreDepartureCheck | None
    special_needs: list[str] = field(default_factory=list)
    needs_withheld: bool = False

    @property
    def route(self) -> list[str]:
        return rules.route([s.segment for s in self.segments])

    @property
    def first(self) -> SegmentView | None:
        return self.segments[0] if self.segments else None

    @property
    def last(self) -> SegmentView | None:
        return self.segments[-1] if self.segments else None

    @property
    def unarranged(self) -> list[LegView]:
        return [leg for leg in self.legs if not leg.arranged]


def itinerary_view(itinerary: Itinerary, user: Any = None) -> ItineraryView:
    """Built from prefetched relations (``itineraries_of``); no query of its own beyond them."""
    segments = sorted(itinerary.segments.all(), key=lambda s: (s.departs_at, s.pk))
    assistance = list(itinerary.assistance.all())
    by_leg = {(leg.kind, leg.airport): leg for leg in assistance}
    needed = rules.needed_legs(segments)
    tickets = list(itinerary.tickets.all())
    travellers = list(itinerary.travellers.all())
    ticketed = {t.member_id for t in tickets}
    checks = sorted(itinerary.checks.all(), key=lambda c: (c.checked_at, c.pk))
    needs, withheld = special_needs_for(user, itinerary.case, itinerary) if user is not None else ([], False)
    return ItineraryView(
        itinerary=itinerary,
        segments=[segment_view(s) for s in segments],
        legs=[LegView(kind, code, by_leg.get((kind, code))) for kind, code in needed],
        extra_legs=[leg for leg in assistance if (leg.kind, leg.airport) not in set(needed)],
        tickets=tickets,
        travellers=travellers,
        unticketed=[m for m in travellers if m.pk not in ticketed],
        latest_check=checks[-1] if checks else None,
        special_needs=needs,
        needs_withheld=withheld,
    )


def itinerary_for_case(case: Case, itinerary_id: int) -> Itinerary:
    """One of a case already scoped to the user, with its relations, or 404."""
    return get_object_or_404(itineraries_of(case), pk=itinerary_id)


def journey_end(case: Case) -> dt.date | None:
    """The local date the confirmed journey lands at its destination, if one is confirmed."""
    itinerary = workflow.confirmed_itinerary(case)
    if itinerary is None or not itinerary.segments.exists():
        return None
    return workflow.travel_date(case)


def confirmed_view(case: Case, user: Any = None) -> ItineraryView | None:
    itinerary = itineraries_of(case).filter(status=Itinerary.Status.CONFIRMED).last()
    return itinerary_view(itinerary, user) if itinerary else None


@dataclass
class TravellerDocuments:
    member: CaseMember
    requests: list[TravelDocumentRequest]
    valid: bool


def documents_by_traveller(case: Case, members: list[CaseMember] | None = None) -> list[TravellerDocuments]:
    """Each member's document requests, and whether they hold a document valid for the journey."""
    members = members if members is not None else list(case.members.select_related("person"))
    requests = list(documents_of(case))
    lacking = {m.pk for m in workflow.travellers_without_document(case)}
    return [TravellerDocuments(m, [r for r in requests if r.member_id == m.pk], m.pk not in lacking) for m in members]
