"""A counsellor registers a family in the browser, finds it again and corrects a member."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, Response, expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REFERENCE = r"GR-\d{4}-\d{6}"


# A member's fields are grouped in a fieldset under a visible legend. The legend does not
# name the group for assistive technology (see test_member_rows_are_named_groups), so rows
# are found by the legend's visible text rather than by role and name.
def _member_rows(page: Page, legend: str) -> Locator:
    return page.locator("fieldset").filter(has=page.locator("legend", has_text=legend))


def _principal(page: Page) -> Locator:
    return _member_rows(page, "Principal applicant")


def _family_members(page: Page) -> Locator:
    return _member_rows(page, "Family member")


def _fill_person(
    group: Locator,
    *,
    given: str,
    family: str,
    year: int | None = None,
    month: int | None = None,
    day: int | None = None,
    relationship: str | None = None,
    sex: str | None = None,
    nationality: str | None = "Pakistan",
) -> None:
    if relationship:
        group.get_by_role("combobox", name="Relationship to the principal applicant").select_option(label=relationship)
    group.get_by_role("textbox", name="Given names", exact=True).fill(given)
    group.get_by_role("textbox", name="Family name", exact=True).fill(family)
    if sex:
        group.get_by_role("combobox", name="Sex", exact=True).select_option(label=sex)
    if year is not None:
        group.get_by_role("spinbutton", name="Year of birth").fill(str(year))
    if month is not None:
        group.get_by_role("combobox", name="Month", exact=True).select_option(str(month))
    if day is not None:
        group.get_by_role("spinbutton", name="Day", exact=True).fill(str(day))
    if nationality:
        group.get_by_role("combobox", name="Nationality", exact=True).select_option(label=nationality)


def _mark_document(page: Page) -> None:
    """Leave a mark in the page's window: it survives an HTMX swap, not a page load."""
    page.evaluate("window.__sameDocument = 'yes'")


def _expect_same_document(page: Page, url: str) -> None:
    assert page.evaluate("window.__sameDocument") == "yes", "the page was reloaded or navigated"
    assert page.url == url


def _add_member(page: Page) -> Locator:
    """Click "Add a family member", wait for the new row to appear in place, and return it."""
    rows = _family_members(page)
    before = rows.count()
    url = page.url
    _mark_document(page)
    page.get_by_role("button", name="Add a family member").click()
    expect(rows).to_have_count(before + 1)
    _expect_same_document(page, url)
    return rows.nth(before)


def _open_register_form(page: Page) -> None:
    page.get_by_role("main").get_by_role("link", name="Register a case").click()
    expect(page.get_by_role("heading", name="Register a case", level=1)).to_be_visible()
    page.get_by_role("combobox", name="Destination country").select_option(label="Pakistan")
    page.get_by_role("combobox", name="Referral source").select_option(label="NGO")


def _is_live_search(response: Response, text: str) -> bool:
    url = urlsplit(response.url)
    return (
        url.path == "/cases/"
        and parse_qs(url.query).get("q") == [text]
        and response.request.headers.get("hx-request") == "true"
    )


def _case_count(page: Page) -> Locator:
    return page.get_by_role("main").get_by_text(re.compile(r"^\d+ cases?$"))


