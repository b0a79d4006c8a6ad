"""Bad input to the donor report, by page and API: clear words, nothing computed from a wrong period."""

from __future__ import annotations

import pytest
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.programmes.models import Programme
from homeward.reporting.models import DonorReport
from tests.factories import UserFactory
from tests.reporting.reports_data import report_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(gr: Mission) -> Programme:
    return report_programme()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("from=2025-03-31&to=2025-01-01", "to", "The period ends (2025-01-01) before it starts (2025-03-31)."),
        ("from=2025-13-01&to=2025-12-31", "from", "“2025-13-01” is not a date: write it as YYYY-MM-DD"),
        ("from=31/01/2025&to=2025-12-31", "from", "“31/01/2025” is not a date"),
        ("from=2025-01-01&to=2025-03-31&mission=XX", "mission", "Unknown mission: XX."),
        ("from=2025-01-01&to=2025-03-31&mission=RO", "mission", "You do not see the figures of RO."),
    ],
)
def test_bad_input_is_refused_in_words(
    programme: Programme, supervisor_gr: User, ro: Mission, query: str, field: str, words: str
) -> None:
    client = _client(supervisor_gr)
    api = client.get(f"/api/v1/programmes/{programme.pk}/report?{query}")
    assert api.status_code == 400
    assert words in api.json()["message"]
    assert words in " ".join(api.json()["fields"][field])

    page = client.get(f"/reports/programmes/{programme.pk}/?{query}")
    assert page.status_code == 400
    assert words in page.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert 'id="indicator-persons_assisted"' not in page.content.decode()
    for download in ("report.pdf", "report.xlsx"):
        response = client.get(f"/reports/programmes/{programme.pk}/{download}?{query}")
        assert response.status_code == 400
        assert words in response.content.decode()


def test_a_report_cannot_be_started_for_a_period_ending_before_it_starts(
    programme: Programme, supervisor_gr: User
) -> None:
    response = _client(supervisor_gr).post(
        f"/reports/programmes/{programme.pk}/new/", {"from": "2025-03-31", "to": "2025-01-01"}, follow=True
    )
    assert "The period ends (2025-01-01) before it starts (2025-03-31)." in response.content.decode()
    assert not DonorReport.objects.exists()


def test_without_dates_the_period_is_the_life_of_the_programme(programme: Programme, supervisor_gr: User) -> None:
    doc = _client(supervisor_gr).get(f"/api/v1/programmes/{programme.pk}/report").json()
    assert doc["period"] == {"from": "2025-01-01", "to": "2026-12-31"}
    assert doc["indicators"]["persons_assisted"]["target"] == 10.0
    assert doc["report_disaggregations"] == ["sex_age", "case_type", "nationality"]


def test_the_mission_filter_narrows_the_count(programme: Programme, gr: Mission, ro: Mission) -> None:
    both = UserFactory(username="me.both", roles=[(gr, Role.ME_OFFICER), (ro, Role.ME_OFFICER)])
    client = _client(both)
    assert client.get(f"/api/v1/programmes/{programme.pk}/report").json()["missions"] == ["GR", "RO"]
    doc = client.get(f"/api/v1/programmes/{programme.pk}/report?mission=gr").json()
    assert doc["missions"] == ["GR"]
    page = client.get(f"/reports/programmes/{programme.pk}/?mission=GR&mission=RO").content.decode()
    assert "Missions: GR, RO" in page
