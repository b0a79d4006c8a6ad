"""An open centre in Greece with a few beds of each kind, and helpers to place people and build single cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from homeward.accommodation import services
from homeward.accommodation.models import Facility, Placement
from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, Relationship
from homeward.cases.services import MemberInput
from homeward.people.models import PersonVulnerability, VulnerabilityType
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.factories import person, register_case

TODAY = timezone.localdate


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def centre(supervisor_gr: User, gr: Mission) -> Facility:
    """The open centre: 2 single men's beds, 1 single women's, 4 family beds."""
    facility = services.facility_create(
        acting_user=supervisor_gr, mission=gr,
        data=services.FacilityInput(name="Open centre Elaionas", kind=Facility.Kind.OPEN_CENTRE),
    )  # fmt: skip
    for room_type, beds in (("single_men", 2), ("single_women", 1), ("family", 4)):
        services.capacity_set(acting_user=supervisor_gr, facility=facility, room_type=room_type, beds=beds)
    return facility


def single(user: User, mission: Mission, given: str, family: str, *, year: int = 1990,
           vulnerabilities: list[str] | None = None, sex: str = "M") -> Case:  # fmt: skip
    """A case of one person, with the vulnerabilities given."""
    case = register_case(user, mission, [MemberInput(Relationship.PRINCIPAL, person(given, family, year=year, sex=sex))],
                         counsellor=user)  # fmt: skip
    principal = case.members.get().person
    for code in vulnerabilities or []:
        PersonVulnerability.objects.create(person=principal, type=VulnerabilityType.objects.get(code=code))
    return case


def check_in(user: User, case: Case, facility: Facility, room_type: str, **kwargs: Any) -> list[Placement]:
    members = kwargs.pop("members", None) or list(case.members.all())
    return services.placement_check_in(
        acting_user=user, case=case, members=members, facility=facility, room_type=room_type,
        checked_in_on=kwargs.pop("on", timezone.localdate()), **kwargs,
    )  # fmt: skip


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
