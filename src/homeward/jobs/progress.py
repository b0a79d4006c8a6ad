"""How a runner reports how far it has got, without a write per row."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.db import connection

if TYPE_CHECKING:
    from homeward.jobs.models import Job


class Progress:
    """Counts done/total on the job row, at most every ``every`` seconds.

    Inside a transaction the count is kept in memory: a write there would be
    invisible until commit anyway, and on SQLite a second connection would wait
    on the lock. So a runner checks its rows outside a transaction (progress
    visible row by row) and writes them all inside one (an all-or-nothing stage).
    """

    def __init__(self, job: Job, *, every: float = 0.5) -> None:
        self.job = job
        self.every = every
        self._saved_at = 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        """Start a step: ``name`` in words for the page, ``total`` units to do."""
        self.job.stage, self.job.total, self.job.done = str(name)[:120], total, 0
        self._save(force=True)

    def advance(self, by: int = 1) -> None:
        self.job.done += by
        self._save()

    def _save(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if connection.in_atomic_block or not (force or now - self._saved_at >= self.every):
            return
        type(self.job).objects.filter(pk=self.job.pk).update(
            stage=self.job.stage, done=self.job.done, total=self.job.total
        )
        self._saved_at = now
