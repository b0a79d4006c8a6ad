"""Demo cases along the journey home: counselled, declared, booked, flying today, arrived.

Every step goes through the same services a counsellor or a movement officer
uses, so the demo's timelines, tasks, day board and histories are real.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases import referrals, workflow
from homeward.cases import services as cases
from homeward.cases.models import Case, CaseStatus
from homeward.counselling import services as counselling
from homeward.demo import money
from homeward.demo.directory import embassy_for
from homeward.safeguarding import services as safeguarding
from homeward.safeguarding.selectors import missing_items
from homeward.travel import airports
from homeward.travel import services as travel

S = CaseStatus
# How far along the demo takes an eligible, registered case (weights).
STAGES = {
    S.REGISTERED: 23,
    S.IN_COUNSELLING: 14,
    S.RETURN_DECLARED: 8,
    S.TRAVEL_PREPARATION: 10,
    S.TRAVEL_BOOKED: 12,
    S.DEPARTED: 5,
    S.ARRIVED: 14,
    S.REINTEGRATION_PLANNING: 8,
    S.WITHDRAWN: 4,
    S.NO_SHOW: 2,
}
ORDER = [S.IN_COUNSELLING, S.RETURN_DECLARED, S.TRAVEL_PREPARATION, S.TRAVEL_BOOKED, S.DEPARTED, S.ARRIVED,
         S.REINTEGRATION_PLANNING]  # fmt: skip
# A demo "signed scan": the smallest file that is a PDF.
SIGNED_SCAN = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Routes home from each host's capital, with a transit where there usually is one.
HUBS = {"GR": "ATH", "RO": "OTP", "SK": "BTS", "HU": "BUD"}
DESTINATIONS = {"PK": "ISB", "AF": "KBL", "IQ": "BGW", "GE": "TBS", "NG": "LOS", "BD": "DAC", "MA": "CMN"}


@dataclass
class Crew:
    """Who does each part of the work for a host mission in the demo."""

    counsellor: User
    supervisor: User
    movement: User
    receiver: User | None  # an officer of the origin mission, where the demo has one
    finance: User | None = None  # pays cash at the host mission, where the demo has one
    # The origin mission's supervisor and finance officer, and its vetted suppliers.
    origin_supervisor: User | None = None
    origin_finance: User | None = None
    suppliers: list[Any] = field(default_factory=list)


def advance(case: Case, crew: Crew, missions: dict[str, Mission], rng: random.Random) -> None:
    """Take an eligible case to a stage drawn from ``STAGES``."""
    stage = rng.choices(list(STAGES), weights=list(STAGES.values()))[0]
    if stage == S.REGISTERED:
        return
    if stage == S.WITHDRAWN:
        _counsel(case, crew, rng)
        cases.case_transition(acting_user=crew.counsellor, case=case, to=S.WITHDRAWN,
                              note="Decided to stay: a relative found work for him here.")  # fmt: skip
        return
    target = S.TRAVEL_BOOKED if stage == S.NO_SHOW else stage
    steps = ORDER[: ORDER.index(target) + 1]
    # Those who already flew left up to three weeks ago; the others fly in the coming days.
    flown = target in (S.DEPARTED, S.ARRIVED, S.REINTEGRATION_PLANNING)
    departs = timezone.localdate() + dt.timedelta(days=-rng.randint(1, 20) if flown else rng.randint(0, 4))
    if target == S.DEPARTED:
        departs = timezone.localdate()
    for status in steps:
        if status == S.TRAVEL_BOOKED and workflow.authority_approval(case, workflow.Attempt(crew.movement)):
            return  # the programme waits for the authority's approval before booking
        _STEP[status](case, crew, missions, rng, departs)
    if stage == S.NO_SHOW:
        cases.case_transition(acting_user=crew.movement, case=case, to=S.NO_SHOW,
                              note="Did not come to the airport; phone switched off.")  # fmt: skip


def _move(case: Case, user: User, to: str, note: str = "", **details: str) -> None:
    cases.case_transition(acting_user=user, case=case, to=to, note=note, details=details)


def _counsel(case: Case, crew: Crew, rng: random.Random, departs: dt.date | None = None) -> None:
    if case.status == S.REGISTERED:
        _move(case, crew.counsellor, S.IN_COUNSELLING)
    members = list(case.members.all())
    held_on = timezone.localdate() - dt.timedelta(days=rng.randint(1, 10))
    counselling.session_record(
        acting_user=crew.counsellor, case=case, held_on=held_on, mode=rng.choice(["in_person", "phone", "reception"]),
        language="en", interpretation="interpreter", interpreter_name="Demo interpreter", attendees=members,
        topics=["return_process", "reintegration", "rights"], outcome="continue",
        questions="How long does the travel document take?", next_steps="Talk it over with the family.",
    )  # fmt: skip


def _decide(case: Case, crew: Crew, missions: dict[str, Mission], rng: random.Random, departs: dt.date) -> None:
    counselling.session_record(
        acting_user=crew.counsellor, case=case, held_on=timezone.localdate(), mode="in_person", language="en",
        attendees=list(case.members.all()), topics=["return_process", "reintegration", "health", "family"],
        outcome="wants_to_return", informed_decision=True, next_steps="Prepare the declaration.",
    )  # fmt: skip
    _move(case, crew.counsellor, S.RETURN_DECLARED)


def _declare(case: Case, crew: Crew, missions: dict[str, Mission], rng: random.Random, departs: dt.date) -> None:
    from homeward.cases.workflow import adults

    declaration = counselling.declaration_generate(
        acting_user=crew.counsellor, case=case, language="en", consent_processing=True, consent_sharing=True
    )
    counselling.declaration_upload_scan(
        acting_user=crew.counsellor, declaration=declaration, file=ContentFile(SIGNED_SCAN, name="signed.pdf"),
        signed_on=timezone.localdate(), signatories=adults(case),
    )  # fmt: skip
    _move(case, crew.counsellor, S.TRAVEL_PREPARATION)
    origin = missions.get(case.destination_country.code)
    if origin is not None and case.referred_to_mission_id is None:
        referral = referrals.referral_send(acting_user=crew.supervisor, case=case, mission=origin)
        if crew.receiver and crew.receiver.memberships.filter(mission=origin).exists() and rng.random() < 0.8:
            referrals.referral_accept(acting_user=crew.receiver, referral=referral)
            case.refresh_from_db()


def _book(case: Case, crew: Crew, missions: dict[str, Mission], rng: random.Random, departs: dt.date) -> None:
    from homeward.cases.workflow import travellers_without_document

    embassy = embassy_for(case.host_mission_id, case.host_mission.code, case.destination_country.code)
    # Valid until the journey ends, not only today: a passport may expire between now and the flight.
    for member in travellers_without_document(case, on=departs + dt.timedelta(days=1)):
        requested = departs - dt.timedelta(days=rng.randint(22, 35))  # embassies differ: see their turnaround
        issued = min(requested + dt.timedelta(days=rng.randint(5, 18)), departs - dt.timedelta(days=3),
                     timezone.localdate())  # fmt: skip
        request = travel.travel_document_request(
            acting_user=crew.movement, case=case, member=member, kind="laissez_passer", embassy=embassy,
            requested_on=requested, expected_on=requested + dt.timedelta(days=14),
        )  # fmt: skip
        travel.travel_document_update(
            acting_user=crew.movement, request=request, status="issued", issued_on=issued,
            number=f"LP{rng.randint(100000, 999999)}", expires_on=departs + dt.timedelta(days=90),
        )  # fmt: skip
    for required in missing_items(case):
        safeguarding.item_record(
            acting_user=crew.counsellor, case=case, member=required.member, vulnerability=required.vulnerability,
            item=required.item, done_on=timezone.localdate(), evidence="Assessment on file (demo).",
        )  # fmt: skip
    itinerary = travel.itinerary_create(
        acting_user=crew.movement, case=case, booking_reference=f"DEMO{case.pk:04d}", baggage_allowance="23 kg",
        onward_transport="Met by the mission and driven home.", final_address=case.destination_place,
    )  # fmt: skip
    hub, home = HUBS[case.host_mission.code], DESTINATIONS.get(case.destination_country.code, "IST")
    # Flight times are drawn in UTC and typed as each airport's local time, as a booking shows them.
    leaves = airports.make_aware(dt.datetime.combine(departs, dt.time(rng.choice([6, 9, 11, 14]))),
                                 airports.lookup(hub).tz)  # fmt: skip
    legs = [(hub, "IST", leaves, leaves + dt.timedelta(hours=2, minutes=30)),
            ("IST", home, leaves + dt.timedelta(hours=4), leaves + dt.timedelta(hours=9))]  # fmt: skip
    for n, (origin, destination, up, down) in enumerate(legs, start=1):
        travel.segment_add(
            acting_user=crew.movement, itinerary=itinerary, carrier="Turkish Airlines",
            number=f"TK{rng.randint(100, 999)}{n}", origin=origin, destination=destination,
            departs_local=airports.at_airport(up, airports.lookup(origin).tz).replace(tzinfo=None),
            arrives_local=airports.at_airport(down, airports.lookup(destination).tz).replace(tzinfo=None),
        )  # fmt: skip
    for member in case.members.all():
        travel.ticket_add(acting_user=crew.movement, itinerary=itinerary, member=member,
                          number=f"235{rng.randint(10**9, 10**10 - 1)}", cost="385.00", currency="EUR")  # fmt: skip
    for kind, airport, mission in (("departure", hub, case.host_mission), ("transit", "IST", case.host_mission),
                                   ("arrival", home, case.referred_to_mission or case.host_mission)):  # fmt: skip
        travel.assistance_add(acting_user=crew.movement, itinerary=itinerary, kind=kind, airport=airport,
                              mission=mission, meeting_point="IOM desk", status="confirmed")  # fmt: skip
    travel.itinerary_confirm(acting_user=crew.movement, itinerary=itinerary)
    _move(case, crew.movement, S.TRAVEL_BOOKED)
    money.cash_before_departure(case, crew.counsellor, crew.supervisor, crew.finance)


def _depart(case: Case, crew: Crew, missions: dict[str, Mission], rng: random.Random, departs: dt.date) -> None:
    itinerary = case.itineraries.get(status="confirmed")
    first = itinerary.segments.first()
    travel.pre_departure_check_record(
        acting_user=crew.movement, itinerary=itinerary, checked_at=min(timezone.now(), first.departs_at)
        - dt.timedelta(hours=30), fit_to_travel=True, documents_in_order=True, still_willing=True,
    )  # fmt: skip
    _move(case, crew.movement, S.DEPARTED)


def _arrive(case: Case, crew: Crew, missions: dict[str, Mission], rng: random.Random, departs: dt.date) -> None:
    if crew.receiver and case.referred_to_mission_id == crew.receiver.memberships.first().mission_id:
        _move(case, crew.receiver, S.ARRIVED, confirmed_by="origin_mission")
        if crew.origin_supervisor and crew.origin_finance:
            money.reintegration(case, crew.receiver, crew.origin_supervisor, crew.origin_finance, crew.suppliers, rng)
    else:
        _move(case, crew.movement, S.ARRIVED, "The returnee called from home.", confirmed_by="traveller_contact")


def _plan(case: Case, crew: Crew, missions: dict[str, Mission], rng: random.Random, departs: dt.date) -> None:
    if crew.receiver and case.referred_to_mission_id == crew.receiver.memberships.first().mission_id:
        _move(case, crew.receiver, S.REINTEGRATION_PLANNING)


_STEP: dict[str, Any] = {
    S.IN_COUNSELLING: lambda case, crew, missions, rng, departs: _counsel(case, crew, rng),
    S.RETURN_DECLARED: _decide,
    S.TRAVEL_PREPARATION: _declare,
    S.TRAVEL_BOOKED: _book,
    S.DEPARTED: _depart,
    S.ARRIVED: _arrive,
    S.REINTEGRATION_PLANNING: _plan,
}
