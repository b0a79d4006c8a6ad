"""An M&E officer records the 3-month monitoring visit and a sustainability follow-up, and sees the dimension chart.

The case is set up directly (its journey home has its own browser test): referred
to Pakistan, arrived 95 days ago under a programme that schedules visits at 3, 6
and 12 months, with a baseline survey already taken.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from homeward.accounts.roles import Role
from homeward.monitoring.models import Visit
from homeward.monitoring.services import schedule_for
from homeward.programmes.services import programme_load
from homeward.surveys import services as surveys
from tests.browser.conftest import login
from tests.factories import UserFactory
from tests.money import arrived, entitled, return_on


def _programme() -> Any:
    return programme_load(
        acting_user=None,
        data={
            "programme": {"code": "GR/MON", "name": "Monitoring test", "donor": "EU", "missions": ["GR"],
                          "currency": "EUR", "start": "2024-01-01", "end": "2030-12-31"},
            "rules": [{"effective_from": "2024-01-01",
                       "eligibility": {"legal_status": {"accepted": ["return_decision"]}},
                       "monitoring": {"visits_after_months": [3, 6, 12]}}],
        },
    )  # fmt: skip


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_me_officer_records_the_three_month_visit_and_a_follow_up_survey(
    page: Page, live_server: Any, case_gr: Any, counsellor_gr: Any, supervisor_gr: Any, pk: Any,
) -> None:  # fmt: skip
    case = entitled(case_gr, counsellor_gr, _programme())
    arrived(case, supervisor_gr, pk)
    return_on(case, supervisor_gr, timezone.localdate() - dt.timedelta(days=96))
    schedule_for(case=case, moved_to="arrived")
    officer = UserFactory(username="me.pk", roles=[(pk, Role.ME_OFFICER)])
    instrument = surveys.current_instrument()
    worst = {
        i.code: min((o for o in i.options if o.value is not None), key=lambda o: o.value).code
        for d in instrument.parsed.dimensions
        for i in d.indicators
    }
    surveys.response_record(acting_user=officer, case=case, instrument=instrument, answers=worst,
                            taken_on=timezone.localdate() - dt.timedelta(days=90), kind="baseline")  # fmt: skip
    three_months = Visit.objects.get(case=case, months_after=3)

    login(page, live_server, "me.pk")
    page.goto(f"{live_server.url}/cases/{case.reference}/monitoring/")
    record = page.locator("#record")
    record.get_by_label(re.compile("^Which visit")).select_option(str(three_months.pk))
    record.get_by_label(re.compile("^Visited on")).fill(timezone.localdate().isoformat())
    record.get_by_label(re.compile("^How")).select_option("home")
    record.get_by_label(re.compile("^Who was met")).fill("Imran and his wife, at home.")
    record.get_by_label(re.compile("^Findings")).fill("Settled with relatives; looking for work.")
    with page.expect_navigation():
        record.get_by_role("button", name="Record the visit").click()
    three_months.refresh_from_db()
    assert three_months.status == Visit.Status.DONE

    # The follow-up survey: every indicator answered with its best option.
    page.goto(f"{live_server.url}/cases/{case.reference}/surveys/")
    page.locator("#record-rss summary").click()
    form = page.locator("#record-rss form")
    for question in form.locator("fieldset[data-dimension] fieldset").all():
        question.locator("input[type=radio]").first.check()
    with page.expect_navigation():
        form.get_by_role("button", name="Record and score").click()

    # The case page draws each dimension over time, and says how it is weighted.
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    expect(page.locator(".survey-chart")).to_have_count(3)
    expect(page.locator(".survey-chart").first.locator("circle")).to_have_count(2)
    expect(page.locator(".weighting")).to_contain_text("equal-weight default, not an official weighting")
