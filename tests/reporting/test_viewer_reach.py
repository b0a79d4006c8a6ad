"""A programme viewer reaches no person-level data by any page, export or API, only figures.

Each door a person's data could leave by is tried with a real case of the viewer's own
mission: refused (403), or as if it did not exist (404), or empty of that case.
"""

from __future__ import annotations

import pytest
from django.test import Client

from homeward.accounts.models import User
from homeward.cases.models import Case

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _words(case: Case) -> list[str]:
    words = [case.reference]
    for member in case.members.select_related("person"):
        words += [member.person.given_names, member.person.family_name]
    return words


def test_no_page_or_api_of_cases_opens_to_a_programme_viewer(viewer: User, case_gr: Case) -> None:
    client = _client(viewer)
    refused = {
        "/cases/": client.get("/cases/"),
        "/cases/<ref>/": client.get(f"/cases/{case_gr.reference}/"),
        "/api/v1/cases/{id}": client.get(f"/api/v1/cases/{case_gr.pk}"),
        "/reports/export/cases/": client.get("/reports/export/cases/", {"format": "csv"}),
        "/api/v1/exports/cases": client.post(
            "/api/v1/exports/cases", {"format": "csv"}, content_type="application/json"
        ),
        "/imports/": client.get("/imports/"),
    }
    assert {url: r.status_code for url, r in refused.items() if r.status_code not in (403, 404)} == {}
    listed = client.get("/api/v1/cases")
    assert listed.status_code in (200, 403)
    for word in _words(case_gr):
        assert word not in listed.content.decode()


def test_what_a_programme_viewer_does_reach_holds_no_name_and_no_reference(
    viewer: User, supervisor_gr: User, case_gr: Case
) -> None:
    client = _client(viewer)
    assert client.get("/")["Location"] == "/reports/"  # a viewer starts at the figures
    pages = [client.get(url) for url in ("/reports/", "/reports/indicators/", "/reports/dashboard/", "/work/")]
    assert [p.status_code for p in pages] == [200, 200, 200, 200]
    for page in pages:
        for word in _words(case_gr):
            assert word not in page.content.decode()
