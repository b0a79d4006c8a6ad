"""Removing a member never takes her stay, health records, costs or enrolments with her: it is refused, in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from homeward.accommodation import services as accommodation
from homeward.accommodation.models import Facility, Placement, WaitingEntry
from homeward.accounts.models import Mission, User
from homeward.activities import services as activities
from homeward.activities.models import Enrolment
from homeward.assistance.models import LedgerEntry
from homeward.cases import services
from homeward.cases.models import Case, CaseMember
from homeward.core.errors import ServiceError
from homeward.health import services as health
from homeward.health.models import HealthCost, Medicine
from tests import money

pytestmark = pytest.mark.django_db


def sana(case: Case) -> CaseMember:
    return case.members.select_related("person").get(person__given_names="Sana")


@pytest.fixture
def centre(supervisor_gr: User, gr: Mission) -> Facility:
    facility = accommodation.facility_create(
        acting_user=supervisor_gr, mission=gr,
        data=accommodation.FacilityInput(name="Open centre", kind=Facility.Kind.OPEN_CENTRE),
    )  # fmt: skip
    accommodation.capacity_set(acting_user=supervisor_gr, facility=facility, room_type="family", beds=4)
    return facility


def book_cost(supervisor: User, case: Case) -> HealthCost:
    programme = money.money_programme(budget={"other": 500})
    Case.objects.filter(pk=case.pk).update(programme=programme)
    case.refresh_from_db()
    return health.cost_record(
        acting_user=supervisor, case=case, member=sana(case), what="Paediatrician", amount=Decimal("50.00"),
        currency="EUR", incurred_on=timezone.localdate(), budget_line=money.line(programme, "other"),
    )  # fmt: skip


def test_a_member_with_a_committed_cost_a_bed_and_a_course_is_not_removed(
    supervisor_gr: User, gr: Mission, case_gr: Case, centre: Facility
) -> None:
    cost = book_cost(supervisor_gr, case_gr)
    assert cost.commitment_id is not None  # committed in the ledger at once
    [placement] = accommodation.placement_check_in(
        acting_user=supervisor_gr, case=case_gr, members=[sana(case_gr)], facility=centre, room_type="family",
        checked_in_on=timezone.localdate(),
    )  # fmt: skip
    course = activities.activity_create(
        acting_user=supervisor_gr, mission=gr, title="Greek A1", kind="language",
        starts_on=timezone.localdate(), ends_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    activities.enrol(acting_user=supervisor_gr, activity=course, member=sana(case_gr))

    with pytest.raises(ServiceError) as refused:
        services.member_remove(acting_user=supervisor_gr, member=sana(case_gr))
    said = refused.value.message
    assert "Sana Khan" in said
    for what in ("stay in a facility", "health costs", "course enrolment"):
        assert what in said
    assert case_gr.members.filter(pk=placement.member_id).exists()
    assert HealthCost.objects.filter(pk=cost.pk).exists()
    assert LedgerEntry.objects.filter(source=cost.source).exists()
    assert Placement.objects.get(pk=placement.pk).is_open  # the bed is still taken
    assert Enrolment.objects.filter(member_id=placement.member_id).exists()


def test_a_member_on_the_waiting_list_or_with_a_medicine_is_not_removed(
    counsellor_gr: User, case_gr: Case, centre: Facility
) -> None:
    accommodation.waiting_add(acting_user=counsellor_gr, case=case_gr, members=[sana(case_gr)],
                              room_type="family")  # fmt: skip
    with pytest.raises(ServiceError, match="waiting list"):
        services.member_remove(acting_user=counsellor_gr, member=sana(case_gr))
    WaitingEntry.objects.all().delete()
    health.medicine_record(acting_user=counsellor_gr, case=case_gr, member=sana(case_gr), name="Paracetamol",
                           quantity=10, supplied_on=timezone.localdate())  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        services.member_remove(acting_user=counsellor_gr, member=sana(case_gr))
    assert "health records" in refused.value.message
    assert "waiting list" not in refused.value.message
    assert case_gr.members.count() == 3


def test_the_database_protects_the_records_of_a_member_too(counsellor_gr: User, case_gr: Case) -> None:
    health.medicine_record(acting_user=counsellor_gr, case=case_gr, member=sana(case_gr), name="Paracetamol",
                           quantity=10, supplied_on=timezone.localdate())  # fmt: skip
    with pytest.raises(ProtectedError):
        sana(case_gr).delete()
    assert Medicine.objects.count() == 1
