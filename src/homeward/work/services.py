"""Every write to tasks: opened by the workflow, done or cancelled by people or by the work itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from homeward.core.audit import about_case
from homeward.work.models import Task


def task_open(
    *,
    case: Any,
    kind: str,
    due_at: dt.datetime,
    mission: Any,
    role: str,
    assignee: Any = None,
    subject: str = "",
    subject_key: str = "",
) -> Task:
    """Open a task unless the same one is already open (entering a state twice opens nothing new)."""
    with about_case(case.pk):
        task, _created = Task.objects.get_or_create(
            case=case,
            kind=kind,
            subject_key=subject_key,
            status=Task.Status.OPEN,
            defaults={
                "due_at": due_at,
                "mission": mission,
                "role": role,
                "assignee": assignee,
                "subject": subject,
            },
        )
    return task


def _close(task: Task, *, status: str, by: Any, outcome: str = "") -> Task:
    task.status = status
    task.closed_at = timezone.now()
    task.closed_by = by
    task.outcome = outcome or task.outcome
    with about_case(task.case_id) if task.case_id else _no_case():
        task.save(update_fields=["status", "closed_at", "closed_by", "outcome"])
    return task


class _no_case:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def tasks_settle(*, case: Any, kinds: set[str], status: str, by: Any, outcome: str = "") -> int:
    """Close the case's open tasks of ``kinds``: the work is done, or no longer needed."""
    tasks = list(Task.objects.filter(case=case, kind__in=kinds, status=Task.Status.OPEN))
    for task in tasks:
        _close(task, status=status, by=by, outcome=outcome)
    return len(tasks)


def task_done_for(*, case: Any, kind: str, subject_key: str = "", by: Any, outcome: str = "") -> None:
    """The work a task asked for was recorded (e.g. a travel document requested): close it."""
    for task in Task.objects.filter(case=case, kind=kind, subject_key=subject_key, status=Task.Status.OPEN):
        _close(task, status=Task.Status.DONE, by=by, outcome=outcome)
