"""Assistance at departure, at each transit airport and on arrival."""

from __future__ import annotations

from django.utils.translation import gettext as _

from homeward.accounts.models import Mission, User
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.travel import rules
from homeward.travel.models import AssistanceLeg, Itinerary, Segment
from homeward.travel.services.common import lock, refuse, require_travel
from homeward.work import services as work
from homeward.work.models import TaskKind

_ASSISTED = {Itinerary.Status.DRAFT, Itinerary.Status.CONFIRMED, Itinerary.Status.DEPARTED}


def _check_leg(*, status: str, mission: Mission | None, outcome: str, errors: dict[str, list[str]]) -> None:
    if status not in AssistanceLeg.Status.values:
        errors["status"] = [_("Choose a status from the list.")]
    if mission is None:
        errors["mission"] = [_("Choose the mission that provides the assistance.")]
    if status == AssistanceLeg.Status.NOT_PROVIDED and not outcome:
        errors["outcome"] = [_("Say what happened.")]


def _airport_for_kind(kind: str, airport: str, segments: list[Segment], errors: dict[str, list[str]]) -> None:
    expected = rules.airports_for(kind, segments)
    if airport in expected:
        return
    if kind == rules.DEPARTURE:
        errors["airport"] = [
            _("Departure assistance is at %(airport)s, where the journey starts.") % {"airport": expected[0]}
        ]
    elif kind == rules.ARRIVAL:
        errors["airport"] = [
            _("Arrival assistance is at %(airport)s, where the journey ends.") % {"airport": expected[0]}
        ]
    elif expected:
        errors["airport"] = [
            _("%(airport)s is not a transit airport of this journey (transit at %(airports)s).")
            % {"airport": airport or "—", "airports": ", ".join(expected)}
        ]
    else:
        errors["airport"] = [_("This journey has no transit airport.")]


def _settle_assistance_task(itinerary: Itinerary, acting_user: User) -> None:
    """Help confirmed at every leg of the booked journey is the work the assistance task asked for."""
    if itinerary.status != Itinerary.Status.CONFIRMED:
        return
    segments = list(itinerary.segments.all())
    if segments and not rules.unarranged(segments, itinerary.assistance.all()):
        work.task_done_for(case=itinerary.case, kind=TaskKind.ARRANGE_ASSISTANCE, by=acting_user)


@service
def assistance_add(
    *,
    acting_user: User,
    itinerary: Itinerary,
    kind: str,
    airport: str,
    mission: Mission | None,
    meeting_point: str = "",
    contact: str = "",
    status: str = AssistanceLeg.Status.REQUESTED,
    outcome: str = "",
) -> AssistanceLeg:
    """Arrange help at departure, at a transit airport or on arrival.

    Rule: at an airport of the route that fits the kind (the first origin, an
    intermediate airport, the final destination), once per leg, by a mission.
    """
    case = itinerary.case
    require_travel(acting_user, case)
    lock(itinerary)
    if itinerary.status not in _ASSISTED:
        raise ServiceError(
            _("This itinerary is %(status)s: no assistance is arranged for it.")
            % {"status": itinerary.get_status_display()}
        )
    segments = list(itinerary.segments.all())
    if not segments:
        raise ServiceError(_("Add the segments first: assistance is arranged at the journey's airports."))
    errors: dict[str, list[str]] = {}
    airport = (airport or "").strip().upper()
    meeting_point, contact, outcome = (meeting_point or "").strip(), (contact or "").strip(), (outcome or "").strip()
    if kind not in AssistanceLeg.Kind.values:
        errors["kind"] = [_("Choose departure, transit or arrival.")]
    else:
        _airport_for_kind(kind, airport, segments, errors)
    _check_leg(status=status, mission=mission, outcome=outcome, errors=errors)
    refuse(_("The assistance could not be saved: check the fields marked."), errors)
    if itinerary.assistance.filter(kind=kind, airport=airport).exists():
        message = _("Assistance at %(airport)s is already arranged: change it instead.") % {"airport": airport}
        raise ServiceError(message, {"airport": [message]})
    with about_case(case.pk):
        leg = AssistanceLeg.objects.create(
            itinerary=itinerary,
            kind=kind,
            airport=airport,
            mission=mission,
            meeting_point=meeting_point,
            contact=contact,
            status=status,
            outcome=outcome,
        )
    _settle_assistance_task(itinerary, acting_user)
    return leg


@service
def assistance_update(
    *,
    acting_user: User,
    leg: AssistanceLeg,
    mission: Mission | None,
    meeting_point: str = "",
    contact: str = "",
    status: str,
    outcome: str = "",
) -> AssistanceLeg:
    """Change who helps, where to meet, and record what happened. Rule: help not given says why."""
    itinerary = leg.itinerary
    require_travel(acting_user, itinerary.case)
    lock(itinerary)
    if itinerary.status not in _ASSISTED:
        raise ServiceError(
            _("This itinerary is %(status)s: its assistance can no longer change.")
            % {"status": itinerary.get_status_display()}
        )
    errors: dict[str, list[str]] = {}
    values = {
        "mission": mission,
        "meeting_point": (meeting_point or "").strip(),
        "contact": (contact or "").strip(),
        "status": status,
        "outcome": (outcome or "").strip(),
    }
    _check_leg(status=status, mission=mission, outcome=values["outcome"], errors=errors)
    refuse(_("The assistance could not be saved: check the fields marked."), errors)
    changed = [name for name, value in values.items() if getattr(leg, name) != value]
    for name in changed:
        setattr(leg, name, values[name])
    if changed:
        with about_case(itinerary.case_id):
            leg.save(update_fields=changed)
    _settle_assistance_task(itinerary, acting_user)
    return leg


@service
def assistance_remove(*, acting_user: User, leg: AssistanceLeg) -> None:
    """Drop help that is no longer needed (e.g. the route changed); only before departure."""
    itinerary = leg.itinerary
    require_travel(acting_user, itinerary.case)
    lock(itinerary)
    if itinerary.status not in {Itinerary.Status.DRAFT, Itinerary.Status.CONFIRMED}:
        raise ServiceError(
            _("This itinerary is %(status)s: its assistance is kept as a record.")
            % {"status": itinerary.get_status_display()}
        )
    with about_case(itinerary.case_id):
        leg.delete()
