"""Safeguarding fixtures: uploads in a temporary private storage; a family with vulnerabilities."""

from __future__ import annotations

from pathlib import Path

import pytest

from homeward.accounts.models import User
from homeward.cases.models import Case, CaseMember
from homeward.people.models import PersonVulnerability, VulnerabilityType
from tests.api.conftest import ApiClient, make_token
from tests.counselling.uploads import private_storage_in


@pytest.fixture(autouse=True)
def private_files(settings: object, tmp_path: Path) -> Path:
    return private_storage_in(settings, tmp_path)


def give(member: CaseMember, *codes: str) -> None:
    for code in codes:
        PersonVulnerability.objects.create(person=member.person, type=VulnerabilityType.objects.get(code=code))


def member(case: Case, given_names: str) -> CaseMember:
    return case.members.select_related("person").get(person__given_names=given_names)


@pytest.fixture
def case(case_gr: Case) -> Case:
    """The Khan family: Imran has health needs and is a victim of trafficking; Ayesha is a single parent."""
    give(member(case_gr, "Imran"), "health_needs", "trafficking")
    give(member(case_gr, "Ayesha"), "single_parent")
    return case_gr


@pytest.fixture
def api_as(db: None):  # type: ignore[no-untyped-def]
    def build(user: User) -> ApiClient:
        return ApiClient(make_token(user))

    return build
