"""Starting a background job and running it in the worker."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from homeward.core.audit import acting_as
from homeward.core.errors import ServiceError
from homeward.jobs.models import Job
from homeward.jobs.progress import Progress
from homeward.jobs.registry import RUNNERS

logger = logging.getLogger(__name__)


def job_start(
    *, kind: str, title: str, acting_user: Any, params: dict[str, Any] | None = None, upload: Any = None
) -> Job:
    """Queue a job of a registered ``kind`` for ``acting_user``; the worker runs it after commit.

    Rule: only registered kinds run, and the job belongs to the person who asked,
    who alone sees its progress and its file.
    """
    if kind not in RUNNERS:
        raise ValueError(f"No runner for job kind {kind!r}")
    job = Job(kind=kind, title=str(title)[:200], owner=acting_user, params=params or {})
    if upload is not None:
        job.upload.save(f"{timezone.now():%Y%m%d%H%M%S}-{kind}", upload, save=False)
    job.save()
    from homeward.jobs.tasks import run_job

    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def job_run(job_id: int) -> Job:
    """Run a queued job to its end: done with its file, or failed with the reason in words.

    A job runs once: a second worker (or a retried task) finding it started leaves it alone.
    """
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.select_related("owner").get(pk=job_id)
    if not claimed:
        return job
    language = job.params.get("language") or None
    try:
        with acting_as(job.owner), override(language):
            outcome = RUNNERS[job.kind](job, Progress(job))
    except ServiceError as exc:
        _finish(job, Job.Status.FAILED, exc.message)
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        with override(language):
            _finish(job, Job.Status.FAILED, _("The job failed unexpectedly; the error is in the server log."))
    else:
        if outcome.content is not None:
            content = outcome.content
            stored = ContentFile(content) if isinstance(content, bytes) else File(content)
            try:
                job.result.save(outcome.file_name or f"job-{job.pk}", stored, save=False)
            finally:
                if not isinstance(content, bytes):
                    content.close()
            job.result_name = outcome.file_name[:200]
            job.result_type = outcome.content_type[:100]
        _finish(job, Job.Status.DONE, outcome.message)
    return job


def _finish(job: Job, status: str, message: str) -> None:
    job.status, job.message, job.finished_at = status, str(message), timezone.now()
    if status == Job.Status.DONE and job.total is not None:
        job.done = job.total
    job.save(
        update_fields=[
            "status",
            "message",
            "finished_at",
            "done",
            "total",
            "stage",
            "result",
            "result_name",
            "result_type",
        ]
    )
