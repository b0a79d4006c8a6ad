"""Who sees whom on the occupancy board: beds for everyone who keeps facilities, people only for who reads cases."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils.formats import date_format

from homeward.accommodation import selectors, services
from homeward.accommodation.models import Facility
from homeward.accounts.models import Membership, Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from tests.accommodation.conftest import check_in, client_for, days_ago, single
from tests.api.conftest import ApiClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_gr(gr: Mission) -> User:
    return UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])


@pytest.fixture
def full_centre(counsellor_gr: User, gr: Mission, case_gr: Case, centre: Facility) -> Case:
    """The Khan family stays in the centre; a man waits for a bed."""
    check_in(counsellor_gr, case_gr, centre, "family", on=days_ago(3), expected_check_out_on=days_ago(-5))
    waiting = single(counsellor_gr, gr, "Ali", "Reza")
    services.waiting_add(acting_user=counsellor_gr, case=waiting, members=list(waiting.members.all()),
                         room_type="single_men", requested_on=days_ago(2))  # fmt: skip
    return waiting


def test_an_administrator_sees_beds_and_how_many_wait_but_nobody_by_name(
    admin_gr: User, case_gr: Case, full_centre: Case
) -> None:
    response = client_for(admin_gr).get("/accommodation/")
    assert response.status_code == 200
    page = response.content.decode()
    [board] = response.context["boards"]
    assert {r.room_type: r.occupied for r in board.rooms}["family"] == 3  # the counts still count everyone
    assert board.occupants == []
    for secret in (case_gr.reference, full_centre.reference, "Khan", "Reza", 'class="occupant'):
        assert secret not in page
    assert date_format(days_ago(3), "SHORT_DATE_FORMAT") not in page
    assert response.context["waiting_people"] == 1
    assert 'id="waiting-count"' in page
    assert 'id="waiting-list"' not in page


def test_a_movement_officer_sees_the_people_of_the_cases_she_reads(
    movement_gr: User, case_gr: Case, full_centre: Case
) -> None:
    page = client_for(movement_gr).get("/accommodation/").content.decode()
    assert case_gr.reference in page
    assert "Imran Khan" in page
    assert page.count('class="occupant') == 3
    assert full_centre.reference in page  # on the waiting list


def test_occupants_are_listed_only_for_cases_the_reader_may_open(
    counsellor_ro: User, gr: Mission, admin_gr: User, full_centre: Case, centre: Facility
) -> None:
    # A counsellor of another mission who also administers Greece: beds of Greece, people of Romania only.
    Membership.objects.create(user=counsellor_ro, mission=gr, role=Role.ADMINISTRATOR)
    user = User.objects.get(pk=counsellor_ro.pk)
    [board] = selectors.occupancy([centre], days_ago(0), user)
    assert board.occupied == 3
    assert board.occupants == []


def test_the_api_gives_an_administrator_the_counts_only(
    api_as: Callable[..., ApiClient], admin_gr: User, case_gr: Case, full_centre: Case
) -> None:
    response = api_as(admin_gr).get("/facilities")
    assert response.status_code == 200
    [facility] = response.json()
    assert {r["room_type"]: r["occupied"] for r in facility["rooms"]}["family"] == 3
    assert case_gr.reference not in response.content.decode()
    assert "occupants" not in facility
