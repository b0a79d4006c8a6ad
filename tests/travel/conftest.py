"""A family booked Athens–Istanbul–Islamabad, and the helpers that build it step by step.

The journey: TK 1846 leaves Athens on 1 December 2026 at 10:00 (EET, UTC+2) and
lands in Istanbul at 12:20 (UTC+3); TK 710 leaves Istanbul at 20:30 and lands in
Islamabad at 04:00 on 2 December (PKT, UTC+5). Tests run on 20 November 2026
unless they travel in time themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case, CaseMember, CaseStatus
from homeward.partners.models import Partner
from homeward.travel import services
from homeward.travel.models import Itinerary
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.factories import UserFactory
from tests.partners.helpers import partner

TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A wall-clock time, as typed from a ticket (no zone)."""
    return dt.datetime(year, month, day, hour, minute)


@pytest.fixture(autouse=True)
def _late_november() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def movement_ro(ro: Mission) -> User:
    return UserFactory(username="movement.ro", roles=[(ro, Role.MOVEMENT_OFFICER)])


@pytest.fixture
def embassy_pk(gr: Mission, movement_gr: User) -> Partner:
    """The embassy of Pakistan in Athens, in the Greek mission's partners directory."""
    return partner(gr, movement_gr, "Embassy of Pakistan, Athens", country="PK")


def set_status(case: Case, status: str) -> Case:
    """Put a case where a test needs it (the workflow's own tests walk the way there)."""
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    return case


@pytest.fixture
def preparing(case_gr: Case) -> Case:
    return set_status(case_gr, CaseStatus.TRAVEL_PREPARATION)


def members_of(case: Case) -> dict[str, CaseMember]:
    return {m.person.given_names: m for m in case.members.select_related("person")}


def add_route(user: User, itinerary: Itinerary) -> None:
    services.segment_add(
        acting_user=user, itinerary=itinerary, carrier="Turkish Airlines", number="TK1846",
        origin="ATH", destination="IST", departs_local=at(2026, 12, 1, 10, 0), arrives_local=at(2026, 12, 1, 12, 20),
    )  # fmt: skip
    services.segment_add(
        acting_user=user, itinerary=itinerary, carrier="Turkish Airlines", number="TK710",
        origin="IST", destination="ISB", departs_local=at(2026, 12, 1, 20, 30), arrives_local=at(2026, 12, 2, 4, 0),
    )  # fmt: skip


def ticket_everyone(user: User, itinerary: Itinerary) -> None:
    for i, member in enumerate(itinerary.travellers.select_related("person")):
        services.ticket_add(
            acting_user=user, itinerary=itinerary, member=member, number=f"235-000000000{i}",
            cost=Decimal("412.50"), currency="EUR",
        )  # fmt: skip


def book(user: User, case: Case, **details: object) -> Itinerary:
    """A confirmed itinerary for every member of ``case`` on the Athens–Istanbul–Islamabad route."""
    itinerary = services.itinerary_create(acting_user=user, case=case, booking_reference="XK7P2Q", **details)  # type: ignore[arg-type]
    add_route(user, itinerary)
    ticket_everyone(user, itinerary)
    return services.itinerary_confirm(acting_user=user, itinerary=itinerary)


@pytest.fixture
def draft(movement_gr: User, preparing: Case) -> Itinerary:
    itinerary = services.itinerary_create(acting_user=movement_gr, case=preparing, booking_reference="XK7P2Q")
    add_route(movement_gr, itinerary)
    return itinerary


@pytest.fixture
def confirmed(movement_gr: User, draft: Itinerary) -> Itinerary:
    ticket_everyone(movement_gr, draft)
    return services.itinerary_confirm(acting_user=movement_gr, itinerary=draft)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
