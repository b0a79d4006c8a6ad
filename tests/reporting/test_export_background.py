"""Big exports run in the background: a job, its progress, a file only its owner can download."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from homeward.accounts.models import Membership, Mission, User
from homeward.cases.models import Case
from homeward.jobs.models import Job
from homeward.jobs.services import job_run
from tests.api.conftest import ApiClient, make_token
from tests.counselling.uploads import private_storage_in
from tests.factories import PASSWORD, register_case

URL = reverse("reporting:export", args=["cases"])


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Path) -> Path:
    return private_storage_in(settings, tmp_path)


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def three_cases(counsellor_gr: User, gr: Mission, case_gr: Case, case_ro: Case) -> list[Case]:
    return [case_gr, register_case(counsellor_gr, gr), register_case(counsellor_gr, gr)]


@pytest.mark.django_db
@override_settings(HOMEWARD_EXPORT_INLINE_ROWS=2)
def test_more_rows_than_the_limit_start_a_job_whose_file_only_its_owner_downloads(
    counsellor_gr: User, supervisor_gr: User, three_cases: list[Case], case_ro: Case
) -> None:
    client = login(counsellor_gr)
    response = client.get(URL, {"format": "xlsx", "hxl": "1", "mission": "GR"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.owner, job.status) == ("exports.cases", counsellor_gr, Job.Status.QUEUED)
    assert job.params["params"] == {"mission": ["GR"]}
    assert (job.params["format"], job.params["hxl"], job.params["language"]) == ("xlsx", True, "en")

    job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.percent, job.done, job.total) == (Job.Status.DONE, 100, 3, 3)
    assert job.message == "3 rows exported."
    assert job.result_name.endswith(".xlsx")
    assert "Download" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()

    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    _header, tags, *rows = [
        list(r)
        for r in load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True)
    ]
    assert tags[0] == "#meta+id"
    assert sorted(row[0] for row in rows) == sorted(c.reference for c in three_cases)
    assert case_ro.reference not in {row[0] for row in rows}
    # Someone else's job does not exist for them.
    assert login(supervisor_gr).get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert login(supervisor_gr).get(reverse("jobs:detail", args=[job.pk])).status_code == 404


@pytest.mark.django_db
@override_settings(HOMEWARD_EXPORT_INLINE_ROWS=2)
def test_a_finished_case_export_is_not_downloaded_by_its_owner_once_they_no_longer_read_cases(
    counsellor_gr: User, gr: Mission, three_cases: list[Case]
) -> None:
    client = login(counsellor_gr)
    client.get(URL, {"format": "csv"})
    job = job_run(Job.objects.get().pk)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 200
    Membership.objects.filter(user=counsellor_gr, mission=gr).update(role="programme_viewer")
    assert login(counsellor_gr).get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
@override_settings(HOMEWARD_EXPORT_INLINE_ROWS=2)
def test_the_job_exports_what_its_owner_may_see_when_it_runs(
    counsellor_gr: User, gr: Mission, three_cases: list[Case]
) -> None:
    login(counsellor_gr).get(URL, {"format": "csv"})
    job = Job.objects.get()
    Membership.objects.filter(user=counsellor_gr, mission=gr).delete()  # moved to another job meanwhile
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "You no longer have access to what this export was asked for."
    assert not job.result


@pytest.mark.django_db
@override_settings(HOMEWARD_EXPORT_INLINE_ROWS=2)
def test_member_rows_count_against_the_limit_and_the_csv_is_complete(counsellor_gr: User, case_gr: Case) -> None:
    client = login(counsellor_gr)
    # One case is under the limit, its three members are over it.
    assert client.get(URL, {"format": "csv"}).status_code == 200
    assert client.get(URL, {"format": "csv", "rows": "members"}).status_code == 302
    job = job_run(Job.objects.get().pk)
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 3, 3)
    body = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content).decode("utf-8-sig")
    _header, *rows = list(csv.reader(io.StringIO(body)))
    assert [row[2] for row in rows] == ["Imran Khan", "Ayesha Khan", "Sana Khan"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("keep_signals")
@override_settings(HOMEWARD_EXPORT_INLINE_ROWS=1)
def test_the_worker_runs_the_export_after_commit(counsellor_gr: User, three_cases: list[Case]) -> None:
    login(counsellor_gr).get(URL, {"format": "csv"})
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)
    job = Job.objects.get()
    assert (job.status, job.percent) == (Job.Status.DONE, 100)
    with job.result.open("rb") as handle:
        assert len(handle.read().decode("utf-8-sig").strip().splitlines()) == 1 + 3


@pytest.mark.django_db
def test_the_api_starts_an_export_and_reports_its_progress(
    counsellor_gr: User, viewer: User, supervisor_gr: User, case_gr: Case
) -> None:
    api = ApiClient(make_token(counsellor_gr))
    started = api.post("/exports/cases", {"format": "csv", "hxl": True, "params": {"rows": "members"}})
    assert started.status_code == 202, started.content
    job_id = started.json()["job_id"]
    assert started.json()["job_url"] == f"/api/v1/jobs/{job_id}"
    job_run(job_id)
    progress = api.get(f"/jobs/{job_id}").json()
    assert (progress["status"], progress["percent"], progress["done"]) == ("done", 100, 3)
    assert progress["download_url"] == reverse("jobs:download", args=[job_id])
    assert ApiClient(make_token(supervisor_gr)).get(f"/jobs/{job_id}").status_code == 404

    refused = ApiClient(make_token(viewer)).post("/exports/cases", {"format": "csv"})
    assert refused.status_code == 403
    assert refused.json()["message"] == "Your role does not give access to cases."
    bad = api.post("/exports/cases", {"params": {"status": "flying"}})
    assert bad.status_code == 400
    assert "status" in bad.json()["fields"]
    assert api.post("/exports/nothing", {}).status_code == 404
