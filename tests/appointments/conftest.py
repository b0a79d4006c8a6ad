"""Offices in two time zones, an inquiry to book for, a clock fixed on a Monday morning, and a booking helper.

The clock: Monday 1 March 2027, 07:00 UTC (09:00 in Athens, 08:00 in Bratislava); winter time in both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.appointments import services
from homeward.appointments.models import Appointment, Office, OfficeHours
from homeward.triage.models import Inquiry
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.factories import UserFactory

NOW = dt.datetime(2027, 3, 1, 7, 0, tzinfo=dt.UTC)
WEDNESDAY = dt.date(2027, 3, 3)
SATURDAY = dt.date(2027, 3, 6)


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def weekdays(office: Office, periods: list[tuple[str, str]], days: range = range(5)) -> None:
    for day in days:
        for opens, closes in periods:
            OfficeHours.objects.create(
                office=office, weekday=day, opens=dt.time.fromisoformat(opens), closes=dt.time.fromisoformat(closes)
            )


@pytest.fixture
def athens(gr: Mission) -> Office:
    """Monday to Friday 08:30–12:30 and 13:30–16:30 (a lunch break), Athens time."""
    office = Office.objects.create(
        mission=gr, name="Athens office", address="Dodekanisou 11", city="Athens", phone="+30 210 9919040",
        time_zone="Europe/Athens", languages=["en", "el", "ar", "fa", "ur"],
    )  # fmt: skip
    weekdays(office, [("08:30", "12:30"), ("13:30", "16:30")])
    return office


@pytest.fixture
def bratislava(gr: Mission) -> Office:
    """Monday to Friday 08:30–16:30, Bratislava time (an hour behind Athens)."""
    office = Office.objects.create(mission=gr, name="Bratislava desk", city="Bratislava", time_zone="Europe/Bratislava")
    weekdays(office, [("08:30", "16:30")])
    return office


@pytest.fixture
def admin_gr(gr: Mission) -> User:
    return UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])


@pytest.fixture
def counsellor2_gr(gr: Mission) -> User:
    return UserFactory(username="counsellor2.gr", first_name="Eleni", last_name="Pappa", roles=[(gr, Role.COUNSELLOR)])


def make_inquiry(mission: Mission, **overrides: Any) -> Inquiry:
    values: dict[str, Any] = {
        "code": "ABCD2345", "mission": mission, "given_names": "Farid", "family_name": "Noori",
        "phone": "+306901234567", "email": "farid@example.org", "language": "fa", "nationality": "AF",
        "destination_country": "AF", "where": Inquiry.Where.CITY, "city": "Athens", "how_heard": "ngo",
        "consent_text": "I agree.", "consent_at": timezone.now(),
    }  # fmt: skip
    values.update(overrides)
    return Inquiry.objects.create(**values)


@pytest.fixture
def inquiry(gr: Mission) -> Inquiry:
    return make_inquiry(gr)


def booking(office: Office, counsellor: User, on: dt.date = WEDNESDAY, start: str = "09:00", minutes: int = 60,
            **overrides: Any) -> services.AppointmentInput:  # fmt: skip
    values: dict[str, Any] = {"office": office, "counsellor": counsellor, "on": on,
                              "start": dt.time.fromisoformat(start), "minutes": minutes, "language": "fa"}  # fmt: skip
    values.update(overrides)
    return services.AppointmentInput(**values)


def book(
    user: User, office: Office, counsellor: User | None = None, *, for_: dict[str, Any], **kwargs: Any
) -> Appointment:
    return services.appointment_book(acting_user=user, data=booking(office, counsellor or user, **kwargs), **for_)
