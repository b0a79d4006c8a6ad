"""The donor report and the dashboard in a real browser.

An M&E officer of Greece opens the Greek programme's figures for a quarter, starts a
report, writes its context, submits it and downloads the PDF and the XLSX; a programme
viewer opens the dashboard and sees the charts drawn and the small counts suppressed.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Relationship
from homeward.cases.services import MemberInput
from homeward.programmes import catalogue
from homeward.programmes.models import Programme
from homeward.programmes.services import programme_load
from homeward.reporting.models import DonorReport
from tests.browser.conftest import login
from tests.factories import UserFactory, person, register_case
from tests.money import return_on
from tests.reporting.reports_data import returned_family

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUARTER = ("2023-01-01", "2023-03-31")


def _greek_programme_with_returns(gr: Mission, counsellor: User) -> tuple[Programme, list[str]]:
    """The shipped Greek programme; three families and one man returned in its first quarter of 2023."""
    programme = programme_load(acting_user=None, data=catalogue.read("greece-eea-vulnerable"))
    references = [
        returned_family(counsellor, gr, programme, name, dt.date(2023, 2, 1 + n)).reference
        for n, name in enumerate(("Khan", "Ahmadi", "Rahimi"))
    ]
    single = register_case(
        counsellor, gr, [MemberInput(Relationship.PRINCIPAL, person("Bilal", "Qureshi", year=1990, sex="M"))],
        counsellor=counsellor, legal_status="return_decision",
    )  # fmt: skip
    single.programme = programme
    single.save(update_fields=["programme"])
    return_on(single, counsellor, dt.date(2023, 3, 10))
    return programme, [*references, single.reference]


def test_an_officer_submits_the_quarter_report_and_a_viewer_sees_the_dashboard(
    page: Page, live_server: object, gr: Mission, counsellor_gr: User, viewer: User
) -> None:
    programme, references = _greek_programme_with_returns(gr, counsellor_gr)
    officer = UserFactory(username="me.gr", roles=[(gr, Role.ME_OFFICER)])
    url = live_server.url  # type: ignore[attr-defined]

    login(page, live_server, officer.username)
    page.get_by_role("link", name="Reports").click()
    page.locator(f"#programme-{programme.pk} a.open-report").click()
    page.locator("#period-form input[name=from]").fill(QUARTER[0])
    page.locator("#period-form input[name=to]").fill(QUARTER[1])
    page.locator("#period-form button[type=submit]").click()
    expect(page.locator("#report-scope")).to_contain_text("2023-01-01")
    # Ten persons: three families of three and a man alone; the officer sees exact counts.
    expect(page.locator("#indicator-persons_assisted [data-figure=value]")).to_have_text("10")
    expect(page.locator("#indicator-individual_cases [data-figure=value]")).to_have_text("1")

    page.locator("#new-report-form button[type=submit]").click()
    expect(page.locator("#report-status")).to_be_visible()
    page.locator("#narrative-form textarea[name=context]").fill(
        "Returns resumed after the winter; three families went home."
    )
    page.locator("#save-narrative").click()
    expect(page.locator("#narrative-form textarea[name=context]")).to_have_value(
        "Returns resumed after the winter; three families went home."
    )
    page.locator("#submit-report").click()
    expect(page.locator("#figures-note")).to_contain_text("do not change")
    expect(page.locator("#narrative-context")).to_contain_text("three families went home")
    report = DonorReport.objects.get()
    assert report.frozen["indicators"]["persons_assisted"]["value"] == 10

    with page.expect_download() as pdf:
        page.locator("#download-pdf").click()
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    with page.expect_download() as xlsx:
        page.locator("#download-xlsx").click()
    with open(xlsx.value.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert any("persons_assisted" in row and 10 in row for row in rows), rows[:10]

    page.locator("form[action$='logout/'] button").click()
    login(page, live_server, viewer.username)
    page.goto(f"{url}/reports/dashboard/?programme={programme.pk}&from={QUARTER[0]}&to={QUARTER[1]}")
    charts = page.locator("canvas.dashboard-chart")
    expect(charts.first).to_be_visible()
    expect(page.locator('canvas.dashboard-chart[data-chart="returns_by_month"]')).to_have_attribute(
        "data-drawn", "true"
    )
    assert charts.count() >= 5
    # The man alone, and each month's handful, are "<5"; the table is one click away.
    suppressed = page.locator("td.suppressed")
    assert suppressed.count() > 0
    expect(suppressed.first).to_have_text("<5")
    page.locator("details.dashboard-details summary").first.click()
    expect(page.locator("table.dashboard-table").first).to_be_visible()
    body = page.locator("body").inner_text()
    for secret in ("Khan", "Ahmadi", "Rahimi", "Qureshi", "Imran", *references):
        assert secret not in body
