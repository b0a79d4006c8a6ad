"""The work part of the JSON API (mounted at /api/v1/): my tasks, a case's tasks, and settling them.

Tasks on cases the caller cannot see answer 404, like the cases themselves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from homeward.accounts import permissions
from homeward.cases import selectors as case_selectors
from homeward.cases.schemas import ErrorOut
from homeward.core.errors import ServiceError
from homeward.work import selectors, services
from homeward.work.models import Task, TaskKind

router = Router(tags=["work"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class TaskOut(Schema):
    id: int
    case_id: int | None
    case_reference: str | None
    principal_name: str
    kind: str
    kind_label: str
    subject: str
    note: str
    mission: str
    role: str
    assignee: str | None
    due_at: dt.datetime
    overdue: bool
    status: str
    outcome: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    closed_by: str | None


class MyTasksQuery(Schema):
    show: Literal["all", "mine", "queue"] = "all"


class CaseTasksQuery(Schema):
    status: Literal["open", "all"] = "open"


class TaskIn(Schema):
    kind: str = TaskKind.OTHER
    note: str
    due_at: dt.datetime
    assignee: str  # a username


class CompleteIn(Schema):
    outcome: str = ""


class CancelIn(Schema):
    reason: str


class ReassignIn(Schema):
    assignee: str | None  # a username; null puts the task back in its role's queue


def task_out(task: Task, *, principal_name: str = "", now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    return {
        "id": task.pk,
        "case_id": task.case_id,
        "case_reference": task.case.reference if task.case_id else None,
        "principal_name": principal_name,
        "kind": task.kind,
        "kind_label": str(task.get_kind_display()),
        "subject": task.subject,
        "note": task.note,
        "mission": task.mission.code,
        "role": task.role,
        "assignee": task.assignee.username if task.assignee_id else None,
        "due_at": task.due_at,
        "overdue": task.status == Task.Status.OPEN and task.due_at < now,
        "status": task.status,
        "outcome": task.outcome,
        "created_at": task.created_at,
        "closed_at": task.closed_at,
        "closed_by": task.closed_by.username if task.closed_by_id else None,
    }


def _fresh(request: HttpRequest, task: Task) -> dict[str, Any]:
    return task_out(selectors.task_for_user(request.user, task.pk))


@router.get("/tasks", response=list[TaskOut], summary="My work: my open tasks and my roles' queue, soonest due first")
def my_tasks(request: HttpRequest, query: Query[MyTasksQuery]) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        task_out(row.task, principal_name=row.principal_name, now=now)
        for row in selectors.my_work(request.user, show=query.show).rows
    ]


@router.get("/cases/{case_id}/tasks", response={200: list[TaskOut], 404: ErrorOut}, summary="A case's tasks")
def case_tasks(request: HttpRequest, case_id: int, query: Query[CaseTasksQuery]) -> list[dict[str, Any]]:
    case = case_selectors.case_for_user(request.user, pk=case_id)
    principal = case_selectors.principal_of(case)
    name = principal.full_name if principal else ""
    now = timezone.now()
    tasks = selectors.case_tasks(case, open_only=query.status == "open").select_related("case")
    return [task_out(t, principal_name=name, now=now) for t in tasks]


@router.post("/cases/{case_id}/tasks", response={201: TaskOut, **ERRORS}, summary="Add a task to a case by hand")
def add_task(request: HttpRequest, case_id: int, payload: TaskIn) -> Status:
    """`due_at` without a time zone is read in the server's zone; `assignee` is the username of someone
    of the case's host or referred mission whose role sees cases."""
    case = case_selectors.case_for_user(request.user, pk=case_id)
    # Refuse before looking anyone up, so the answer tells nothing about who exists.
    if not permissions.can_change_case(request.user, case):
        raise PermissionDenied(_("You may not add work to this case."))
    assignee = selectors.assignable_for_case(case).filter(username=payload.assignee).first()
    if assignee is None:
        message = _("Choose someone who works on this case.")
        raise ServiceError(_("The task was not added: check the fields marked."), {"assignee": [message]})
    task = services.task_create(
        acting_user=request.user,
        case=case,
        kind=payload.kind,
        note=payload.note,
        due_at=payload.due_at,
        assignee=assignee,
    )
    return Status(201, _fresh(request, task))


@router.post("/tasks/{task_id}/complete", response={200: TaskOut, **ERRORS}, summary="Mark a task done")
def complete_task(request: HttpRequest, task_id: int, payload: CompleteIn) -> dict[str, Any]:
    task = selectors.task_for_user(request.user, task_id)
    services.task_complete(acting_user=request.user, task=task, outcome=payload.outcome)
    return _fresh(request, task)


@router.post("/tasks/{task_id}/cancel", response={200: TaskOut, **ERRORS}, summary="Cancel a task, with a reason")
def cancel_task(request: HttpRequest, task_id: int, payload: CancelIn) -> dict[str, Any]:
    task = selectors.task_for_user(request.user, task_id)
    services.task_cancel(acting_user=request.user, task=task, reason=payload.reason)
    return _fresh(request, task)


@router.post(
    "/tasks/{task_id}/reassign",
    response={200: TaskOut, **ERRORS},
    summary="Give a task to someone (a supervisor), or take an unassigned one of your role",
)
def reassign_task(request: HttpRequest, task_id: int, payload: ReassignIn) -> dict[str, Any]:
    task = selectors.task_for_user(request.user, task_id)
    assignee: Any = None
    if payload.assignee is not None:
        if payload.assignee == request.user.username:
            assignee = request.user
        elif not services.may_supervise(request.user, task):
            raise PermissionDenied(_("Only a supervisor of the mission can reassign this task."))
        else:
            assignee = selectors.assignable_for_task(task).filter(username=payload.assignee).first()
            if assignee is None:
                message = _("Choose someone of %(mission)s who works on this case.") % {"mission": task.mission.code}
                raise ServiceError(message, {"assignee": [message]})
    services.task_reassign(acting_user=request.user, task=task, assignee=assignee)
    return _fresh(request, task)
