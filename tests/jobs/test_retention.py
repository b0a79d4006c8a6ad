"""Files that jobs and uploads leave are deleted after HOMEWARD_JOB_FILE_DAYS; the records stay."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.jobs import retention, services
from homeward.jobs.models import Job
from homeward.jobs.tasks import ensure_expiry_scheduled
from tests.imports.conftest import GOOD_ROWS, upload, xlsx
from tests.jobs.test_jobs import _count  # noqa: F401 - registers the test runner

pytestmark = pytest.mark.django_db


def _finished_job(user: User) -> Job:
    job = services.job_start(kind="tests.count", title="Count", acting_user=user, params={"n": 1})
    return services.job_run(job.pk)


def test_a_job_file_older_than_the_retention_is_deleted_and_a_newer_one_kept(
    supervisor_gr: User, settings: object
) -> None:
    settings.HOMEWARD_JOB_FILE_DAYS = 7  # type: ignore[attr-defined]
    with time_machine.travel(timezone.now() - dt.timedelta(days=8)):
        old = _finished_job(supervisor_gr)
    new = _finished_job(supervisor_gr)
    storage, name = old.result.storage, old.result.name
    assert storage.exists(name)
    assert retention.expire_files() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.result
    assert not storage.exists(name)
    assert new.result
    assert old.status == Job.Status.DONE  # the job stays, without its file


def test_an_uploaded_tracker_is_deleted_after_the_retention_and_the_page_says_so(
    counsellor_gr: User, gr: Mission
) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=8)):
        old = upload(counsellor_gr, gr, xlsx(GOOD_ROWS))
    assert retention.expire_files() == 1
    old.refresh_from_db()
    assert not old.file
    client = Client()
    client.force_login(counsellor_gr)
    response = client.get(reverse("imports:map", args=[old.pk]), follow=True)
    assert "The file was deleted 7 days after it was uploaded" in response.content.decode()


def test_the_worker_queues_one_daily_sweep() -> None:
    assert ensure_expiry_scheduled() is True
    assert ensure_expiry_scheduled() is False
