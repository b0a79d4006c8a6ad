"""The worker's side of background jobs (``homeward worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    from homeward.jobs.services import job_run

    return job_run(job_id).status


@task()
def expire_files() -> int:
    """Delete the files of jobs and uploads older than ``HOMEWARD_JOB_FILE_DAYS``, then come back in a day."""
    import datetime as dt

    from django.utils import timezone

    from homeward.jobs import retention

    try:
        return retention.expire_files()
    finally:
        ensure_expiry_scheduled(run_after=timezone.now() + dt.timedelta(days=1))


def ensure_expiry_scheduled(*, run_after: object = None) -> bool:
    """Queue a sweep (now, or at ``run_after``) unless one is already waiting; True when one was queued."""
    from homeward.core.tasks import ensure_queued

    return ensure_queued(expire_files, run_after=run_after)
