"""The funnel of a programme in a period: contact → inquiry → registration → declaration → departure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.outreach import selectors, services
from homeward.outreach.models import Campaign
from homeward.programmes.models import Programme
from tests.factories import family_of_three, register_case
from tests.outreach.conftest import call, days_ago, session

pytestmark = pytest.mark.django_db


def _moved(case: Case, to: str, days: int, by: User) -> None:
    t = Transition.objects.create(case=case, from_status="registered", to_status=to, by=by)
    Transition.objects.filter(pk=t.pk).update(at=timezone.now() - dt.timedelta(days=days))


def _case(user: User, mission: Mission, family: str, first_contact: int, registered: int | None = None) -> Case:
    case = register_case(user, mission, family_of_three(family), inquiry_date=days_ago(first_contact))
    if registered is not None:
        Case.objects.filter(pk=case.pk).update(registered_on=days_ago(registered), status=CaseStatus.REGISTERED)
    return case


@pytest.fixture
def history(
    counsellor_gr: User, counsellor_ro: User, gr: Mission, ro: Mission, campaign: Campaign, programme: Programme
) -> None:
    """In the last 30 days at GR: 2 calls and a session of 20; 3 cases first contacted, 2 registered,
    1 declared (twice: reopened), 1 departed. Before it, and in RO or another programme: noise."""
    call(counsellor_gr, gr, topic="eligibility")
    call(counsellor_gr, gr, received_at=timezone.now() - dt.timedelta(days=5))
    call(counsellor_gr, gr, received_at=timezone.now() - dt.timedelta(days=40))
    call(counsellor_ro, ro, caller_phone="")
    session(counsellor_gr, campaign, held_on=days_ago(12))
    session(counsellor_gr, campaign, held_on=days_ago(45), women=100)
    services.material_record(acting_user=counsellor_gr, campaign=campaign, data=services.MaterialInput(
        kind="leaflet", quantity=300, distributed_on=days_ago(3)))  # fmt: skip

    a = _case(counsellor_gr, gr, "Khan", first_contact=20, registered=15)
    _moved(a, CaseStatus.RETURN_DECLARED, 10, counsellor_gr)
    _moved(a, CaseStatus.RETURN_DECLARED, 8, counsellor_gr)
    _moved(a, CaseStatus.DEPARTED, 2, counsellor_gr)
    b = _case(counsellor_gr, gr, "Ahmadi", first_contact=10, registered=4)
    services.case_source_set(acting_user=counsellor_gr, case=b, how="information_session")
    _case(counsellor_gr, gr, "Rahimi", first_contact=1)
    old = _case(counsellor_gr, gr, "Old", first_contact=200, registered=190)
    _moved(old, CaseStatus.DEPARTED, 100, counsellor_gr)
    other = Programme.objects.create(code="GR/OTHER", name="Other", donor="EU", currency="EUR",
                                     start=days_ago(400), end=days_ago(-400))  # fmt: skip
    other.missions.add(gr)
    elsewhere = _case(counsellor_gr, gr, "Elsewhere", first_contact=3)
    Case.objects.filter(pk=elsewhere.pk).update(programme=other)
    _case(counsellor_ro, ro, "Popal", first_contact=3, registered=2)


def test_the_funnel_counts_each_stage_in_the_period(history: None, programme: Programme) -> None:
    f = selectors.funnel(programme, days_ago(30), timezone.localdate())

    assert (f.calls, f.participants, f.contacts) == (2, 20, 22)
    assert [(s.key, s.count) for s in f.stages] == [
        ("contacts", 22), ("inquiries", 3), ("registrations", 2), ("declarations", 1), ("departures", 1)
    ]  # fmt: skip


def test_the_outreach_figures_of_the_period(history: None, programme: Programme) -> None:
    f = selectors.funnel(programme, days_ago(30), timezone.localdate())

    assert f.sessions == 1
    assert f.participants_by_group == {"women": 4, "men": 11, "girls": 2, "boys": 3, "other_participants": 0}
    assert f.interpreters == 1
    assert f.materials_by_kind == {"leaflet": 300}
    assert f.calls_by_topic == {"eligibility": 1, "return_process": 1}


def test_the_funnel_by_how_people_heard_of_us(history: None, programme: Programme) -> None:
    f = selectors.funnel(programme, days_ago(30), timezone.localdate())

    assert f.by_source == {
        "information_session": {"inquiries": 1, "registrations": 1},
        "": {"inquiries": 2, "registrations": 1, "declarations": 1, "departures": 1},
    }


def test_a_longer_period_takes_in_the_older_history(history: None, programme: Programme) -> None:
    f = selectors.funnel(programme, days_ago(365), timezone.localdate())
    assert (f.calls, f.participants, f.inquiries, f.registrations, f.departures) == (3, 136, 4, 3, 2)
