"""A job's progress as JSON, for scripts that started an export through the API."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from homeward.jobs import selectors

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    stage: str
    done: int
    total: int | None
    percent: int | None
    message: str
    download_url: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


def job_out(job: object) -> dict[str, object]:
    return {
        **{f: getattr(job, f) for f in ("id", "kind", "title", "status", "stage", "done", "total", "percent")},
        **{f: getattr(job, f) for f in ("message", "created_at", "finished_at")},
        "download_url": reverse("jobs:download", args=[job.pk]) if job.result else None,  # type: ignore[attr-defined]
    }


@router.get("/jobs/{job_id}", response=JobOut, summary="A background job of yours: progress and download")
def job_get(request: HttpRequest, job_id: int) -> dict[str, object]:
    return job_out(selectors.job_for(request.user, job_id))
