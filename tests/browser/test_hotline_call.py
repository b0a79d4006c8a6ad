"""A hotline call becomes an inquiry case, through the pages.

A counsellor of the Greek mission takes a call from a migrant who wants to go home to
Pakistan, logs it on the hotline page, and turns it into an inquiry case with one click:
the case page shows the caller's name, the status "inquiry" and that the person heard of
the programme through the hotline. Nothing said on the phone is typed twice.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from homeward.cases.models import Case
from homeward.outreach.models import HotlineCall
from tests.browser.conftest import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hotline_call_becomes_an_inquiry_case(page: Page, live_server: Any, gr: Any, counsellor_gr: Any) -> None:
    login(page, live_server, "counsellor.gr")
    page.goto(f"{live_server.url}/hotline/")
    expect(page.locator("#no-calls")).to_be_visible()

    # The log form is open while the log is empty; the time of the call is already filled in.
    form = page.locator("#log-a-call form")
    expect(form.get_by_label(re.compile(r"^Received at"))).not_to_have_value("")
    form.get_by_label(re.compile(r"^Caller\b(?!')")).select_option("migrant")
    form.get_by_label(re.compile(r"^Caller's name")).fill("Tariq Mehmood")
    form.get_by_label(re.compile(r"^Caller's phone")).fill("690 123 4567")
    form.get_by_label(re.compile(r"^Language")).select_option("ur")
    form.get_by_label("Interpreter by conference call").check()
    form.get_by_label(re.compile(r"^Country of return")).select_option("PK")
    form.get_by_label(re.compile(r"^Topic")).select_option("return_process")
    form.get_by_label(re.compile(r"^Outcome")).select_option("appointment_made")
    form.get_by_label(re.compile(r"^What was said")).fill("Wants to go home to Lahore; his passport has expired.")
    with page.expect_navigation():
        form.get_by_role("button", name="Log the call").click()
    expect(page.get_by_role("status").filter(has_text="Call logged.")).to_be_visible()

    row = page.locator(".call-row").filter(has_text="Tariq Mehmood")
    expect(row).to_contain_text("+306901234567")
    expect(row).to_contain_text("appointment made")
    with page.expect_navigation():
        row.get_by_role("button", name="Turn into an inquiry case").click()

    case = Case.objects.get()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/$"))
    expect(page.get_by_role("status").filter(has_text=f"Inquiry case {case.reference} opened")).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("inquiry")
    expect(page.locator("main")).to_contain_text("Tariq Mehmood")
    expect(page.locator("main")).to_contain_text("Wants to go home to Lahore")
    expect(page.locator("#outreach-source")).to_contain_text("Hotline")

    # Back on the hotline page the call links to its case and offers no second conversion.
    page.goto(f"{live_server.url}/hotline/")
    row = page.locator(".call-row").filter(has_text="Tariq Mehmood")
    expect(row.get_by_role("link", name=case.reference)).to_be_visible()
    expect(row.get_by_role("button", name="Turn into an inquiry case")).to_have_count(0)
    assert HotlineCall.objects.get().case == case
