"""The occupancy board, facility pages and the case card: what each person sees and may do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.accommodation.models import Facility, Placement
from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from tests.accommodation.conftest import check_in, client_for, days_ago, single

pytestmark = pytest.mark.django_db


def test_the_board_counts_beds_occupied_and_free_today(
    counsellor_gr: User, movement_gr: User, gr: Mission, case_gr: Case, centre: Facility
) -> None:
    check_in(counsellor_gr, case_gr, centre, "family", on=days_ago(3), expected_check_out_on=days_ago(1))
    gone = single(counsellor_gr, gr, "Ali", "Reza")
    [left] = check_in(counsellor_gr, gone, centre, "single_men", on=days_ago(4))
    from homeward.accommodation import services

    services.placement_check_out(acting_user=counsellor_gr, placement=left, checked_out_on=days_ago(0),
                                 end_reason="left")  # fmt: skip
    response = client_for(movement_gr).get("/accommodation/")
    assert response.status_code == 200
    [board] = response.context["boards"]
    figures = {r.room_type: (r.beds, r.occupied, r.free) for r in board.rooms}
    assert figures == {"single_men": (2, 0, 2), "single_women": (1, 0, 1), "family": (4, 3, 1)}
    page = response.content.decode()
    assert case_gr.reference in page
    assert "Imran Khan" in page
    assert page.count('class="occupant table-warning overdue"') == 3  # expected out yesterday


def test_the_board_is_for_those_who_read_cases(viewer: User, counsellor_ro: User, centre: Facility) -> None:
    assert client_for(viewer).get("/accommodation/").status_code == 403
    response = client_for(counsellor_ro).get("/accommodation/")
    assert response.status_code == 200
    assert "Open centre Elaionas" not in response.content.decode()
    assert response.context["mission"].code == "RO"


def test_a_facility_of_another_mission_is_not_found(counsellor_ro: User, centre: Facility) -> None:
    assert client_for(counsellor_ro).get(f"/accommodation/facilities/{centre.pk}/").status_code == 404


def test_a_supervisor_adds_a_facility_and_its_beds(supervisor_gr: User, counsellor_gr: User, gr: Mission) -> None:
    client = client_for(supervisor_gr)
    response = client.post("/accommodation/facilities/new/?mission=GR",
                           {"facility-name": "Shelter of JRS", "facility-kind": "shelter", "facility-active": "on"})  # fmt: skip
    facility = Facility.objects.get(name="Shelter of JRS")
    assert response.status_code == 302
    client.post(f"/accommodation/facilities/{facility.pk}/beds/", {"capacity-room_type": "mother_and_child",
                                                                   "capacity-beds": "6"})  # fmt: skip
    assert facility.capacities.get().beds == 6
    refused = client.post(f"/accommodation/facilities/{facility.pk}/beds/", {"capacity-room_type": "family",
                                                                            "capacity-beds": "-1"})  # fmt: skip
    assert refused.status_code == 400
    assert client_for(counsellor_gr).get(f"/accommodation/facilities/{facility.pk}/").status_code == 403


def test_the_case_card_checks_in_and_out(counsellor_gr: User, case_gr: Case, centre: Facility) -> None:
    client = client_for(counsellor_gr)
    page = client.get(f"/cases/{case_gr.reference}/").content.decode()
    assert ">Check in</button>" in page
    members = [str(m.pk) for m in case_gr.members.all()]
    response = client.post(f"/cases/{case_gr.reference}/accommodation/check-in/", {
        "checkin-members": members, "checkin-facility": str(centre.pk), "checkin-room_type": "family",
        "checkin-checked_in_on": str(timezone.localdate()), "checkin-reason": "family with a young child",
    }, follow=True)  # fmt: skip
    assert "Checked in at Open centre Elaionas: 3." in response.content.decode()
    assert case_gr.placements.filter(checked_out_on__isnull=True).count() == 3
    page = response.content.decode()
    assert page.count(">Check out</button>") == 3
    placement = case_gr.placements.first()
    refused = client.post(f"/accommodation/placements/{placement.pk}/check-out/", {
        f"checkout-{placement.pk}-checked_out_on": str(timezone.localdate() - dt.timedelta(days=1)),
        f"checkout-{placement.pk}-end_reason": "left",
    }, follow=True)  # fmt: skip
    assert "A check-out cannot be before the check-in" in refused.content.decode()
    client.post(f"/accommodation/placements/{placement.pk}/check-out/", {
        f"checkout-{placement.pk}-checked_out_on": str(timezone.localdate()),
        f"checkout-{placement.pk}-end_reason": "left",
    })  # fmt: skip
    placement.refresh_from_db()
    assert placement.end_reason == "left"


def test_a_family_that_does_not_fit_is_told_how_many_beds_are_free(
    counsellor_gr: User, gr: Mission, case_gr: Case, centre: Facility
) -> None:
    check_in(counsellor_gr, single(counsellor_gr, gr, "Omid", "Karimi"), centre, "family")
    check_in(counsellor_gr, single(counsellor_gr, gr, "Zahra", "Karimi", sex="F"), centre, "family")
    response = client_for(counsellor_gr).post(f"/cases/{case_gr.reference}/accommodation/check-in/", {
        "checkin-members": [str(m.pk) for m in case_gr.members.all()], "checkin-facility": str(centre.pk),
        "checkin-room_type": "family", "checkin-checked_in_on": str(timezone.localdate()),
    }, follow=True)  # fmt: skip
    assert "2 beds of 4 are free in family rooms; 3 needed" in response.content.decode()
    assert not Placement.objects.filter(case=case_gr).exists()


def test_the_case_card_of_a_finance_officer_has_no_forms_and_no_reason(
    counsellor_gr: User, finance_gr: User, case_gr: Case, centre: Facility
) -> None:
    check_in(counsellor_gr, case_gr, centre, "family", reason="her husband's traffickers look for her")
    page = client_for(finance_gr).get(f"/cases/{case_gr.reference}/").content.decode()
    assert "Open centre Elaionas" in page
    assert "traffickers" not in page
    assert ">Check in</button>" not in page
    assert ">Check out</button>" not in page
    response = client_for(finance_gr).post(f"/cases/{case_gr.reference}/accommodation/check-in/", {
        "checkin-members": [str(case_gr.members.first().pk)], "checkin-facility": str(centre.pk),
        "checkin-room_type": "family", "checkin-checked_in_on": str(timezone.localdate()),
    })  # fmt: skip
    assert response.status_code == 403


def test_a_case_of_another_mission_is_not_found(counsellor_ro: User, case_gr: Case, centre: Facility) -> None:
    response = client_for(counsellor_ro).post(f"/cases/{case_gr.reference}/accommodation/check-in/", {})
    assert response.status_code == 404


def test_the_menu_shows_accommodation(counsellor_gr: User, viewer: User) -> None:
    assert 'href="/accommodation/">Accommodation</a>' in client_for(counsellor_gr).get("/cases/").content.decode()
    assert 'href="/accommodation/"' not in client_for(viewer).get("/programmes/").content.decode()


def test_the_board_reads_in_a_fixed_number_of_queries(
    counsellor_gr: User, gr: Mission, case_gr: Case, centre: Facility
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homeward.accommodation import services

    client = client_for(counsellor_gr)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/accommodation/").status_code == 200
        return len(ctx.captured_queries)

    check_in(counsellor_gr, single(counsellor_gr, gr, "Ali", "Reza"), centre, "single_men")
    services.waiting_add(acting_user=counsellor_gr, case=case_gr, members=list(case_gr.members.all()),
                         room_type="family")  # fmt: skip
    before = queries()
    check_in(counsellor_gr, single(counsellor_gr, gr, "Omid", "Karimi"), centre, "single_men")
    other = single(counsellor_gr, gr, "Joy", "Okafor", sex="F", vulnerabilities=["trafficking"])
    services.waiting_add(acting_user=counsellor_gr, case=other, members=list(other.members.all()),
                         room_type="single_women")  # fmt: skip
    assert queries() == before