def test_counsellor_registers_a_family_finds_it_and_corrects_a_member(page: Page, live_server, counsellor_gr, case_gr):
    login(page, live_server, "counsellor.gr")
    counsellor = counsellor_gr.get_full_name()
    _open_register_form(page)
    expect(page.get_by_label("First contact")).to_have_value(timezone.localdate().isoformat())
    _mark_document(page)
    form_url = page.url

    _fill_person(_principal(page), given="Zoé", family="Núñez", year=1990, month=5, day=12, sex="female")

    spouse = _add_member(page)
    _fill_person(spouse, relationship="spouse or partner", given="Omar", family="Khan", year=1988, sex="male")

    child = _add_member(page)
    _fill_person(child, relationship="child", given="Lina", family="Núñez", year=2015, sex="female")
    expect(child.get_by_role("combobox", name="Month", exact=True)).to_have_value("")

    # A fourth row, added and taken away again without a page load.
    extra = _add_member(page)
    expect(_family_members(page)).to_have_count(3)
    extra.get_by_role("textbox", name="Given names", exact=True).fill("Not coming")
    extra.get_by_role("button", name="Remove member").click()
    expect(_family_members(page)).to_have_count(2)
    _expect_same_document(page, form_url)
    # What was typed in the other rows is still there.
    expect(_principal(page).get_by_role("textbox", name="Given names", exact=True)).to_have_value("Zoé")
    expect(_family_members(page).nth(1).get_by_role("textbox", name="Given names", exact=True)).to_have_value("Lina")

    with page.expect_navigation():
        page.get_by_role("button", name="Register the case").click()

    status = page.get_by_role("status").filter(has_text=re.compile(rf"Case {REFERENCE} registered\."))
    expect(status).to_be_visible()
    reference = re.search(REFERENCE, status.inner_text()).group(0)
    assert reference != case_gr.reference
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Case {reference}")
    expect(page.get_by_text("family of 3")).to_be_visible()

    members = page.locator(".member-row").get_by_role("heading", level=3)
    expect(members).to_have_text(["Zoé Núñez", "Omar Khan", "Lina Núñez"])
    principal_card = page.get_by_role("region", name="Zoé Núñez")
    expect(principal_card).to_contain_text("12 May 1990")
    expect(principal_card).to_contain_text("principal applicant")
    expect(page.get_by_role("region", name="Omar Khan")).to_contain_text("spouse or partner")
    child_card = page.get_by_role("region", name="Lina Núñez")
    expect(child_card).to_contain_text("child")
    expect(child_card).to_contain_text(re.compile(r"Date of birth\s*2015 \(year only\)"))
    expect(page.get_by_text("Not coming")).to_have_count(0)

    # Find it again with a search typed without accents (HTMX live search).
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases", exact=True).click()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    results = page.get_by_role("main")
    expect(results.get_by_role("link", name=case_gr.reference)).to_be_visible()
    _mark_document(page)
    list_url = page.url
    with page.expect_response(lambda r: _is_live_search(r, "zoe nunez")):
        page.get_by_role("textbox", name="Search", exact=True).press_sequentially("zoe nunez", delay=20)
    expect(results.get_by_role("link", name=case_gr.reference)).to_have_count(0)
    expect(results.get_by_text("1 case", exact=True)).to_be_visible()
    row = results.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Zoé Núñez")
    expect(row).to_contain_text("family of 3")
    assert page.evaluate("window.__sameDocument") == "yes", "the search reloaded the page"
    assert page.url != list_url, "the search is not in the address bar"
    assert parse_qs(urlsplit(page.url).query).get("q") == ["zoe nunez"]

    row.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Case {reference}")
    history = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Who"))
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    created_case = history.get_by_role("row").filter(has_text=f"created case: {reference}")
    expect(created_case).to_have_count(1)
    expect(created_case).to_contain_text(counsellor)
    for name in ("Zoé Núñez", "Omar Khan", "Lina Núñez"):
        created = history.get_by_role("row").filter(has_text=f"created person: {name}")
        expect(created.first).to_contain_text(counsellor)

    # Correct the child's family name; the history shows old → new.
    page.get_by_role("region", name="Lina Núñez").get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lina Núñez")
    family_name = page.get_by_role("textbox", name="Family name", exact=True)
    expect(family_name).to_have_value("Núñez")
    expect(page.get_by_role("spinbutton", name="Year of birth")).to_have_value("2015")
    family_name.fill("Núñez-Khan")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Lina Núñez-Khan saved.")).to_be_visible()
    expect(page.locator(".member-row").get_by_role("heading", level=3)).to_have_text(
        ["Zoé Núñez", "Omar Khan", "Lina Núñez-Khan"]
    )
    changed = history.get_by_role("row").filter(has_text="changed person: Lina Núñez-Khan")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text(counsellor)
    expect(changed).to_contain_text("family name: Núñez → Núñez-Khan")


