"""Segments: local times at each airport made into instants, kept in time order, connecting."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.travel import airports, rules
from homeward.travel.models import Itinerary, Segment
from homeward.travel.services.common import lock, require_draft, require_travel


def _airport(code: str, field: str, errors: dict[str, list[str]]) -> airports.Airport | None:
    found = airports.lookup(code)
    if found is None:
        errors[field] = [_("%(code)s is not a known IATA airport code.") % {"code": (code or "").upper() or "—"}]
    return found


def _instant(
    local: dt.datetime | None, airport: airports.Airport | None, field: str, errors: dict
) -> dt.datetime | None:
    if local is None:
        errors[field] = [_("Give the local date and time.")]
        return None
    if airport is None:
        return None
    try:
        rules.plausible_travel_time(local)
    except ValidationError as error:
        errors[field] = error.messages
        return None
    try:
        return airports.make_aware(local, airport.tz)
    except airports.NonexistentLocalTime:
        errors[field] = [
            _("%(time)s does not exist at %(airport)s: the clocks go forward then.")
            % {"time": f"{local:%Y-%m-%d %H:%M}", "airport": airport.code}
        ]
        return None


def _renumber(itinerary: Itinerary, ordered: list[Segment]) -> None:
    """Give the saved segments positions 1, 2, … in time order.

    Positions are unique per itinerary, so rows move out of the way first.
    """
    saved = [s for s in ordered if s.pk is not None]
    if [s.position for s in ordered] == list(range(1, len(ordered) + 1)):
        return
    parked = 1000 + max((s.position for s in saved), default=0)
    for i, s in enumerate(saved):
        Segment.objects.filter(pk=s.pk).update(position=parked + i)
    for i, s in enumerate(ordered, start=1):
        s.position = i
        if s.pk is not None:
            Segment.objects.filter(pk=s.pk).update(position=i)


@service
def segment_add(
    *,
    acting_user: User,
    itinerary: Itinerary,
    carrier: str,
    number: str,
    origin: str,
    destination: str,
    departs_local: dt.datetime | None,
    arrives_local: dt.datetime | None,
) -> Segment:
    """Add a flight or leg, with times as the airports' clocks show them.

    Rule: known IATA airports; it arrives after it departs; it connects with the
    flights before and after it (same airport, at least 45 minutes to change);
    segments are kept in time order; only while the itinerary is a draft.
    """
    case = itinerary.case
    require_travel(acting_user, case)
    lock(itinerary)
    require_draft(itinerary)
    errors: dict[str, list[str]] = {}
    carrier, number = (carrier or "").strip(), (number or "").strip().upper()
    if not carrier:
        errors["carrier"] = [_("Name the carrier.")]
    if not number:
        errors["number"] = [_("Give the flight or route number.")]
    origin_airport = _airport(origin, "origin", errors)
    destination_airport = _airport(destination, "destination", errors)
    if origin_airport and destination_airport and origin_airport.code == destination_airport.code:
        errors["destination"] = [_("The segment departs from and arrives at the same airport.")]
    departs = _instant(departs_local, origin_airport, "departs_local", errors)
    arrives = _instant(arrives_local, destination_airport, "arrives_local", errors)
    if errors or not (origin_airport and destination_airport and departs and arrives):
        raise ServiceError(_("The segment could not be saved: check the fields marked."), errors)
    if arrives <= departs:
        message = _(
            "The segment arrives before it departs: it leaves %(origin)s at %(departs)s and lands at "
            "%(destination)s at %(arrives)s."
        ) % {
            "origin": origin_airport.code,
            "departs": rules.local_text(departs, origin_airport.tz),
            "destination": destination_airport.code,
            "arrives": rules.local_text(arrives, destination_airport.tz),
        }
        raise ServiceError(message, {"arrives_local": [_("The arrival must be after the departure.")]})
    segment = Segment(
        itinerary=itinerary,
        position=0,
        carrier=carrier,
        number=number,
        origin=origin_airport.code,
        destination=destination_airport.code,
        origin_tz=origin_airport.tz,
        destination_tz=destination_airport.tz,
        departs_at=departs.astimezone(dt.UTC),
        arrives_at=arrives.astimezone(dt.UTC),
    )
    ordered = rules.in_time_order([*itinerary.segments.all(), segment])
    here = ordered.index(segment)
    neighbours = []
    if here > 0:
        neighbours.append((ordered[here - 1], segment))
    if here + 1 < len(ordered):
        neighbours.append((segment, ordered[here + 1]))
    for earlier, later in neighbours:
        broken = rules.connection_break(earlier, later)
        if broken:
            if later is segment:
                field = "departs_local" if broken.same_airport else "origin"
            else:
                field = "arrives_local" if broken.same_airport else "destination"
            raise ServiceError(broken.message, {field: [broken.message]})
    with about_case(case.pk):
        _renumber(itinerary, ordered)  # type: ignore[arg-type]
        segment.save()
    return segment


@service
def segment_remove(*, acting_user: User, segment: Segment) -> None:
    """Take a segment out of a draft itinerary; the others close up in time order."""
    itinerary = segment.itinerary
    require_travel(acting_user, itinerary.case)
    lock(itinerary)
    require_draft(itinerary)
    with about_case(itinerary.case_id):
        segment.delete()
        _renumber(itinerary, list(itinerary.segments.order_by("departs_at", "pk")))
