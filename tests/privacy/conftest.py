"""An ended case of a programme with a retention period, with what reports count about it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases import services
from homeward.cases.models import Case, CaseStatus, Relationship, Transition
from homeward.people.inputs import DocumentInput
from homeward.programmes.models import Programme
from tests import journey
from tests.factories import person, register_case

DEPARTED = dt.datetime(2025, 5, 1, 12, 0, tzinfo=dt.UTC)


def zaheer_family() -> list[services.MemberInput]:
    """Imran (born 14 March 1985) and Bilal, who turned 18 six weeks before the family departed."""
    return [
        services.MemberInput(
            Relationship.PRINCIPAL,
            person("Imran", "Zaheer", year=1985, month=3, day=14, phone="+92 300 7654321"),
            [DocumentInput(kind="passport", number="ZX9876543", issuing_country="PK", expires_on=dt.date(2030, 1, 1))],
        ),
        services.MemberInput(Relationship.CHILD, person("Bilal", "Zaheer", year=2007, month=3, day=14)),
    ]


def end_case(case: Case, user: User, *, status: str = CaseStatus.CLOSED, ended_ago: dt.timedelta) -> Case:
    """The case departed on 1 May 2025 and ended ``ended_ago``."""
    departed = Transition.objects.create(case=case, from_status="travel_booked", to_status="departed", by=user)
    ended = Transition.objects.create(case=case, from_status="monitoring", to_status=status, by=user)
    Transition.objects.filter(pk=departed.pk).update(at=DEPARTED)
    Transition.objects.filter(pk=ended.pk).update(at=timezone.now() - ended_ago)
    return journey.set_status(case, status)


@pytest.fixture
def programme(gr: Mission) -> Programme:
    prog = journey.programme()
    Programme.objects.filter(pk=prog.pk).update(retention_years=2)
    prog.refresh_from_db()
    return prog


@pytest.fixture
def zaheer(counsellor_gr: User, gr: Mission, programme: Programme) -> Case:
    case = register_case(counsellor_gr, gr, zaheer_family(), counsellor=counsellor_gr)
    Case.objects.filter(pk=case.pk).update(programme=programme, notes="Imran Zaheer asked to be called after 5pm.")
    case.refresh_from_db()
    return case
