"""Who sees which case in the browser, and the language switcher."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _search(page: Page, text: str) -> None:
    """Type into the case search box and wait for the live results to answer."""
    search = page.get_by_role("textbox", name="Search", exact=True)
    search.fill("")
    with page.expect_response(
        lambda r: parse_qs(urlsplit(r.url).query).get("q") == [text] and r.request.headers.get("hx-request") == "true"
    ):
        search.press_sequentially(text, delay=20)


def test_counsellor_of_another_mission_cannot_open_or_find_the_case(page: Page, live_server, case_gr, case_ro):
    login(page, live_server, "counsellor.ro")
    main = page.get_by_role("main")

    # Their own case is listed; Greece's is not.
    expect(main.get_by_role("link", name=case_ro.reference)).to_be_visible()
    expect(main.get_by_text("1 case", exact=True)).to_be_visible()
    expect(main).not_to_contain_text(case_gr.reference)

    # Searching for the Greek family, by name or by reference, finds nothing.
    for text in ("Khan", case_gr.reference):
        _search(page, text)
        expect(main.get_by_text("No case matches.")).to_be_visible()
        expect(main).not_to_contain_text(case_gr.reference)
        expect(main).not_to_contain_text("Imran Khan")
    expect(main.get_by_role("link", name=case_gr.reference)).to_have_count(0)

    # Typing the address of the Greek case shows "Not found", not the case.
    response = page.goto(f"{live_server.url}/cases/{case_gr.reference}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Not found"))
    expect(page.get_by_role("main")).not_to_contain_text("Imran Khan")
    expect(page.get_by_role("main")).not_to_contain_text(case_gr.reference)
    # Nor can its edit page be reached.
    response = page.goto(f"{live_server.url}/cases/{case_gr.reference}/edit/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()


def test_finance_officer_sees_the_case_but_cannot_edit_it(page: Page, live_server, case_gr, finance_gr):
    login(page, live_server, "finance.gr")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Register a case")).to_have_count(0)
    main.get_by_role("link", name=case_gr.reference).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Case {case_gr.reference}")
    expect(page.locator(".member-row").get_by_role("heading", level=3)).to_have_text(
        ["Imran Khan", "Ayesha Khan", "Sana Khan"]
    )
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    for name in ("Edit case", "Add a member", "Edit", "Add a document"):
        expect(main.get_by_role("link", name=name, exact=True)).to_have_count(0)
    for name in ("Edit case", "Remove from case", "Mark as registered"):
        expect(main.get_by_role("button", name=name)).to_have_count(0)


def test_language_switcher_changes_the_interface_to_greek(page: Page, live_server, counsellor_gr, case_gr):
    login(page, live_server, "counsellor.gr")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switcher = page.get_by_role("navigation").get_by_role("combobox", name="Language")
    url = page.url

    with page.expect_navigation():
        switcher.select_option(label="Ελληνικά")

    expect(page.locator("html")).to_have_attribute("lang", "el")
    assert page.url == url, "the switcher should come back to the same page"
    expect(page.get_by_role("navigation").get_by_role("combobox")).to_have_value("el")
    expect(page.get_by_role("main").get_by_role("link", name=case_gr.reference)).to_be_visible()

    # The choice sticks on the next page.
    page.get_by_role("link", name=case_gr.reference).click()
    expect(page.locator("html")).to_have_attribute("lang", "el")
