"""Files that jobs leave behind (exports of case lists, uploaded trackers) are kept a few days, then deleted.

They hold personal data outside the records they came from; once downloaded or imported
they have done their work. ``HOMEWARD_JOB_FILE_DAYS`` (default 7) says how long. The worker
sweeps daily (``tasks.expire_files``). Other apps that keep such files register a sweeper
(``imports`` does, for uploaded trackers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from homeward.jobs.models import Job

# Each takes the cut-off time and returns how many files it deleted.
SWEEPERS: list[Callable[[dt.datetime], int]] = []


def sweeper(func: Callable[[dt.datetime], int]) -> Callable[[dt.datetime], int]:
    if func not in SWEEPERS:
        SWEEPERS.append(func)
    return func


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=max(1, int(settings.HOMEWARD_JOB_FILE_DAYS)))


@sweeper
def expire_job_files(before: dt.datetime) -> int:
    """The files of jobs finished before ``before``: the job stays, saying its file was removed."""
    deleted = 0
    for job in Job.objects.filter(finished_at__lt=before).exclude(result="", upload=""):
        for field in (job.result, job.upload):
            if field:
                field.delete(save=False)
                deleted += 1
        job.save(update_fields=["result", "upload"])
    return deleted


def expire_files(now: dt.datetime | None = None) -> int:
    """Run every sweeper; the number of files deleted."""
    before = cutoff(now)
    return sum(sweep(before) for sweep in SWEEPERS)
