"""Background jobs: queued after commit, run once by the worker, private to their owner."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import User
from homeward.core.errors import ServiceError
from homeward.jobs import services
from homeward.jobs.models import Job
from homeward.jobs.registry import RUNNERS, Outcome, runner


@runner("tests.count")
def _count(job: Job, progress: object) -> Outcome:
    n = int(job.params["n"])
    progress.stage("counting", n)  # type: ignore[attr-defined]
    for _ in range(n):
        progress.advance()  # type: ignore[attr-defined]
    if job.params.get("refuse"):
        raise ServiceError("The file has 3 bad rows.")
    if job.params.get("crash"):
        raise RuntimeError("boom")
    return Outcome(message=f"counted {n}", content=b"a,b\n1,2\n", file_name="out.csv", content_type="text/csv")


def _worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("keep_signals")
def test_a_job_is_queued_on_commit_and_the_worker_runs_it_to_a_file(supervisor_gr: User) -> None:
    job = services.job_start(kind="tests.count", title="Count", acting_user=supervisor_gr, params={"n": 7})
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    _worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent, job.message) == (Job.Status.DONE, 7, 7, 100, "counted 7")
    assert job.result_name == "out.csv"
    with job.result.open("rb") as handle:
        assert handle.read() == b"a,b\n1,2\n"


@pytest.mark.django_db
def test_a_job_runs_once_and_fails_in_words(supervisor_gr: User) -> None:
    refused = services.job_start(
        kind="tests.count", title="Count", acting_user=supervisor_gr, params={"n": 2, "refuse": 1}
    )
    services.job_run(refused.pk)
    refused.refresh_from_db()
    assert (refused.status, refused.message) == (Job.Status.FAILED, "The file has 3 bad rows.")
    assert not refused.result
    crashed = services.job_start(
        kind="tests.count", title="Count", acting_user=supervisor_gr, params={"n": 1, "crash": 1}
    )
    services.job_run(crashed.pk)
    crashed.refresh_from_db()
    assert crashed.status == Job.Status.FAILED
    assert "boom" not in crashed.message
    assert "server log" in crashed.message
    # A second run of a finished job leaves it as it was.
    services.job_run(refused.pk)
    refused.refresh_from_db()
    assert refused.message == "The file has 3 bad rows."


@pytest.mark.django_db
def test_an_unknown_kind_is_refused(supervisor_gr: User) -> None:
    assert "tests.nothing" not in RUNNERS
    with pytest.raises(ValueError, match="No runner"):
        services.job_start(kind="tests.nothing", title="x", acting_user=supervisor_gr)


@pytest.mark.django_db
def test_only_the_owner_sees_the_progress_and_the_file(
    client: Client, supervisor_gr: User, counsellor_gr: User
) -> None:
    job = services.job_start(kind="tests.count", title="Count to three", acting_user=supervisor_gr, params={"n": 3})
    services.job_run(job.pk)
    client.force_login(supervisor_gr)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200
    assert "Count to three" in page.text
    assert reverse("jobs:download", args=[job.pk]) in page.text
    assert b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content) == b"a,b\n1,2\n"
    assert client.get(f"/api/v1/jobs/{job.pk}").json()["percent"] == 100
    client.force_login(counsellor_gr)
    for url in (
        reverse("jobs:detail", args=[job.pk]),
        reverse("jobs:download", args=[job.pk]),
        f"/api/v1/jobs/{job.pk}",
    ):
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_running_job_is_polled_until_it_ends(client: Client, supervisor_gr: User) -> None:
    job = services.job_start(kind="tests.count", title="Count", acting_user=supervisor_gr, params={"n": 3})
    client.force_login(supervisor_gr)
    polling = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in polling.text
    services.job_run(job.pk)
    done = client.get(reverse("jobs:detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.text
    assert "job-download" in done.text
