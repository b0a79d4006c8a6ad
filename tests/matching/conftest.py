"""Two records of one person (Muhammad Al-Hassan and Mohamad Alhasan), for the merge, page and API tests."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.cases.models import Relationship
from homeward.cases.services import MemberInput
from homeward.people.inputs import DocumentInput
from tests.factories import person, register_case

REASON = "Same passport, same family, registered twice."


def passport(number: str = "A1234567") -> DocumentInput:
    return DocumentInput(kind="passport", number=number, issuing_country="IQ", expires_on=dt.date(2031, 1, 1))


def registered(user, mission, given, family, documents=(), **kwargs):
    """A person alone in a new case of ``mission``."""
    kwargs.setdefault("nationality", "IQ")
    case = register_case(
        user, mission, [MemberInput(Relationship.PRINCIPAL, person(given, family, **kwargs), list(documents))]
    )
    return case.members.get().person


@pytest.fixture
def earlier(counsellor_gr, gr):
    return registered(
        counsellor_gr, gr, "Muhammad", "Al-Hassan", [passport()], year=1990, sex="M", place_of_birth="Mosul",
        vulnerabilities=["health_needs", "disability"],
    )  # fmt: skip


@pytest.fixture
def later(counsellor_gr, gr):
    return registered(
        counsellor_gr, gr, "Mohamad", "Alhasan",
        [passport(), DocumentInput(kind="national_id", number="NID778899", issuing_country="IQ")],
        year=1990, month=5, day=1, phone="+30 691 234 5678", vulnerabilities=["health_needs"],
    )  # fmt: skip
