"""Jobs are private to the person who started them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from homeward.jobs.models import Job


def jobs_of(user: Any) -> QuerySet[Job]:
    return Job.objects.filter(owner=user)


def job_for(user: Any, pk: int) -> Job:
    """The user's own job; 404 for anyone else's, as if it did not exist."""
    return get_object_or_404(jobs_of(user), pk=pk)
