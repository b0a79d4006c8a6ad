"""The import pages and API: who may use them, mapping columns, the inline dry run, the import as a job."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.imports import services
from homeward.imports.models import ImportMapping, TrackerUpload
from homeward.jobs.models import Job
from homeward.jobs.services import job_run
from tests.api.conftest import make_token
from tests.imports.conftest import GOOD_ROWS, upload, xlsx

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _mapping_post(up: TrackerUpload, action: str, **extra: str) -> dict[str, str]:
    """The mapping form as the page pre-fills it (the guesses), with the button pressed."""
    sheet = services.read_upload(up)
    from homeward.imports.mapping import guess

    guessed = guess(sheet.headers)
    data = {f"col_{i}": guessed.get(h, "") for i, h in enumerate(sheet.headers)}
    return {**data, "date_order": "auto", "mapping_name": "", "action": action, **extra}


def test_a_programme_viewer_gets_403_on_the_import_page(viewer: User) -> None:
    assert client_for(viewer).get("/imports/").status_code == 403


def test_another_persons_upload_is_a_404(
    counsellor_gr: User, supervisor_gr: User, counsellor_ro: User, gr: Mission
) -> None:
    up = upload(counsellor_gr, gr, xlsx(GOOD_ROWS))
    assert client_for(counsellor_gr).get(f"/imports/{up.pk}/").status_code == 200
    assert client_for(supervisor_gr).get(f"/imports/{up.pk}/").status_code == 404
    assert client_for(counsellor_ro).get(f"/imports/{up.pk}/").status_code == 404


def test_uploading_leads_to_the_columns_with_their_guessed_fields(counsellor_gr: User, gr: Mission) -> None:
    client = client_for(counsellor_gr)
    page = client.get("/imports/")
    assert page.status_code == 200
    file = SimpleUploadedFile("tracker.xlsx", xlsx(GOOD_ROWS))
    response = client.post("/imports/", {"file": file, "mission": gr.pk, "programme": ""})
    up = TrackerUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{up.pk}/"
    assert (up.owner, up.mission, up.rows, up.kind, up.file_name) == (counsellor_gr, gr, 6, "xlsx", "tracker.xlsx")

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="birth_date" selected>' in html
    assert "14/03/1985, 1988, 06/2015" in html  # the column's first values, to recognise it


def test_a_file_that_is_not_a_tracker_is_refused_on_the_page(counsellor_gr: User, gr: Mission) -> None:
    file = SimpleUploadedFile("tracker.xlsx", b"%PDF-1.4\x00\x00 not a sheet")
    response = client_for(counsellor_gr).post("/imports/", {"file": file, "mission": gr.pk})
    assert response.status_code == 400
    assert "not an Excel workbook (.xlsx) or a CSV file" in response.content.decode()
    assert not TrackerUpload.objects.exists()


def test_the_dry_run_shows_every_problem_with_its_row_and_saves_the_mapping(counsellor_gr: User, gr: Mission) -> None:
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][7] = "Narnia"
    up = upload(counsellor_gr, gr, xlsx(rows))
    response = client_for(counsellor_gr).post(
        f"/imports/{up.pk}/", _mapping_post(up, "check", mapping_name="GR tracker")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-row="3"' in html
    assert "“Narnia” is not a country we know" in html
    assert "Nothing can be imported yet: 1 problem." in html
    assert ImportMapping.objects.get().name == "GR tracker"
    assert not Case.objects.exists()


def test_a_saved_mapping_fills_the_form_only_for_its_own_mission(
    counsellor_gr: User, counsellor_ro: User, gr: Mission, ro: Mission
) -> None:
    up = upload(counsellor_gr, gr, xlsx(GOOD_ROWS))
    saved = services.mapping_save(acting_user=counsellor_gr, mission=gr, name="odd",
                                  columns={"City": "notes"}, date_order="dmy")  # fmt: skip
    html = client_for(counsellor_gr).get(f"/imports/{up.pk}/?mapping={saved.pk}").content.decode()
    assert '<option value="notes" selected>' in html
    assert '<option value="dmy" selected>' in html

    theirs = upload(counsellor_ro, ro, xlsx(GOOD_ROWS))
    html = client_for(counsellor_ro).get(f"/imports/{theirs.pk}/?mapping={saved.pk}").content.decode()
    assert '<option value="notes" selected>' not in html
    assert "odd" not in html


def test_the_import_runs_as_a_job_and_imports_every_family(counsellor_gr: User, gr: Mission) -> None:
    up = upload(counsellor_gr, gr, xlsx(GOOD_ROWS))
    client = client_for(counsellor_gr)
    response = client.post(f"/imports/{up.pk}/", _mapping_post(up, "import"))
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.params["upload"], job.params["dry_run"]) == ("imports.tracker", up.pk, False)
    assert not Case.objects.exists()
    job = job_run(job.pk)
    assert job.status == Job.Status.DONE, job.message
    assert job.message == "Imported 3 cases with 6 people from 6 rows."
    assert Case.objects.count() == 3
    assert "Imported 3 cases" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_an_import_job_with_a_bad_row_fails_saying_which_rows_and_imports_nothing(
    counsellor_gr: User, gr: Mission
) -> None:
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][6] = "31/02/1985"
    up = upload(counsellor_gr, gr, xlsx(rows))
    client_for(counsellor_gr).post(f"/imports/{up.pk}/", _mapping_post(up, "import"))
    job = job_run(Job.objects.get().pk)
    assert job.status == Job.Status.FAILED
    assert "Row 2 · Date of birth: “31/02/1985” is not a date: 2/1985 has no day 31." in job.message
    assert not Case.objects.exists()


def test_a_big_dry_run_runs_as_a_job(counsellor_gr: User, gr: Mission, settings: Any) -> None:
    settings.HOMEWARD_EXPORT_INLINE_ROWS = 2
    up = upload(counsellor_gr, gr, xlsx(GOOD_ROWS))
    response = client_for(counsellor_gr).post(f"/imports/{up.pk}/", _mapping_post(up, "check"))
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    job = job_run(job.pk)
    assert (job.status, job.message) == (Job.Status.DONE, "Dry run: 6 rows, 3 cases with 6 people would be imported.")
    assert (job.done, job.total) == (6, 6)
    assert not Case.objects.exists()


def test_the_api_starts_an_import_with_a_saved_mapping(counsellor_gr: User, viewer: User, gr: Mission) -> None:
    sheet = services.read_upload(upload(counsellor_gr, gr, xlsx(GOOD_ROWS)))
    from homeward.imports.mapping import guess

    services.mapping_save(acting_user=counsellor_gr, mission=gr, name="GR tracker",
                          columns=guess(sheet.headers), date_order="auto")  # fmt: skip
    client = Client()

    def post(user: User, **fields: object) -> object:
        body = {
            "file": SimpleUploadedFile("t.xlsx", xlsx(GOOD_ROWS)),
            "mission": "GR",
            "mapping": "GR tracker",
            **fields,
        }
        return client.post("/api/v1/imports", body, headers={"Authorization": f"Bearer {make_token(user)}"})

    response = post(counsellor_gr)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status_url"] == f"/api/v1/jobs/{body['job_id']}"
    assert job_run(body["job_id"]).status == Job.Status.DONE
    assert Case.objects.count() == 3

    assert post(counsellor_gr, mapping="nope").json()["fields"] == {"mapping": ["Unknown mapping."]}
    refused = post(viewer)
    assert refused.status_code == 403
    assert refused.json()["message"] == "You may not register cases for GR."
    unknown = post(counsellor_gr, mission="ZZ")
    assert unknown.status_code == 400
    assert unknown.json()["fields"] == {"mission": ["No mission has the code ZZ."]}
