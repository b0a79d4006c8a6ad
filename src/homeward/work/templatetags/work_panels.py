"""The work panel on the case page and the "My work" link in the navigation bar."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from homeward.accounts import permissions
from homeward.cases import workflow
from homeward.work import selectors
from homeward.work.forms import TaskCreateForm
from homeward.work.views import task_row_flags

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def case_tasks_panel(context: Any, case: Any) -> str:
    """The case's open tasks (due, who, overdue highlighted) and, for those who may change the case,
    a form to add one. The case was fetched for the reader, so its tasks are theirs to see."""
    user = _user(context)
    now = timezone.now()
    rows = [selectors.row_of(task, now, principal_name="") for task in selectors.case_tasks(case)]
    assignees_by_mission: dict[int, list[Any]] = {}
    for row in rows:
        row.flags = task_row_flags(user, row.task)
        if row.flags["can_reassign"]:
            mission_id = row.task.mission_id
            if mission_id not in assignees_by_mission:
                assignees_by_mission[mission_id] = list(selectors.assignable_for_task(row.task))
            row.assignees = assignees_by_mission[mission_id]
    form = None
    if permissions.can_change_case(user, case) and case.status not in workflow.EXITS:
        form = TaskCreateForm(assignees=selectors.assignable_for_case(case), auto_id="task-add-%s")
    return render_to_string(
        "work/_case_tasks.html",
        {
            "case": case,
            "rows": rows,
            "form": form,
            "next": f"{reverse('cases:detail', args=[case.reference])}#tasks",
        },
        request=context.get("request"),
    )


@register.inclusion_tag("work/_nav.html", takes_context=True)
def my_work_nav(context: Any) -> dict[str, Any]:
    """The "My work" link with the number of overdue tasks (one count query per page)."""
    return {"counts": selectors.work_counts(_user(context))}
