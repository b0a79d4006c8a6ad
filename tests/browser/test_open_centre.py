"""In the browser: a vulnerable applicant is placed in the open centre and checked out at departure."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from homeward.accommodation import services as accommodation
from homeward.accommodation.models import Facility, Placement
from homeward.accounts.models import Mission, User
from homeward.cases.models import CaseStatus, Relationship
from homeward.cases.services import MemberInput
from homeward.people.models import PersonVulnerability, VulnerabilityType
from tests import journey
from tests.browser.conftest import login
from tests.factories import person, register_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_pregnant_applicant_stays_in_the_open_centre_until_she_departs(
    page: Page, live_server: object, counsellor_gr: User, supervisor_gr: User, movement_gr: User, gr: Mission
) -> None:
    centre = accommodation.facility_create(
        acting_user=supervisor_gr, mission=gr,
        data=accommodation.FacilityInput(name="Open centre Elaionas", kind=Facility.Kind.OPEN_CENTRE),
    )  # fmt: skip
    accommodation.capacity_set(acting_user=supervisor_gr, facility=centre, room_type="single_women", beds=1)
    case = register_case(
        counsellor_gr, gr, [MemberInput(Relationship.PRINCIPAL, person("Farida", "Noori", year=1996, sex="F"))],
        counsellor=counsellor_gr,
    )  # fmt: skip
    # A transactional test may start after another emptied the tables the migration filled.
    pregnant, _ = VulnerabilityType.objects.get_or_create(
        code="pregnant", defaults={"name": "pregnant woman", "sensitivity": "medical"}
    )
    PersonVulnerability.objects.create(person=case.members.get().person, type=pregnant)
    # Everything the departure needs except the stay, which is what this test is about.
    journey.set_status(case, CaseStatus.TRAVEL_BOOKED)
    journey.issue_documents(case, movement_gr)
    itinerary = journey.book(case, movement_gr, departs_in=dt.timedelta(hours=-1))
    journey.safeguard(case, counsellor_gr)
    journey.check(itinerary, movement_gr)

    # The counsellor places her in the open centre from the case page.
    login(page, live_server, "counsellor.gr")
    page.goto(f"{live_server.url}/cases/{case.reference}/")  # type: ignore[attr-defined]
    panel = page.locator("#accommodation-panel")
    panel.locator("#check-in-form").get_by_label("Room type").select_option("single_women")
    with page.expect_navigation():
        panel.get_by_role("button", name="Check in").click()
    expect(page.locator("#current-placements")).to_contain_text("Open centre Elaionas")
    expect(page.get_by_role("alert")).to_have_count(0)

    # The board shows the bed taken.
    page.goto(f"{live_server.url}/accommodation/?mission=GR")  # type: ignore[attr-defined]
    expect(page.locator(f"#facility-{centre.pk} .occupant")).to_contain_text(case.reference)

    # The movement officer confirms the departure; nobody touches the stay.
    page.context.clear_cookies()
    login(page, live_server, "movement.gr")
    page.goto(f"{live_server.url}/cases/{case.reference}/")  # type: ignore[attr-defined]
    step = page.locator("#workflow form").filter(has=page.get_by_role("button", name="Confirm departure", exact=True))
    expect(step.locator(".blocked")).to_have_count(0)
    with page.expect_navigation():
        step.get_by_role("button", name="Confirm departure", exact=True).click()
    expect(page.locator("#case-status")).to_have_text("departed")

    # Checked out the day of the move, because of it.
    panel = page.locator("#accommodation-panel")
    expect(panel.locator("#no-placement")).to_be_visible()
    panel.get_by_text("1 past stay").click()
    expect(panel.locator("#past-placements")).to_contain_text("departure")
    stay = Placement.objects.get(member__case=case)
    assert stay.checked_out_on is not None
    assert stay.end_reason == "departure"
    page.goto(f"{live_server.url}/accommodation/?mission=GR")  # type: ignore[attr-defined]
    expect(page.locator(f"#facility-{centre.pk} .occupant")).to_have_count(0)
