"""Pure rules of a journey: which airports it passes, whether its flights connect, where help is due.

No database here: the services and selectors hand in the segments and legs they read.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.utils.translation import gettext as _

from homeward.travel import airports

# The shortest change of flights a traveller with an escort or a family can make safely.
MIN_CONNECTION = dt.timedelta(minutes=45)
# The pre-embarkation check is done at most this long before the first departure.
CHECK_WINDOW = dt.timedelta(hours=72)

DEPARTURE, TRANSIT, ARRIVAL = "departure", "transit", "arrival"
# Help that counts as arranged for the day board and the assistance task.
ARRANGED = frozenset({"confirmed", "provided"})


class SegmentLike(Protocol):
    carrier: str
    number: str
    origin: str
    destination: str
    origin_tz: str
    destination_tz: str
    departs_at: dt.datetime
    arrives_at: dt.datetime


def local_text(instant: dt.datetime, tz_name: str) -> str:
    """``2026-12-01 10:00 EET``: a time as the airport's clock shows it, with the zone."""
    local = airports.at_airport(instant, tz_name)
    return f"{local:%Y-%m-%d %H:%M} {airports.abbreviation(local)}"


def flight(segment: SegmentLike) -> str:
    return f"{segment.carrier} {segment.number}".strip()


def in_time_order(segments: Iterable[SegmentLike]) -> list[SegmentLike]:
    return sorted(segments, key=lambda s: (s.departs_at, s.arrives_at))


@dataclass(frozen=True)
class Break:
    """Two flights in a row that do not connect, and what the person must be told."""

    earlier: SegmentLike
    later: SegmentLike
    same_airport: bool
    message: str


def connection_break(earlier: SegmentLike, later: SegmentLike) -> Break | None:
    """Why ``later`` cannot follow ``earlier``, or ``None`` when the traveller can make it."""
    if earlier.destination != later.origin:
        message = _(
            "The flights do not connect: %(first)s lands at %(arrival_airport)s at %(arrives)s, "
            "but %(second)s departs from %(departure_airport)s."
        ) % {
            "first": flight(earlier),
            "arrival_airport": earlier.destination,
            "arrives": local_text(earlier.arrives_at, earlier.destination_tz),
            "second": flight(later),
            "departure_airport": later.origin,
        }
        return Break(earlier, later, False, message)
    if later.departs_at < earlier.arrives_at + MIN_CONNECTION:
        message = _(
            "The flights do not connect: %(first)s lands at %(airport)s at %(arrives)s and %(second)s "
            "departs from %(airport)s at %(departs)s; a change of flights needs at least %(minutes)s minutes."
        ) % {
            "first": flight(earlier),
            "second": flight(later),
            "airport": earlier.destination,
            "arrives": local_text(earlier.arrives_at, earlier.destination_tz),
            "departs": local_text(later.departs_at, later.origin_tz),
            "minutes": int(MIN_CONNECTION.total_seconds() // 60),
        }
        return Break(earlier, later, True, message)
    return None


def first_break(segments: Sequence[SegmentLike]) -> Break | None:
    ordered = in_time_order(segments)
    for earlier, later in itertools.pairwise(ordered):
        found = connection_break(earlier, later)
        if found:
            return found
    return None


def route(segments: Sequence[SegmentLike]) -> list[str]:
    """The airports in the order the traveller passes them: ATH, IST, ISB."""
    ordered = in_time_order(segments)
    if not ordered:
        return []
    return [ordered[0].origin, *(s.destination for s in ordered)]


def needed_legs(segments: Sequence[SegmentLike]) -> list[tuple[str, str]]:
    """Where help is due: ``(kind, airport)`` at departure, at each transit, on arrival."""
    airports_ = route(segments)
    if not airports_:
        return []
    return [
        (DEPARTURE, airports_[0]),
        *((TRANSIT, code) for code in airports_[1:-1]),
        (ARRIVAL, airports_[-1]),
    ]


def airports_for(kind: str, segments: Sequence[SegmentLike]) -> list[str]:
    return [code for k, code in needed_legs(segments) if k == kind]


def unarranged(segments: Sequence[SegmentLike], legs: Iterable[Any]) -> list[tuple[str, str]]:
    """The legs with no help, or with help not yet confirmed."""
    arranged = {(leg.kind, leg.airport) for leg in legs if leg.status in ARRANGED}
    return [need for need in needed_legs(segments) if need not in arranged]


def check_window(first_departure: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return first_departure - CHECK_WINDOW, first_departure


# Journeys are booked within this century; a year like 0001 or 9999 is a typing slip
# (and beyond what time-zone arithmetic can shift).
FIRST_YEAR, LAST_YEAR = 2000, 2099
T = TypeVar("T", dt.date, dt.datetime)


def plausible_travel_time(value: T) -> T:
    """``value`` (a date or datetime) if its year is one a journey can have; ValidationError otherwise."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="out_of_range",
        )
    return value
