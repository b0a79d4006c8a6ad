"""Health fixtures: the Khan family with health needs, an M&E officer, a programme with money."""

from __future__ import annotations

import pytest

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case, CaseMember
from homeward.people.models import PersonVulnerability, VulnerabilityType
from homeward.programmes.models import Programme
from tests import money
from tests.api.conftest import ApiClient, make_token
from tests.factories import UserFactory


def give(member: CaseMember, *codes: str) -> None:
    for code in codes:
        PersonVulnerability.objects.create(person=member.person, type=VulnerabilityType.objects.get(code=code))


def member(case: Case, given_names: str) -> CaseMember:
    return case.members.select_related("person").get(person__given_names=given_names)


@pytest.fixture
def me_gr(gr: Mission) -> User:
    return UserFactory(username="me.gr", roles=[(gr, Role.ME_OFFICER)])


@pytest.fixture
def case(case_gr: Case) -> Case:
    """The Khan family: Imran has a serious medical condition (fit to travel, escort decision,
    continuity of care); Sana has a disability (fit to travel, travel-assistance needs)."""
    give(member(case_gr, "Imran"), "serious_medical_condition")
    give(member(case_gr, "Sana"), "disability")
    return case_gr


@pytest.fixture
def programme(gr: Mission, case: Case) -> Programme:
    """A programme of GR with a 500 EUR "other" line, and the case in it."""
    prog = money.money_programme(budget={"other": 500, "cash_grants": 1000})
    Case.objects.filter(pk=case.pk).update(programme=prog)
    case.refresh_from_db()
    return prog


@pytest.fixture
def api_as(db: None):  # type: ignore[no-untyped-def]
    def build(user: User) -> ApiClient:
        return ApiClient(make_token(user))

    return build
