"""Work pages: the personal "my work" list and the buttons that settle tasks; thin views over the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases import selectors as case_selectors
from homeward.core.errors import ServiceError
from homeward.work import selectors, services
from homeward.work.forms import TaskCancelForm, TaskCompleteForm, TaskCreateForm, TaskReassignForm, WorkFilterForm
from homeward.work.models import Task


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (the case page or my work), never to another site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(default)


def _error(request: HttpRequest, error: ServiceError) -> None:
    details = [m for key, msgs in error.fields.items() for m in msgs if m != error.message and key != "__all__"]
    messages.error(request, " ".join([error.message, *details]))


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The user's open tasks, overdue first, and the travel documents the embassies are late with."""
    form = WorkFilterForm(request.GET or None)
    show = (form.cleaned_data.get("show") if form.is_valid() else "") or selectors.SHOW_ALL
    user = request.user
    work = selectors.my_work(user, show=show)
    for row in work.rows:
        row.flags = task_row_flags(user, row.task)
    arranges_travel = permissions.has_perm_anywhere(user, Perm.ARRANGE_TRAVEL)
    return render(
        request,
        "work/mine.html",
        {
            "form": form,
            "show": show,
            "work": work,
            "sections": [
                ("overdue", _("Overdue"), work.overdue),
                ("today", _("Due today"), work.today),
                ("later", _("Later"), work.later),
            ],
            "arranges_travel": arranges_travel,
            "late_documents": selectors.overdue_travel_documents(user) if arranges_travel else [],
            # Deadlines that are dates are late by whole days, whatever the hour.
            "today": timezone.localdate(),
        },
    )


@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for_user(request.user, pk)
    form = TaskCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The outcome is too long."))
        return _back(request, reverse("work:mine"))
    try:
        services.task_complete(acting_user=request.user, task=task, outcome=form.cleaned_data["outcome"])
    except ServiceError as error:
        _error(request, error)
    else:
        messages.success(request, _("Done: %(task)s.") % {"task": task.get_kind_display()})
    return _back(request, reverse("work:mine"))


@require_POST
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for_user(request.user, pk)
    form = TaskCancelForm(request.POST)
    try:
        services.task_cancel(
            acting_user=request.user, task=task, reason=form.cleaned_data["reason"] if form.is_valid() else ""
        )
    except ServiceError as error:
        _error(request, error)
    else:
        messages.success(request, _("Cancelled: %(task)s.") % {"task": task.get_kind_display()})
    return _back(request, reverse("work:mine"))


@require_POST
def task_take(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for_user(request.user, pk)
    try:
        services.task_reassign(acting_user=request.user, task=task, assignee=request.user)
    except ServiceError as error:
        _error(request, error)
    else:
        messages.success(request, _("The task is yours: %(task)s.") % {"task": task.get_kind_display()})
    return _back(request, reverse("work:mine"))


@require_POST
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for_user(request.user, pk)
    if not services.may_supervise(request.user, task):
        raise PermissionDenied(_("Only a supervisor of the mission can reassign this task."))
    form = TaskReassignForm(request.POST, assignees=selectors.assignable_for_task(task))
    if not form.is_valid():
        messages.error(
            request, _("Choose someone of %(mission)s who works on this case.") % {"mission": task.mission.code}
        )
        return _back(request, reverse("work:mine"))
    assignee = form.cleaned_data["assignee"]
    try:
        services.task_reassign(acting_user=request.user, task=task, assignee=assignee)
    except ServiceError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("%(task)s is now assigned to %(name)s.") % {"task": task.get_kind_display(), "name": assignee}
            if assignee
            else _("%(task)s is back in the queue of %(role)s.")
            % {"task": task.get_kind_display(), "role": task.get_role_display()},
        )
    return _back(request, reverse("work:mine"))


@require_http_methods(["GET", "POST"])
def case_task_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Add a task to a case by hand (the case page's panel posts here; errors are shown on a page of their own)."""
    case = case_selectors.case_for_user(request.user, reference=reference)
    if not permissions.can_change_case(request.user, case):
        raise PermissionDenied(_("You may not add work to this case."))
    form = TaskCreateForm(request.POST or None, assignees=selectors.assignable_for_case(case))
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            services.task_create(
                acting_user=request.user,
                case=case,
                kind=data["kind"],
                note=data["note"],
                due_at=data["due_at"],
                assignee=data["assignee"],
            )
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Task added to case %(reference)s.") % {"reference": case.reference})
            return redirect(f"{reverse('cases:detail', args=[case.reference])}#tasks")
    elif request.method == "POST":
        messages.error(request, _("The task was not added: check the fields marked."))
    return render(request, "work/task_form.html", {"case": case, "form": form})


def task_row_flags(user: Any, task: Task) -> dict[str, bool]:
    return {
        "can_settle": services.may_settle(user, task),
        "can_take": services.may_take(user, task),
        "can_reassign": services.may_supervise(user, task),
    }
