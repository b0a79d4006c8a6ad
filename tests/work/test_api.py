"""Tasks over JSON: my work, a case's tasks, adding, completing, reassigning; 404 for invisible cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.work.models import Task
from tests.work.helpers import open_task

pytestmark = pytest.mark.django_db
Api = Callable[..., Any]


def test_my_tasks_with_the_overdue_flag(api_as: Api, movement_gr: User, case_gr: Case, case_ro: Case) -> None:
    late = open_task(case_gr, kind="book_travel", assignee=movement_gr, due_in=-dt.timedelta(hours=1))
    queued = open_task(case_gr, kind="arrange_assistance")
    open_task(case_ro, kind="book_travel")
    response = api_as(movement_gr).get("/tasks")
    assert response.status_code == 200
    body = response.json()
    assert [(t["id"], t["overdue"], t["assignee"]) for t in body] == [
        (late.pk, True, "movement.gr"), (queued.pk, False, None),
    ]  # fmt: skip
    assert body[0]["case_reference"] == case_gr.reference
    assert body[0]["principal_name"] == "Imran Khan"
    assert [t["id"] for t in api_as(movement_gr).get("/tasks", {"show": "queue"}).json()] == [queued.pk]


def test_a_cases_tasks_and_404_for_a_case_of_another_mission(
    api_as: Api, counsellor_gr: User, counsellor_ro: User, case_gr: Case
) -> None:
    task = open_task(case_gr, kind="counsel", role=Role.COUNSELLOR, assignee=counsellor_gr)
    assert [t["id"] for t in api_as(counsellor_gr).get(f"/cases/{case_gr.pk}/tasks").json()] == [task.pk]
    response = api_as(counsellor_ro).get(f"/cases/{case_gr.pk}/tasks")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "fields": {}}


def test_add_a_task_to_a_case(api_as: Api, counsellor_gr: User, movement_gr: User, case_gr: Case) -> None:
    due = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    response = api_as(counsellor_gr).post(
        f"/cases/{case_gr.pk}/tasks",
        {"note": "Collect the birth certificate", "due_at": due.isoformat(), "assignee": "movement.gr"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["assignee"], body["mission"], body["role"]) == (
        "other", "movement.gr", "GR", "movement_officer",
    )  # fmt: skip
    assert Task.objects.get(pk=body["id"]).due_at == due


def test_adding_a_task_names_what_is_wrong(
    api_as: Api, counsellor_gr: User, counsellor_ro: User, case_gr: Case
) -> None:
    client = api_as(counsellor_gr)
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    response = client.post(f"/cases/{case_gr.pk}/tasks", {"note": "x", "due_at": past, "assignee": "counsellor.gr"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"due_at": ["The due date is in the past."]}
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    for who in ("counsellor.ro", "nobody"):  # the same answer: nothing is told about who exists
        response = client.post(f"/cases/{case_gr.pk}/tasks", {"note": "x", "due_at": future, "assignee": who})
        assert response.status_code == 400
        assert response.json()["fields"] == {"assignee": ["Choose someone who works on this case."]}


def test_adding_a_task_is_refused_to_those_who_may_not_change_the_case(
    api_as: Api, movement_gr: User, counsellor_ro: User, case_gr: Case
) -> None:
    body = {"note": "x", "due_at": (timezone.now() + dt.timedelta(days=1)).isoformat(), "assignee": "movement.gr"}
    assert api_as(movement_gr).post(f"/cases/{case_gr.pk}/tasks", body).status_code == 403
    assert api_as(counsellor_ro).post(f"/cases/{case_gr.pk}/tasks", body).status_code == 404


def test_complete_a_task(
    api_as: Api, movement_gr: User, counsellor_gr: User, counsellor_ro: User, case_gr: Case
) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    assert api_as(counsellor_ro).post(f"/tasks/{task.pk}/complete", {}).status_code == 404
    assert api_as(counsellor_gr).post(f"/tasks/{task.pk}/complete", {}).status_code == 403
    response = api_as(movement_gr).post(f"/tasks/{task.pk}/complete", {"outcome": "Booked"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["outcome"], response.json()["closed_by"]) == (
        "done", "Booked", "movement.gr",
    )  # fmt: skip
    again = api_as(movement_gr).post(f"/tasks/{task.pk}/complete", {})
    assert again.status_code == 400
    assert again.json()["message"] == "This task is already done."


def test_reassign_a_task(
    api_as: Api, supervisor_gr: User, movement_gr: User, movement2_gr: User, counsellor_ro: User, case_gr: Case
) -> None:
    task = open_task(case_gr)
    assert api_as(counsellor_ro).post(f"/tasks/{task.pk}/reassign", {"assignee": "counsellor.ro"}).status_code == 404
    # Taking an unassigned task of one's own role.
    assert api_as(movement_gr).post(f"/tasks/{task.pk}/reassign", {"assignee": "movement.gr"}).json()["assignee"] == (
        "movement.gr"
    )
    # Passing it on takes a supervisor.
    assert api_as(movement_gr).post(f"/tasks/{task.pk}/reassign", {"assignee": "movement2.gr"}).status_code == 403
    supervisor = api_as(supervisor_gr)
    assert supervisor.post(f"/tasks/{task.pk}/reassign", {"assignee": "movement2.gr"}).json()["assignee"] == (
        "movement2.gr"
    )
    refused = supervisor.post(f"/tasks/{task.pk}/reassign", {"assignee": "counsellor.ro"})
    assert refused.status_code == 400
    assert refused.json()["fields"] == {"assignee": ["Choose someone of GR who works on this case."]}
    assert supervisor.post(f"/tasks/{task.pk}/reassign", {"assignee": None}).json()["assignee"] is None


def test_cancel_a_task_with_a_reason(api_as: Api, movement_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    assert api_as(movement_gr).post(f"/tasks/{task.pk}/cancel", {"reason": ""}).status_code == 400
    response = api_as(movement_gr).post(f"/tasks/{task.pk}/cancel", {"reason": "The family booked themselves"})
    assert response.json()["status"] == "cancelled"
