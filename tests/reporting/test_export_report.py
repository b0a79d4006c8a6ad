"""Report table exports: the document's figures as the user gets them, suppressed for a viewer."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from homeward.accounts.models import User
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.programmes.models import Programme
from tests import journey
from tests.factories import PASSWORD


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def programme(case_gr: Case, counsellor_gr: User) -> Programme:
    """The Greek test programme, with the Khan family (3 persons) departed today."""
    prog = journey.programme()
    Case.objects.filter(pk=case_gr.pk).update(programme=prog, status=CaseStatus.DEPARTED)
    Transition.objects.create(
        case=case_gr, from_status=CaseStatus.TRAVEL_BOOKED, to_status=CaseStatus.DEPARTED, by=counsellor_gr
    )
    return prog


def period() -> dict[str, str]:
    today = timezone.localdate()
    return {"from": (today - dt.timedelta(days=30)).isoformat(), "to": (today + dt.timedelta(days=1)).isoformat()}


def url(prog: Programme) -> str:
    return reverse("reporting:report_export", args=[prog.pk])


def summary(rows: list[list[object]]) -> dict[object, dict[object, object]]:
    header, *body = rows
    return {row[header.index("Indicator code")]: dict(zip(header, row, strict=True)) for row in body}


@pytest.mark.django_db
def test_a_case_reader_gets_the_figures_and_the_tidy_breakdowns(supervisor_gr: User, programme: Programme) -> None:
    response = login(supervisor_gr).get(url(programme), {**period(), "format": "xlsx", "hxl": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="report-grtest-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Indicators", "Breakdowns"]
    header, tags, *rows = [list(r) for r in book["Indicators"].iter_rows(values_only=True)]
    assert {"#indicator+code", "#indicator+name", "#indicator+value", "#date+start"} <= set(tags)
    figures = summary([header, *rows])
    assert figures["persons_assisted"]["Value"] == 3
    assert figures["family_cases"]["Value"] == 1
    header, tags, *cells = [list(r) for r in book["Breakdowns"].iter_rows(values_only=True)]
    assert tags[header.index("Value")] == "#indicator+value"
    by_sex_age = {
        r[header.index("Key")]: r[header.index("Value")]
        for r in cells
        if r[header.index("Indicator code")] == "persons_assisted" and r[header.index("Dimension code")] == "sex_age"
    }
    assert sum(v for v in by_sex_age.values() if isinstance(v, int)) == 3


@pytest.mark.django_db
def test_a_programme_viewer_gets_small_counts_suppressed_and_no_person(
    viewer: User, programme: Programme, case_gr: Case
) -> None:
    client = login(viewer)
    response = client.get(url(programme), {**period(), "format": "csv", "table": "summary"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    figures = summary(list(csv.reader(io.StringIO(body))))
    assert figures["persons_assisted"]["Value"] == "<5"
    assert figures["family_cases"]["Value"] == "<5"
    everything = client.get(url(programme), {**period(), "format": "xlsx", "table": "all"}).content
    text = str(
        [list(r) for s in load_workbook(io.BytesIO(everything)).worksheets for r in s.iter_rows(values_only=True)]
    )
    assert "3" not in [str(v) for v in figures["persons_assisted"].values()]
    for person_data in (case_gr.reference, "Khan", "Imran"):
        assert person_data not in text
    # The generic export of the same source answers the same.
    generic = client.get(
        reverse("reporting:export", args=["report"]),
        {**period(), "programme": programme.pk, "format": "csv", "table": "summary"},
    )
    assert b"".join(generic.streaming_content).decode("utf-8-sig") == body


@pytest.mark.django_db
def test_both_tables_as_csv_come_as_a_zip_of_two_files(supervisor_gr: User, programme: Programme) -> None:
    import zipfile

    response = login(supervisor_gr).get(url(programme), {**period(), "format": "csv"})
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert [n.rsplit("-", 1)[1] for n in names] == ["summary.csv", "breakdowns.csv"]


@pytest.mark.django_db
def test_bad_periods_tables_and_programmes_are_refused(
    supervisor_gr: User, counsellor_ro: User, programme: Programme
) -> None:
    client = login(supervisor_gr)
    backwards = client.get(url(programme), {"from": "2026-03-31", "to": "2026-01-01"})
    assert backwards.status_code == 400
    assert "ends (2026-01-01) before it starts (2026-03-31)" in backwards.content.decode()
    assert client.get(url(programme), {**period(), "table": "everything"}).status_code == 400
    assert client.get(url(programme), {**period(), "mission": "XX"}).status_code == 400
    # A programme of someone else's mission does not exist for them.
    assert login(counsellor_ro).get(url(programme), period()).status_code == 404
    assert client.get(reverse("reporting:export", args=["nothing"])).status_code == 404
