"""The reports home page and the period picker's quick choices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.programmes.models import Programme
from homeward.reporting import report_layout, services
from homeward.reporting.periods import Period
from tests.reporting.reports_data import report_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(gr: Mission) -> Programme:
    return report_programme()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_home_page_lists_the_programmes_and_their_reports(
    programme: Programme, supervisor_gr: User, ro: Mission
) -> None:
    other = report_programme(code="RO/AVRR", missions=("RO",))
    report = services.report_create(
        acting_user=supervisor_gr, programme=programme, period=Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    )
    html = _client(supervisor_gr).get("/reports/").content.decode()
    assert f'id="programme-{programme.pk}"' in html
    assert f'id="programme-{other.pk}"' not in html
    assert f'href="/reports/saved/{report.pk}/"' in html
    assert report.title == "GR/AVRR: 2025-01-01 – 2025-03-31"
    assert 'href="/reports/indicators/"' in html
    assert f'href="/reports/programmes/{programme.pk}/"' in html


def test_quick_choices_are_the_life_the_years_and_the_quarters(programme: Programme, supervisor_gr: User) -> None:
    quick = report_layout.quick_periods(programme)
    assert [(p.start, p.end) for p in quick["life"]] == [(dt.date(2025, 1, 1), dt.date(2026, 12, 31))]
    assert [p.label for p in quick["years"]] == ["2025", "2026"]
    assert len(quick["quarters"]) == 8
    assert (quick["quarters"][1].label, quick["quarters"][1].start, quick["quarters"][1].end) == (
        "2025-Q2", dt.date(2025, 4, 1), dt.date(2025, 6, 30),
    )  # fmt: skip
    html = _client(supervisor_gr).get(f"/reports/programmes/{programme.pk}/").content.decode()
    assert '?from=2025-04-01&amp;to=2025-06-30">2025-Q2</a>' in html
    assert '?from=2026-01-01&amp;to=2026-12-31">2026</a>' in html


def test_years_of_a_programme_starting_mid_year_count_from_its_start() -> None:
    class P:
        start, end = dt.date(2024, 7, 1), dt.date(2025, 12, 31)

    quick = report_layout.quick_periods(P)
    assert [(p.start, p.end) for p in quick["years"]] == [
        (dt.date(2024, 7, 1), dt.date(2025, 6, 30)), (dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
    ]  # fmt: skip
    assert quick["quarters"][0].label == "2024-Q3"