def test_child_older_than_principal_is_refused_and_the_form_keeps_what_was_typed(
    page: Page, live_server, counsellor_gr, case_gr
):
    login(page, live_server, "counsellor.gr")
    expect(_case_count(page)).to_have_text("1 case")

    _open_register_form(page)
    _fill_person(_principal(page), given="Zoé", family="Núñez", year=1990, month=5, day=12, sex="female")
    child = _add_member(page)
    _fill_person(child, relationship="child", given="Lina", family="Núñez", year=1980, sex="female")

    with page.expect_navigation():
        page.get_by_role("button", name="Register the case").click()

    # Still on the form, with a message saying why.
    expect(page.get_by_role("heading", name="Register a case", level=1)).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="The family's details do not fit together")).to_be_visible()
    expect(page.get_by_role("status")).to_have_count(0)
    assert not re.search(REFERENCE, page.locator("main").inner_text())

    # The message sits with the child's year of birth, not somewhere else on the page.
    child = _family_members(page)
    expect(child).to_have_count(1)
    year = child.get_by_role("spinbutton", name="Year of birth")
    error = child.get_by_text("A child cannot be older than the principal applicant")
    expect(error).to_be_visible()
    expect(_principal(page).get_by_text("A child cannot be older")).to_have_count(0)
    year_box, error_box = year.bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (year_box["y"] + year_box["height"]) < 40, (year_box, error_box)
    assert abs(error_box["x"] - year_box["x"]) < 40, (year_box, error_box)

    # Everything typed is still there.
    expect(page.get_by_role("combobox", name="Destination country")).to_have_value("PK")
    expect(page.get_by_role("combobox", name="Referral source")).to_have_value("ngo")
    principal = _principal(page)
    expect(principal.get_by_role("textbox", name="Given names", exact=True)).to_have_value("Zoé")
    expect(principal.get_by_role("textbox", name="Family name", exact=True)).to_have_value("Núñez")
    expect(principal.get_by_role("spinbutton", name="Year of birth")).to_have_value("1990")
    expect(principal.get_by_role("combobox", name="Month", exact=True)).to_have_value("5")
    expect(principal.get_by_role("spinbutton", name="Day", exact=True)).to_have_value("12")
    expect(child.get_by_role("combobox", name="Relationship to the principal applicant")).to_have_value("child")
    expect(child.get_by_role("textbox", name="Given names", exact=True)).to_have_value("Lina")
    expect(year).to_have_value("1980")

    # Nothing was registered.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases", exact=True).click()
    expect(_case_count(page)).to_have_text("1 case")
    expect(page.get_by_text("Zoé Núñez")).to_have_count(0)


def test_member_rows_are_named_groups(page: Page, live_server, counsellor_gr):
    login(page, live_server, "counsellor.gr")
    _open_register_form(page)
    _add_member(page)
    expect(page.get_by_role("group", name="Case", exact=True)).to_have_count(1, timeout=2_000)
    expect(page.get_by_role("group", name="Principal applicant", exact=True)).to_have_count(1, timeout=2_000)
    expect(page.get_by_role("group", name=re.compile(r"^Family member"))).to_have_count(1, timeout=2_000)


def test_family_rule_error_is_announced_with_the_field(page: Page, live_server, counsellor_gr):
    login(page, live_server, "counsellor.gr")
    _open_register_form(page)
    _fill_person(_principal(page), given="Zoé", family="Núñez", year=1990, month=5, day=12)
    _fill_person(_add_member(page), relationship="child", given="Lina", family="Núñez", year=1980)
    with page.expect_navigation():
        page.get_by_role("button", name="Register the case").click()
    year = _family_members(page).get_by_role("spinbutton", name="Year of birth")
    expect(year).to_have_value("1980")
    expect(year).to_have_attribute("aria-invalid", "true", timeout=2_000)
    expect(year).to_have_accessible_description(re.compile("A child cannot be older"), timeout=2_000)


def test_first_contact_date_is_filled_in_greek_too(page: Page, live_server, counsellor_gr):
    login(page, live_server, "counsellor.gr")
    _open_register_form(page)
    today = timezone.localdate().isoformat()
    # Found by its form name: the labels are being translated.
    first_contact = page.locator("input[name=inquiry_date]")
    expect(first_contact).to_have_value(today)
    with page.expect_navigation():
        page.get_by_role("navigation").get_by_role("combobox").select_option(label="Ελληνικά")
    expect(page.locator("html")).to_have_attribute("lang", "el")
    expect(first_contact).to_have_value(today, timeout=2_000)
