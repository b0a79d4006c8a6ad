"""In the browser: the case list's export buttons download the filtered list, with HTMX on the page."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from tests.browser.conftest import login
from tests.factories import register_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_counsellor_downloads_the_filtered_case_list_as_csv_with_hxl(
    page: Page,
    live_server: object,
    case_gr: Case,
    counsellor_gr: User,
    gr: Mission,
    tmp_path: Path,
) -> None:
    register_case(counsellor_gr, gr, destination_place="Karachi")  # filtered out by the search
    login(page, live_server, "counsellor.gr")
    page.goto(f"{live_server.url}/cases/?q={case_gr.reference}")  # type: ignore[attr-defined]
    expect(page.get_by_role("link", name=case_gr.reference)).to_be_visible()
    page.get_by_text("Export", exact=True).click()
    page.get_by_label("HXL hashtag row").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith("cases-")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    header, tags, *rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert (header[0], tags[0]) == ("Reference", "#meta+id")
    assert [row[0] for row in rows] == [case_gr.reference]
