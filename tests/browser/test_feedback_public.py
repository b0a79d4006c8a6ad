"""A returnee opens the feedback link from the travel letter on a phone, in Greek, and sends feedback; the counsellor sees the task.

No account and no case detail on the phone: the page is in the language the link
carries (the principal's, printed on the letter) and fits a phone's width.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.feedback.models import Feedback
from homeward.feedback.services import feedback_link_for
from tests.browser.conftest import TIMEOUT_MS, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def test_a_returnee_sends_feedback_from_a_phone_in_greek_and_the_counsellor_sees_the_task(
    browser: Browser, page: Page, live_server: object, case_gr: Case, counsellor_gr: User
) -> None:
    link = feedback_link_for(case_gr)
    phone = browser.new_context(viewport=PHONE, locale="el-GR", is_mobile=True, has_touch=True)
    phone.set_default_timeout(TIMEOUT_MS)
    try:
        returnee = phone.new_page()
        returnee.goto(f"{live_server.url}/f/{link.token}/?lang=el")  # type: ignore[attr-defined]
        expect(returnee.locator("html")).to_have_attribute("lang", "el")
        expect(returnee.locator("html")).to_have_attribute("dir", "ltr")
        expect(returnee.locator('nav a[aria-current="true"]')).to_have_text("Ελληνικά")
        # Nothing about the case, and nothing wider than the phone.
        body = returnee.locator("body").inner_text()
        for secret in (case_gr.reference, "Khan", "Imran"):
            assert secret not in body
        assert returnee.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        returnee.locator('input[name="rating"][value="4"]').check()
        returnee.locator("textarea[name=text]").fill("Όλα πήγαν καλά, ευχαριστώ.")
        with returnee.expect_navigation():
            returnee.locator("button[type=submit]").click()
        expect(returnee).to_have_url(re.compile(r"/f/thanks/\?lang=el$"))
        expect(returnee.get_by_role("status")).to_be_visible()
        expect(returnee.locator("html")).to_have_attribute("lang", "el")
    finally:
        phone.close()

    feedback = Feedback.objects.get()
    assert (feedback.case_id, feedback.language, feedback.rating) == (case_gr.pk, "el", 4)

    login(page, live_server, counsellor_gr.username)
    page.goto(f"{live_server.url}/work/")  # type: ignore[attr-defined]
    row = page.locator("tr.task-row").filter(has_text="read and answer the returnee's feedback")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(case_gr.reference)
    row.get_by_role("link", name=case_gr.reference).click()
    expect(page.locator("#feedback-panel")).to_contain_text("1 new")
