"""Tickets for the case's travellers only, and help at the airports of the route."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.travel import services
from homeward.travel.models import Itinerary
from homeward.work import services as work
from homeward.work.models import Task, TaskKind
from tests.travel.conftest import members_of

pytestmark = pytest.mark.django_db


def ticket(user: User, itinerary: Itinerary, member: object, **extra: object) -> object:
    values: dict[str, object] = {"number": "235 1234567890", "cost": Decimal("412.50"), "currency": "eur"}
    values.update(extra)
    return services.ticket_add(acting_user=user, itinerary=itinerary, member=member, **values)  # type: ignore[arg-type]


def test_a_ticket_is_recorded_with_its_cost(movement_gr: User, draft: Itinerary) -> None:
    t = ticket(movement_gr, draft, members_of(draft.case)["Imran"])
    assert (t.number, t.cost, t.currency) == ("2351234567890", Decimal("412.50"), "EUR")  # type: ignore[attr-defined]


def test_a_ticket_for_a_person_not_in_the_case_is_refused(movement_gr: User, draft: Itinerary, case_ro: Case) -> None:
    with pytest.raises(ServiceError) as refused:
        ticket(movement_gr, draft, members_of(case_ro)["Imran"])
    assert refused.value.message.startswith(f"Imran Popal is not in case {draft.case.reference}")
    assert "member" in refused.value.fields
    assert not draft.tickets.exists()


def test_a_ticket_is_for_a_traveller_of_this_itinerary(movement_gr: User, preparing: Case) -> None:
    people = members_of(preparing)
    itinerary = services.itinerary_create(acting_user=movement_gr, case=preparing, travellers=[people["Imran"]])
    with pytest.raises(ServiceError, match="Sana Khan is not a traveller on this itinerary"):
        ticket(movement_gr, itinerary, people["Sana"])


def test_one_ticket_per_traveller(movement_gr: User, draft: Itinerary) -> None:
    imran = members_of(draft.case)["Imran"]
    ticket(movement_gr, draft, imran)
    with pytest.raises(ServiceError, match="already has a ticket"):
        ticket(movement_gr, draft, imran, number="999")


@pytest.mark.parametrize(
    ("cost", "currency", "fields"),
    [
        (Decimal("-1"), "EUR", {"cost"}),
        (Decimal("10.005"), "EUR", {"cost"}),
        ("ten", "EUR", {"cost"}),
        (Decimal("10"), "EURO", {"currency"}),
        (Decimal("10"), "XQQ", {"currency"}),
    ],
)
def test_cost_and_currency_are_checked(
    movement_gr: User, draft: Itinerary, cost: object, currency: str, fields: set[str]
) -> None:
    with pytest.raises(ServiceError) as refused:
        ticket(movement_gr, draft, members_of(draft.case)["Imran"], cost=cost, currency=currency)
    assert set(refused.value.fields) == fields


def leg(user: User, itinerary: Itinerary, kind: str, airport: str, mission: Mission, **extra: object) -> object:
    return services.assistance_add(
        acting_user=user,
        itinerary=itinerary,
        kind=kind,
        airport=airport,
        mission=mission,
        **extra,  # type: ignore[arg-type]
    )


def test_assistance_at_each_airport_of_the_route(movement_gr: User, draft: Itinerary, gr: Mission, pk: Mission) -> None:
    leg(movement_gr, draft, "departure", "ATH", gr, meeting_point="Check-in row 5")
    leg(movement_gr, draft, "transit", "ist", gr, contact="IOM Türkiye desk")
    arrival = leg(movement_gr, draft, "arrival", "ISB", pk, meeting_point="Arrivals hall, IOM sign")
    assert arrival.airport == "ISB"  # type: ignore[attr-defined]
    assert draft.assistance.count() == 3


@pytest.mark.parametrize(
    ("kind", "airport", "expected"),
    [
        ("departure", "IST", "Departure assistance is at ATH"),
        ("arrival", "IST", "Arrival assistance is at ISB"),
        ("transit", "ATH", "ATH is not a transit airport of this journey (transit at IST)"),
        ("transit", "LHE", "LHE is not a transit airport"),
    ],
)
def test_assistance_must_be_at_the_airport_its_kind_is_for(
    movement_gr: User, draft: Itinerary, gr: Mission, kind: str, airport: str, expected: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        leg(movement_gr, draft, kind, airport, gr)
    assert refused.value.fields["airport"][0].startswith(expected)


def test_a_direct_flight_has_no_transit(movement_gr: User, preparing: Case, gr: Mission) -> None:
    from tests.travel.conftest import at

    itinerary = services.itinerary_create(acting_user=movement_gr, case=preparing)
    services.segment_add(acting_user=movement_gr, itinerary=itinerary, carrier="PIA", number="PK764", origin="ATH",
                         destination="LHE", departs_local=at(2026, 12, 1, 10), arrives_local=at(2026, 12, 1, 21))  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        leg(movement_gr, itinerary, "transit", "ATH", gr)
    assert refused.value.fields["airport"] == ["This journey has no transit airport."]


def test_assistance_needs_a_route_first(movement_gr: User, preparing: Case, gr: Mission) -> None:
    itinerary = services.itinerary_create(acting_user=movement_gr, case=preparing)
    with pytest.raises(ServiceError, match="Add the segments first"):
        leg(movement_gr, itinerary, "departure", "ATH", gr)


def test_assistance_is_arranged_once_per_leg(movement_gr: User, draft: Itinerary, gr: Mission) -> None:
    leg(movement_gr, draft, "departure", "ATH", gr)
    with pytest.raises(ServiceError, match="already arranged"):
        leg(movement_gr, draft, "departure", "ATH", gr)


def test_help_not_given_says_what_happened(movement_gr: User, draft: Itinerary, gr: Mission) -> None:
    departure = leg(movement_gr, draft, "departure", "ATH", gr)
    with pytest.raises(ServiceError) as refused:
        services.assistance_update(acting_user=movement_gr, leg=departure, mission=gr, status="not_provided")  # type: ignore[arg-type]
    assert "outcome" in refused.value.fields
    services.assistance_update(acting_user=movement_gr, leg=departure, mission=gr, status="not_provided",  # type: ignore[arg-type]
                               outcome="Flight moved to another terminal; family met at the gate instead.")  # fmt: skip
    departure.refresh_from_db()  # type: ignore[attr-defined]
    assert departure.status == "not_provided"  # type: ignore[attr-defined]


def test_help_confirmed_at_every_leg_closes_the_assistance_task(
    movement_gr: User, confirmed: Itinerary, gr: Mission, pk: Mission
) -> None:
    task = work.task_open(case=confirmed.case, kind=TaskKind.ARRANGE_ASSISTANCE, mission=gr,
                          due_at=dt.datetime(2026, 11, 28, tzinfo=dt.UTC), role=Role.MOVEMENT_OFFICER)  # fmt: skip
    leg(movement_gr, confirmed, "departure", "ATH", gr, status="confirmed")
    leg(movement_gr, confirmed, "transit", "IST", gr, status="confirmed")
    arrival = leg(movement_gr, confirmed, "arrival", "ISB", pk)
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN
    services.assistance_update(acting_user=movement_gr, leg=arrival, mission=pk, status="confirmed")  # type: ignore[arg-type]
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
