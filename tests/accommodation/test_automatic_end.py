"""A placement ends by itself when the case departs or takes a way out; a no-show keeps its bed."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from homeward.accommodation import services
from homeward.accommodation.models import Facility, Placement, WaitingEntry
from homeward.accounts.models import Mission, User
from homeward.cases.models import Case, CaseStatus
from homeward.programmes.models import Programme
from tests import journey
from tests.accommodation.conftest import check_in, days_ago
from tests.factories import family_of_three, register_case

pytestmark = pytest.mark.django_db
S = CaseStatus


@pytest.fixture
def prog(gr: Mission, pk: Mission) -> Programme:
    return journey.programme()


@pytest.fixture
def case(counsellor_gr: User, gr: Mission, pk: Mission) -> Case:
    case = register_case(counsellor_gr, gr, family_of_three("Khan"), counsellor=counsellor_gr,
                         legal_status="protection_rejected")  # fmt: skip
    Case.objects.filter(pk=case.pk).update(referred_to_mission=pk, status=S.REGISTERED)
    case.refresh_from_db()
    return case


def at_booked(case: Case, counsellor: User, movement: User, prog: Programme) -> None:
    journey.assess(case, counsellor, prog)
    journey.move(case, counsellor, S.IN_COUNSELLING)
    journey.counsel(case, counsellor)
    journey.move(case, counsellor, S.RETURN_DECLARED)
    journey.declare(case, counsellor)
    journey.move(case, counsellor, S.TRAVEL_PREPARATION)
    journey.issue_documents(case, movement)
    itinerary = journey.book(case, movement)
    journey.move(case, movement, S.TRAVEL_BOOKED)
    journey.check(itinerary, movement)


def test_departure_checks_the_family_out_the_same_day(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme, centre: Facility
) -> None:
    principal = case.members.get(relationship="principal")
    check_in(counsellor_gr, case, centre, "family", on=days_ago(5), members=[principal])
    services.waiting_add(acting_user=counsellor_gr, case=case, room_type="family",
                         members=list(case.members.exclude(pk=principal.pk)))  # fmt: skip
    at_booked(case, counsellor_gr, movement_gr, prog)
    journey.move(case, movement_gr, S.DEPARTED)
    placement = Placement.objects.get(case=case)
    assert (placement.checked_out_on, placement.end_reason, placement.checked_out_by) == (
        timezone.localdate(), "departure", movement_gr)  # fmt: skip
    assert case.waiting_entries.get().status == WaitingEntry.Status.REMOVED
    update = LogEntry.objects.get_for_object(placement).filter(action=LogEntry.Action.UPDATE).get()
    assert (update.actor, update.additional_data) == (movement_gr, {"case_id": case.pk})


def test_withdrawal_checks_out_with_its_reason(case: Case, counsellor_gr: User, centre: Facility) -> None:
    placements = check_in(counsellor_gr, case, centre, "family", on=days_ago(2))
    journey.move(case, counsellor_gr, S.WITHDRAWN, "wants to stay with relatives")
    for placement in placements:
        placement.refresh_from_db()
        assert (placement.checked_out_on, placement.end_reason) == (timezone.localdate(), "way_out")
    # The freed beds are free again today.
    other = register_case(counsellor_gr, case.host_mission, family_of_three("Popal"))
    assert len(check_in(counsellor_gr, other, centre, "family")) == 3


def test_a_no_show_keeps_the_bed(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme, centre: Facility
) -> None:
    check_in(counsellor_gr, case, centre, "family", on=days_ago(5))
    at_booked(case, counsellor_gr, movement_gr, prog)
    journey.move(case, movement_gr, S.NO_SHOW, "flight missed, rebooking")
    assert Placement.objects.filter(case=case, checked_out_on__isnull=True).count() == 3


def test_a_departed_case_is_not_placed(case: Case, counsellor_gr: User, centre: Facility) -> None:
    from homeward.core.errors import ServiceError

    journey.set_status(case, S.DEPARTED)
    with pytest.raises(ServiceError, match="departed"):
        check_in(counsellor_gr, case, centre, "family")
