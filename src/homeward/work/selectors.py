"""Every read of tasks, already scoped to the user who asks.

A user sees a task when they can see its case (``cases_visible_to``). Their
work is what is assigned to them plus their queue: the unassigned tasks of the
role they hold in a mission.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.accounts.roles import ROLE_PERMS, Perm
from homeward.cases.models import Case, CaseMember, Relationship
from homeward.cases.selectors import cases_visible_to, principal_of
from homeward.work.models import Task

SHOW_ALL, SHOW_MINE, SHOW_QUEUE = "all", "mine", "queue"
SHOWS = (SHOW_ALL, SHOW_MINE, SHOW_QUEUE)


def _visible(user: User | Any) -> Q:
    """Tasks on cases the user can see (and the few not about a case, in the user's missions)."""
    return Q(case__in=cases_visible_to(user)) | Q(
        case__isnull=True, mission_id__in=list(permissions.roles_by_mission(user))
    )


def _queue(user: User | Any) -> Q:
    """Unassigned tasks of a (mission, role) the user holds."""
    match = Q(pk__in=[])
    for mission_id, role in permissions.roles_by_mission(user).items():
        match |= Q(mission_id=mission_id, role=role)
    return Q(assignee__isnull=True) & match


def _whose(user: User | Any, show: str) -> Q:
    mine = Q(assignee_id=user.pk)
    if show == SHOW_MINE:
        return mine
    if show == SHOW_QUEUE:
        return _queue(user)
    return mine | _queue(user)


def open_tasks_for(user: User | Any, show: str = SHOW_ALL) -> QuerySet[Task]:
    """The user's open tasks, soonest due first, with case reference and principal applicant fetched."""
    return (
        Task.objects.filter(status=Task.Status.OPEN)
        .filter(_whose(user, show))
        .filter(_visible(user))
        .select_related("case", "mission", "assignee")
        .prefetch_related(
            Prefetch(
                "case__members",
                queryset=CaseMember.objects.filter(relationship=Relationship.PRINCIPAL).select_related("person"),
                to_attr="principal_members",
            )
        )
        .order_by("due_at", "pk")
    )


@dataclass
class TaskRow:
    task: Task
    principal_name: str
    overdue: bool
    queued: bool  # unassigned, waiting in the user's role's queue
    flags: dict[str, bool] = field(default_factory=dict)  # what the reader may do with it (set by the page)
    assignees: list[Any] = field(default_factory=list)  # whom a supervisor may pass it to (set by the page)


@dataclass
class MyWork:
    overdue: list[TaskRow] = field(default_factory=list)
    today: list[TaskRow] = field(default_factory=list)
    later: list[TaskRow] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.later)

    @property
    def rows(self) -> list[TaskRow]:
        return [*self.overdue, *self.today, *self.later]


def row_of(task: Task, now: dt.datetime, *, principal_name: str | None = None) -> TaskRow:
    """A task as a list shows it; the principal's name from the prefetched case unless given."""
    if principal_name is None:
        principal = principal_of(task.case) if task.case_id else None
        principal_name = principal.full_name if principal else ""
    return TaskRow(
        task=task,
        principal_name=principal_name,
        overdue=task.due_at < now,
        queued=task.assignee_id is None,
    )


def my_work(user: User | Any, *, show: str = SHOW_ALL) -> MyWork:
    """The user's open tasks split into overdue, due today (in the active time zone) and later."""
    now = timezone.now()
    today = timezone.localdate(now)
    work = MyWork()
    for task in open_tasks_for(user, show if show in SHOWS else SHOW_ALL):
        row = row_of(task, now)
        if row.overdue:
            work.overdue.append(row)
        elif timezone.localdate(task.due_at) == today:
            work.today.append(row)
        else:
            work.later.append(row)
    return work


@dataclass(frozen=True)
class WorkCounts:
    open: int
    overdue: int


def work_counts(user: User | Any) -> WorkCounts:
    """How many open and overdue tasks the user has (theirs and their queue's), in one query."""
    if not getattr(user, "is_authenticated", False):
        return WorkCounts(0, 0)
    counts = (
        Task.objects.filter(status=Task.Status.OPEN)
        .filter(_whose(user, SHOW_ALL))
        .filter(_visible(user))
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=timezone.now())))
    )
    return WorkCounts(counts["open"] or 0, counts["overdue"] or 0)


def task_for_user(user: User | Any, pk: int) -> Task:
    """One task the user can see (its case is visible to them), or 404."""
    try:
        qs = Task.objects.select_related("case", "mission", "assignee", "closed_by")
        return qs.filter(_visible(user)).get(pk=pk)
    except Task.DoesNotExist:
        raise Http404 from None


def case_tasks(case: Case, *, open_only: bool = True) -> QuerySet[Task]:
    """The tasks of a case already fetched for the user (so already scoped), soonest due first."""
    qs = Task.objects.filter(case=case).select_related("mission", "assignee", "closed_by")
    if open_only:
        qs = qs.filter(status=Task.Status.OPEN)
    return qs.order_by("due_at", "pk")


def _case_roles() -> list[str]:
    return [role for role, perms in ROLE_PERMS.items() if Perm.VIEW_CASE in perms]


def assignable_for_case(case: Case) -> QuerySet[User]:
    """Who can be given work on ``case``: members of its host or referred mission whose role sees cases."""
    missions = [m for m in (case.host_mission_id, case.referred_to_mission_id) if m is not None]
    return (
        User.objects.filter(is_active=True, memberships__mission_id__in=missions, memberships__role__in=_case_roles())
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def assignable_for_task(task: Task) -> QuerySet[User]:
    """Who a supervisor can pass the task to: members of the task's mission whose role sees cases."""
    return (
        User.objects.filter(
            is_active=True, memberships__mission_id=task.mission_id, memberships__role__in=_case_roles()
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def overdue_travel_documents(user: User | Any) -> list[Any]:
    """Travel documents requested of an embassy and not issued by the day expected, in the missions
    where the user arranges travel (cases hosted by or referred to them)."""
    from homeward.travel.models import TravelDocumentRequest

    missions = permissions.mission_ids_with(user, Perm.ARRANGE_TRAVEL)
    if not missions:
        return []
    return list(
        TravelDocumentRequest.objects.filter(
            status=TravelDocumentRequest.Status.REQUESTED, expected_on__lt=timezone.localdate()
        )
        .filter(Q(case__host_mission_id__in=missions) | Q(case__referred_to_mission_id__in=missions))
        .select_related("case", "member__person")
        .order_by("expected_on", "pk")
    )
