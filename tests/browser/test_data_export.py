"""In the browser: a counsellor exports the data of a person of their case, as PDF and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.privacy.models import Export
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_counsellor_exports_a_persons_data(page: Page, live_server: object, case_gr: Case, counsellor_gr: User,
                                             tmp_path: Path) -> None:  # fmt: skip
    imran = case_gr.members.get(relationship="principal").person
    login(page, live_server, counsellor_gr.username)
    page.goto(f"{live_server.url}/cases/{case_gr.reference}/")
    card = page.locator("section", has=page.get_by_role("heading", name="Imran Khan"))
    with page.expect_download() as download_info:
        card.get_by_role("button", name="PDF", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"personal-data-{imran.pk}.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    # WeasyPrint compresses the PDF's text: the JSON export shows what it holds.
    with page.expect_download() as download_info:
        card.get_by_role("button", name="JSON", exact=True).click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["person"]["given_names"], data["person"]["family_name"]) == ("Imran", "Khan")
    assert [c["reference"] for c in data["cases"]] == [case_gr.reference]
    assert list(Export.objects.filter(person=imran).values_list("format", flat=True).order_by("pk")) == ["pdf", "json"]
