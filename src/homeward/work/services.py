"""Every write to tasks: opened by the workflow or by hand, done, cancelled or passed on by people.

Who may settle a task: the person it is assigned to, anyone holding the task's
role in the task's mission (it is their queue), or a supervisor of that mission.
Who may pass it on: a supervisor of the mission, or someone taking an unassigned
task of their own role for themselves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.roles import ROLE_PERMS, Perm
from homeward.cases import workflow
from homeward.core.audit import about_case, service
from homeward.core.errors import ServiceError
from homeward.work.models import Task, TaskKind


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
    with about_case(task.case_id):
        task.save(update_fields=["status", "closed_at", "closed_by", "outcome"])
    return task


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


# ---------------------------------------------------------------- who may do what


def working_role(user: Any, case: Any) -> tuple[int, str] | None:
    """The (mission id, role) through which ``user`` works on ``case``: the host mission first."""
    if user is None or not user.is_active:
        return None
    roles = permissions.roles_by_mission(user)
    for mission_id in (case.host_mission_id, case.referred_to_mission_id):
        role = roles.get(mission_id)
        if role is not None and Perm.VIEW_CASE in ROLE_PERMS[role]:
            return mission_id, role
    return None


def _works_in(user: Any, task: Task) -> bool:
    """``user`` may hold the task: a member of its mission who works on cases, and on its case."""
    if user is None or not user.is_active:
        return False
    role = permissions.roles_by_mission(user).get(task.mission_id)
    if role is None or Perm.VIEW_CASE not in ROLE_PERMS[role]:
        return False
    return task.case_id is None or permissions.can_view_case(user, task.case)


def may_supervise(user: Any, task: Task) -> bool:
    return permissions.has_perm_in(user, Perm.SUPERVISE, task.mission_id)


def may_settle(user: Any, task: Task) -> bool:
    """The assignee, whoever holds the task's role in its mission, or a supervisor there."""
    if task.assignee_id is not None and task.assignee_id == getattr(user, "pk", None):
        return True
    return permissions.roles_by_mission(user).get(task.mission_id) == task.role or may_supervise(user, task)


def may_take(user: Any, task: Task) -> bool:
    """An unassigned task in the user's own queue (their role in the task's mission)."""
    return task.assignee_id is None and _in_queue(user, task)


def _in_queue(user: Any, task: Task) -> bool:
    return permissions.roles_by_mission(user).get(task.mission_id) == task.role


def _visible(user: Any, task: Task) -> None:
    if task.case_id is not None and not permissions.can_view_case(user, task.case):
        raise PermissionDenied(_("You may not work on this case."))


def _reload_open(task: Task) -> None:
    """Read the task again under a row lock: two people settling it at once are served one after the other."""
    task.refresh_from_db(from_queryset=Task.objects.select_for_update())


def _require_open(task: Task) -> None:
    if task.status != Task.Status.OPEN:
        raise ServiceError(
            _("This task is already %(status)s.") % {"status": task.get_status_display()},
            {"__all__": [_("This task is already %(status)s.") % {"status": task.get_status_display()}]},
        )


# ---------------------------------------------------------------- services


@service
def task_create(
    *,
    acting_user: Any,
    case: Any,
    kind: str = TaskKind.OTHER,
    note: str,
    due_at: dt.datetime | None,
    assignee: Any,
) -> Task:
    """Add a task to a case by hand.

    Rule: whoever may change the case adds work to it, for someone who works on the
    case (a member of its host or referred mission whose role sees cases); the task
    says what to do and is due in the future; a case that has left the workflow takes
    no new work until it is reopened.
    """
    if not permissions.can_view_case(acting_user, case) or not permissions.can_change_case(acting_user, case):
        raise PermissionDenied(_("You may not add work to this case."))
    if case.status in workflow.EXITS:
        raise ServiceError(
            _("The case is %(status)s: reopen it before adding work to it.") % {"status": case.get_status_display()}
        )
    errors: dict[str, list[str]] = {}
    if kind not in TaskKind.values:
        errors["kind"] = [_("Choose a kind of task from the list.")]
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Say what is to be done.")]
    if due_at is None:
        errors["due_at"] = [_("Say when it is due.")]
    else:
        if timezone.is_naive(due_at):
            # A time typed without a zone is read in the zone the user works in.
            due_at = timezone.make_aware(due_at)
        if due_at < timezone.now():
            errors["due_at"] = [_("The due date is in the past.")]
    where = working_role(assignee, case)
    if assignee is None:
        errors["assignee"] = [_("Choose who will do it.")]
    elif where is None:
        errors["assignee"] = [_("Choose someone who works on this case.")]
    if errors:
        raise ServiceError(_("The task was not added: check the fields marked."), errors)
    mission_id, role = where  # type: ignore[misc]
    with about_case(case.pk):
        task = Task.objects.create(
            case=case,
            kind=kind,
            note=note,
            due_at=due_at,
            mission_id=mission_id,
            role=role,
            assignee=assignee,
            # A task added by hand never stands for the workflow's own task of the same kind.
            subject_key=f"manual:{uuid.uuid4().hex[:16]}",
        )
    return task


@service
def task_complete(*, acting_user: Any, task: Task, outcome: str = "") -> Task:
    """Mark a task done, with what came of it.

    Rule: the assignee, anyone holding the task's role in its mission, or a supervisor
    of that mission; an open task only.
    """
    _visible(acting_user, task)
    _reload_open(task)
    if not may_settle(acting_user, task):
        raise PermissionDenied(_("This task is not yours to complete."))
    _require_open(task)
    return _close(task, status=Task.Status.DONE, by=acting_user, outcome=(outcome or "").strip())


@service
def task_cancel(*, acting_user: Any, task: Task, reason: str) -> Task:
    """Cancel a task that is no longer needed, saying why.

    Rule: the same people who may complete it; an open task only; a reason is required.
    """
    _visible(acting_user, task)
    _reload_open(task)
    if not may_settle(acting_user, task):
        raise PermissionDenied(_("This task is not yours to cancel."))
    _require_open(task)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the task is no longer needed."), {"reason": [_("Give a reason.")]})
    return _close(task, status=Task.Status.CANCELLED, by=acting_user, outcome=reason)


@service
def task_reassign(*, acting_user: Any, task: Task, assignee: Any) -> Task:
    """Give a task to someone else, or back to its role's queue (``assignee=None``).

    Rule: a supervisor of the task's mission reassigns to anyone of that mission who
    works on the case; anyone else may only take an unassigned task of their own role
    for themselves. The new assignee is reminded afresh.
    """
    _visible(acting_user, task)
    _reload_open(task)
    for_self = assignee is not None and assignee.pk == acting_user.pk
    if not may_supervise(acting_user, task):
        if not (for_self and _in_queue(acting_user, task)):
            raise PermissionDenied(_("Only a supervisor of the mission can reassign this task."))
        _require_open(task)
        if task.assignee_id is not None and task.assignee_id != acting_user.pk:
            # Two people pressed "take it" at once: the first one has it.
            message = _("%(name)s has taken this task already.") % {"name": task.assignee}
            raise ServiceError(message, {"assignee": [message]})
    _require_open(task)
    if assignee is not None and not _works_in(assignee, task):
        message = _("Choose someone of %(mission)s who works on this case.") % {"mission": task.mission.code}
        raise ServiceError(message, {"assignee": [message]})
    if task.assignee_id == (assignee.pk if assignee is not None else None):
        return task
    task.assignee = assignee
    task.reminded_at = None
    with about_case(task.case_id):
        task.save(update_fields=["assignee", "reminded_at"])
    return task
