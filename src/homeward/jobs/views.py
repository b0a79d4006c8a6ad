"""A job's progress (polled by HTMX while it runs) and its file when ready."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from homeward.core.files import serve_private
from homeward.jobs import selectors
from homeward.jobs.registry import MAY_DOWNLOAD


def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/job_list.html", {"jobs": selectors.jobs_of(request.user)[:50]})


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(request.user, pk)
    template = "jobs/_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, {"job": job})


def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file of the user's own job, while the user still may see what it holds (404 otherwise)."""
    job = selectors.job_for(request.user, pk)
    check = MAY_DOWNLOAD.get(job.kind)
    if check is not None and not check(request.user):
        raise Http404
    return serve_private(job.result, job.result_type, job.result_name or f"job-{job.pk}")
