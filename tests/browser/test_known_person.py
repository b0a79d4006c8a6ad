"""A counsellor registers someone who came through before under another spelling: the form shows the
earlier record as a likely match with its reasons while she types, and the programme's
previous-assistance rule marks the new case for a supervisor's review."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from homeward.cases.models import CaseStatus, Relationship, Transition
from homeward.cases.services import MemberInput
from homeward.programmes.services import programme_load
from tests.browser.conftest import login
from tests.factories import person, register_case
from tests.journey import set_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def earlier(counsellor_gr, gr):
    """Muhammad Al-Hassan, born 1990 (year only), returned home with assistance under an earlier case."""
    case = register_case(counsellor_gr, gr, [MemberInput(Relationship.PRINCIPAL, person(
        "Muhammad", "Al-Hassan", year=1990, nationality="IQ", sex="M"))], destination_country="IQ")  # fmt: skip
    set_status(case, CaseStatus.DEPARTED)
    Transition.objects.create(case=case, from_status=CaseStatus.TRAVEL_BOOKED, to_status=CaseStatus.DEPARTED,
                              by=counsellor_gr)  # fmt: skip
    return case


@pytest.fixture
def programme(gr):
    return programme_load(acting_user=None, data={
        "programme": {"code": "GR/AVRR", "name": "Greece AVRR", "donor": "EEA", "missions": ["GR"],
                      "currency": "EUR", "start": "2020-01-01", "end": "2035-12-31"},
        "rules": [{"effective_from": "2020-01-01",
                   "eligibility": {"previous_assistance": {"within_years": 5, "excludes": "all"}}}],
    })  # fmt: skip


def test_a_returning_person_is_recognised_across_spellings(page: Page, live_server, counsellor_gr, earlier, programme):
    login(page, live_server, counsellor_gr.username)
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_role("combobox", name="Destination country").select_option(label="Iraq")
    page.get_by_role("combobox", name="Referral source").select_option(label="NGO")
    principal = page.locator("fieldset").filter(has=page.locator("legend", has_text="Principal applicant"))
    principal.get_by_role("textbox", name="Given names", exact=True).fill("Mohamad")
    principal.get_by_role("textbox", name="Family name", exact=True).fill("Alhasan")
    principal.get_by_role("spinbutton", name="Year of birth").fill("1990")

    # While she types: the earlier record, its case and outcome, and why it is probably him.
    match = principal.locator(".match-results .match")
    expect(match).to_have_count(1)
    expect(match).to_contain_text("Muhammad Al-Hassan")
    expect(match).to_contain_text("born 1990")
    expect(match).to_contain_text(earlier.reference)
    expect(match).to_contain_text("returned with assistance on")
    expect(match.locator(".match-reasons")).to_contain_text(re.compile("names (match )?after transliteration"))
    expect(match.locator(".match-reasons")).to_contain_text("birth")

    with page.expect_navigation():
        page.get_by_role("button", name="Register the case").click()
    expect(page.locator("h1")).to_contain_text(re.compile(r"GR-\d{4}-\d{6}"))
    assert earlier.reference not in page.locator("h1").inner_text()

    page.locator("#programme-select").select_option(label="GR/AVRR — Greece AVRR")
    with page.expect_navigation():
        page.get_by_role("button", name="Assess eligibility").click()
    expect(page.get_by_text("needs review", exact=True).first).to_be_visible()
    expect(
        page.get_by_text(re.compile("Mohamad Alhasan: Possibly assisted to return before: a likely match"))
    ).to_be_visible()


def test_a_supervisor_merges_the_two_records_from_the_case_page_and_undoes_it(
    page: Page, live_server, counsellor_gr, supervisor_gr, gr, earlier
):
    again = register_case(counsellor_gr, gr, [MemberInput(Relationship.PRINCIPAL, person(
        "Mohamad", "Alhasan", year=1990, month=5, day=2, nationality="IQ", sex="M"))], destination_country="IQ")  # fmt: skip
    login(page, live_server, supervisor_gr.username)
    page.goto(f"{live_server.url}/cases/{again.reference}/")
    panel = page.locator("#matching-panel")
    expect(panel).to_contain_text(earlier.reference)
    with page.expect_navigation():
        panel.get_by_role("link", name=re.compile("Muhammad Al-Hassan")).click()

    expect(page.locator("h1")).to_have_text("Compare two records")
    page.get_by_label("Why are these one person?").fill(
        "Same person: same father's name and village, confirmed by phone."
    )
    with page.expect_navigation():
        page.locator("#merge-left").click()
    expect(page.locator("#merge-summary")).to_contain_text("was merged into")
    # The new case's record (left) is kept: the earlier case moved to it, so it is in both.
    expect(page.locator("#merge-moved")).to_contain_text(earlier.reference)
    assert again.members.get().person_id == earlier.members.get().person_id

    # Undoing puts the earlier case back on its own record.
    with page.expect_navigation():
        page.locator("#merge-undo").click()
    expect(page.locator("#merge-undone")).to_be_visible()
    assert again.members.get().person_id != earlier.members.get().person_id
