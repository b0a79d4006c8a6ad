"""The worker's side of background jobs (``homeward worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from homeward.jobs.services import job_run

    return job_run(job_id).status
