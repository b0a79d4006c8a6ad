"""An administrator changes a programme's pre-departure cash; a case's entitlements show the new amount."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.roles import Role
from homeward.cases import eligibility
from homeward.programmes.services import programme_load
from tests.browser.conftest import login
from tests.cases.test_eligibility import RULES
from tests.factories import UserFactory, family_of_three, register_case


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_administrator_changes_cash_and_the_entitlements_follow(
    page: Page, live_server: Any, gr: Any, pk: Any, counsellor_gr: Any
) -> None:
    programme = programme_load(acting_user=None, data=RULES)
    case = register_case(counsellor_gr, gr, family_of_three(), counsellor=counsellor_gr, legal_status="return_decision")
    eligibility.case_assess(acting_user=counsellor_gr, case=case, programme=programme)
    UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])

    login(page, live_server, "admin.gr")
    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    page.get_by_role("link", name="Change").click()
    page.get_by_label("Adult").fill("125")
    page.get_by_label("Minor").fill("125")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Pre-departure cash saved.")).to_be_visible()
    expect(page.locator(f"#cash-{programme.rule_versions.get().pk}")).to_contain_text("125")

    page.context.clear_cookies()
    login(page, live_server, "counsellor.gr")
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    # The decision keeps its rules until someone assesses again.
    expect(page.get_by_text("The programme's rules have changed since this assessment")).to_be_visible()
    page.get_by_role("button", name="Assess eligibility").click()
    page.goto(f"{live_server.url}/cases/{case.reference}/entitlements/")
    table = page.locator("#entitlements")
    expect(table).to_contain_text("125.00")
    expect(table).to_contain_text("per person, adult")
    expect(table.locator("tfoot")).to_contain_text("375.00")
