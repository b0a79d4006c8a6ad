"""Saved donor reports: drafts are written, a submission freezes the figures, and who may do what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.test import Client
from openpyxl import load_workbook

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.reporting import report_pdf, services
from homeward.reporting.models import DonorReport
from homeward.reporting.periods import Period
from tests.factories import UserFactory
from tests.reporting.reports_data import PageFigures, pdf_tokens, report_programme, returned_family

pytestmark = pytest.mark.django_db
Q1 = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))


@pytest.fixture
def programme(counsellor_gr: User, gr: Mission) -> Programme:
    programme = report_programme()
    returned_family(counsellor_gr, gr, programme, "Khan", dt.date(2025, 2, 10))
    returned_family(counsellor_gr, gr, programme, "Popal", dt.date(2025, 3, 5))
    return programme


@pytest.fixture
def me_gr(gr: Mission) -> User:
    return UserFactory(username="me.gr", roles=[(gr, Role.ME_OFFICER)])


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _start(client: Client, programme: Programme) -> DonorReport:
    response = client.post(
        f"/reports/programmes/{programme.pk}/new/", {"from": "2025-01-01", "to": "2025-03-31", "title": "Q1 2025"}
    )
    assert response.status_code == 302, response.content[:500]
    return DonorReport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


NARRATIVE = {
    "title": "Q1 2025 for the EU",
    "context": "Arrivals rose on the islands.",
    "challenges": "Embassy delays.",
    "partnerships": "With the Greek asylum service.",
}


def test_an_officer_writes_a_draft_and_submits_it(programme: Programme, me_gr: User) -> None:
    client = _client(me_gr)
    report = _start(client, programme)
    assert (report.status, report.title, report.period) == ("draft", "Q1 2025", Q1)
    assert list(report.missions.values_list("code", flat=True)) == ["GR"]

    response = client.post(f"/reports/saved/{report.pk}/narrative/", NARRATIVE, follow=True)
    assert "The narrative is saved." in response.content.decode()
    report.refresh_from_db()
    assert report.narrative() == {k: v for k, v in NARRATIVE.items() if k != "title"}
    assert report.title == "Q1 2025 for the EU"

    response = client.post(f"/reports/saved/{report.pk}/submit/", follow=True)
    html = response.content.decode()
    assert "The report is submitted" in html
    report.refresh_from_db()
    assert (report.status, report.submitted_by, report.frozen["indicators"]["persons_assisted"]["value"]) == (
        "submitted", me_gr, 6,
    )  # fmt: skip
    assert report.frozen_at == report.submitted_at
    assert "Embassy delays." in html
    assert 'id="narrative-form"' not in html
    assert LogEntry.objects.get_for_object(report).filter(actor=me_gr).count() >= 2


def test_a_submitted_report_cannot_change(programme: Programme, me_gr: User) -> None:
    report = services.report_create(acting_user=me_gr, programme=programme, period=Q1)
    services.report_update_narrative(acting_user=me_gr, report=report, data={"context": "Before."})
    services.report_submit(acting_user=me_gr, report=report)

    with pytest.raises(ServiceError, match="can no longer change"):
        services.report_update_narrative(acting_user=me_gr, report=report, data={"context": "After."})
    with pytest.raises(ServiceError, match="can no longer change"):
        services.report_submit(acting_user=me_gr, report=report)
    response = _client(me_gr).post(f"/reports/saved/{report.pk}/narrative/", {**NARRATIVE, "context": "After."})
    assert response.status_code == 400
    assert "can no longer change" in response.content.decode()
    report.refresh_from_db()
    assert report.context == "Before."


def test_the_frozen_figures_do_not_move_when_the_data_does(
    programme: Programme, me_gr: User, counsellor_gr: User, gr: Mission
) -> None:
    report = services.report_create(acting_user=me_gr, programme=programme, period=Q1)
    services.report_submit(acting_user=me_gr, report=report)
    client = _client(me_gr)
    assert "None: today's data gives the same figures." in client.get(f"/reports/saved/{report.pk}/").content.decode()

    # Another family registered and departed within the quarter, after the submission.
    returned_family(counsellor_gr, gr, programme, "Rahimi", dt.date(2025, 3, 20))

    page = PageFigures(client.get(f"/reports/saved/{report.pk}/").content.decode())
    assert page.figures["persons_assisted"]["value"] == "6"
    assert page.figures["family_cases"]["value"] == "2"
    changes = {(d["code"], d["dimension"], d["key"]): (d["before"], d["after"]) for d in page.differences}
    assert changes[("persons_assisted", "", "value")] == ("6", "9")
    assert changes[("family_cases", "", "value")] == ("2", "3")
    assert changes[("persons_assisted", "sex_age", "girls")] == ("2", "3")

    saved = client.get(f"/api/v1/reports/{report.pk}").json()
    assert saved["status"] == "submitted"
    assert saved["document"]["indicators"]["persons_assisted"]["value"] == 6
    live = client.get(f"/api/v1/programmes/{programme.pk}/report?from=2025-01-01&to=2025-03-31").json()
    assert live["indicators"]["persons_assisted"]["value"] == 9

    book = load_workbook(io.BytesIO(client.get(f"/reports/saved/{report.pk}/report.xlsx").content))
    summary = {row[1].value: row[4].value for row in book["Summary"].iter_rows(min_row=2)}
    assert summary["persons_assisted"] == 6
    pdf = client.get(f"/reports/saved/{report.pk}/report.pdf")
    assert pdf.content.startswith(b"%PDF")
    tokens = pdf_tokens(report_pdf.report_html(saved["document"], report))
    at = tokens.index("persons_assisted")
    assert tokens[at + 1 : at + 4] == ["6", "3", "200.0%"]


def test_a_draft_shows_todays_figures(programme: Programme, me_gr: User, counsellor_gr: User, gr: Mission) -> None:
    report = services.report_create(acting_user=me_gr, programme=programme, period=Q1)
    returned_family(counsellor_gr, gr, programme, "Rahimi", dt.date(2025, 3, 20))
    page = PageFigures(_client(me_gr).get(f"/reports/saved/{report.pk}/").content.decode())
    assert page.figures["persons_assisted"]["value"] == "9"


def test_a_programme_viewer_reads_submitted_reports_suppressed_and_writes_nothing(
    programme: Programme, me_gr: User, viewer: User
) -> None:
    draft = services.report_create(acting_user=me_gr, programme=programme, period=Q1, title="Draft")
    submitted = services.report_create(acting_user=me_gr, programme=programme, period=Q1, title="Sent")
    submitted = services.report_submit(acting_user=me_gr, report=submitted)
    client = _client(viewer)

    assert client.get(f"/reports/saved/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/reports/{draft.pk}").status_code == 404
    home = client.get("/reports/").content.decode()
    assert "Sent" in home
    assert "Draft" not in home

    response = client.get(f"/reports/saved/{submitted.pk}/")
    assert response.status_code == 200
    page = PageFigures(response.content.decode())
    # The officer froze the exact figures; the viewer reads them suppressed.
    assert submitted.frozen["indicators"]["family_cases"]["value"] == 2
    assert page.figures["family_cases"]["value"] == "<5"
    assert page.cells[("persons_assisted", "sex_age", "girls")] == "<5"
    assert (
        client.get(f"/api/v1/reports/{submitted.pk}").json()["document"]["indicators"]["family_cases"]["value"] == "<5"
    )
    book = load_workbook(io.BytesIO(client.get(f"/reports/saved/{submitted.pk}/report.xlsx").content))
    assert {r[1].value: r[4].value for r in book["Summary"].iter_rows(min_row=2)}["family_cases"] == "<5"
    assert 'id="narrative-form"' not in response.content.decode()

    assert (
        client.post(f"/reports/programmes/{programme.pk}/new/", {"from": "2025-01-01", "to": "2025-03-31"}).status_code
        == 403
    )
    assert client.post(f"/reports/saved/{submitted.pk}/narrative/", NARRATIVE).status_code == 403
    assert client.post(f"/reports/saved/{draft.pk}/submit/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.report_create(acting_user=viewer, programme=programme, period=Q1)
    with pytest.raises(PermissionDenied):
        services.report_submit(acting_user=viewer, report=draft)
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_counsellor_sees_no_reports(programme: Programme, counsellor_gr: User) -> None:
    client = _client(counsellor_gr)
    assert client.get("/reports/").status_code == 403
    assert client.get(f"/reports/programmes/{programme.pk}/").status_code == 403
    assert client.get(f"/api/v1/programmes/{programme.pk}/report").status_code == 404


def test_another_missions_programme_and_reports_are_not_found(programme: Programme, me_gr: User, ro: Mission) -> None:
    ro_programme = report_programme(code="RO/AVRR", missions=("RO",))
    me_ro = UserFactory(username="me.ro", roles=[(ro, Role.ME_OFFICER)])
    ro_report = services.report_create(acting_user=me_ro, programme=ro_programme, period=Q1)
    client = _client(me_gr)
    for url in (
        f"/reports/programmes/{ro_programme.pk}/",
        f"/reports/programmes/{ro_programme.pk}/report.pdf",
        f"/reports/programmes/{ro_programme.pk}/report.xlsx",
        f"/reports/saved/{ro_report.pk}/",
        f"/reports/saved/{ro_report.pk}/report.xlsx",
        f"/api/v1/programmes/{ro_programme.pk}/report",
        f"/api/v1/reports/{ro_report.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/reports/saved/{ro_report.pk}/submit/").status_code == 404
    assert client.post(f"/reports/programmes/{ro_programme.pk}/new/", {}).status_code == 404
    ro_report.refresh_from_db()
    assert ro_report.is_draft


def test_a_narrative_pasted_with_control_characters_still_makes_an_xlsx(programme: Programme, me_gr: User) -> None:
    client = _client(me_gr)
    report = _start(client, programme)
    client.post(f"/reports/saved/{report.pk}/narrative/", {**NARRATIVE, "context": "Pasted from Word\x0bline two"})
    client.post(f"/reports/saved/{report.pk}/submit/")
    response = client.get(f"/reports/saved/{report.pk}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    texts = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("Pasted from Wordline two" in t for t in texts)


def test_an_me_officer_reading_a_supervisors_frozen_report_sees_no_small_medical_count(
    programme: Programme, supervisor_gr: User, me_gr: User, counsellor_gr: User, gr: Mission
) -> None:
    from homeward.people.models import PersonVulnerability, VulnerabilityType

    khan = programme.cases.get(members__person__family_name="Khan", members__relationship="principal")
    principal = khan.members.get(relationship="principal").person
    PersonVulnerability.objects.create(person=principal, type=VulnerabilityType.objects.get(code="health_needs"))
    report = _start(_client(supervisor_gr), programme)
    _client(supervisor_gr).post(f"/reports/saved/{report.pk}/submit/")
    report.refresh_from_db()
    frozen = {
        c["key"]: c["value"]
        for c in report.frozen["indicators"]["persons_assisted"]["disaggregations"]["vulnerability"]
    }
    assert frozen["health_needs"] == 1  # the supervisor's copy is exact
    read = _client(me_gr).get(f"/api/v1/reports/{report.pk}").json()
    cells = {
        c["key"]: c["value"]
        for c in read["document"]["indicators"]["persons_assisted"]["disaggregations"]["vulnerability"]
    }
    assert cells["health_needs"] == "<5"


def test_a_viewer_of_two_missions_reads_one_missions_submitted_report_without_todays_differences(
    programme: Programme, me_gr: User, gr: Mission, ro: Mission
) -> None:
    client = _client(me_gr)
    report = _start(client, programme)
    client.post(f"/reports/saved/{report.pk}/submit/")
    viewer = UserFactory(username="viewer.gr.ro", roles=[(gr, Role.PROGRAMME_VIEWER), (ro, Role.PROGRAMME_VIEWER)])
    page = _client(viewer).get(f"/reports/saved/{report.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="differences-refused"' in html
    assert "all your missions together" in html
