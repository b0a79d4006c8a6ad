"""Recurring background work: one waiting run per task, however many workers start."""

from __future__ import annotations

from typing import Any

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def waiting(task: Any) -> Any:
    """The queued runs of ``task`` not yet started (a running or crashed one does not count)."""
    return DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)


def ensure_queued(task: Any, *, run_after: Any = None) -> bool:
    """Queue ``task`` (now, or at ``run_after``) unless a run already waits; True when one was queued."""
    if waiting(task).exists():
        return False
    (task if run_after is None else task.using(run_after=run_after)).enqueue()
    return True
