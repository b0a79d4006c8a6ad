"""The task rules as the workflow fires them: moving a case opens and closes its tasks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.cases.services import case_transition
from homeward.work import selectors
from homeward.work.models import Task, TaskKind
from tests.factories import family_of_three, register_case

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _registered(case_gr: Case, counsellor_gr: User) -> None:
    """Counselling starts from a registered case."""
    if case_gr.status == "inquiry":
        case_transition(acting_user=counsellor_gr, case=case_gr, to="registered")


@time_machine.travel(NOW, tick=False)
def test_counselling_opens_a_session_task_for_the_cases_counsellor_due_in_seven_days(
    counsellor_gr: User, case_gr: Case, gr: Mission
) -> None:
    case_transition(acting_user=counsellor_gr, case=case_gr, to="in_counselling")
    task = Task.objects.get(case=case_gr)
    assert (task.kind, task.status, task.assignee, task.mission, task.role) == (
        TaskKind.COUNSEL, Task.Status.OPEN, counsellor_gr, gr, Role.COUNSELLOR,
    )  # fmt: skip
    assert task.due_at == NOW + dt.timedelta(days=7)
    assert [row.task for row in selectors.my_work(counsellor_gr).later] == [task]


def test_a_case_without_a_counsellor_puts_the_session_task_in_the_counsellors_queue(
    counsellor_gr: User, counsellor2_gr: User, movement_gr: User, gr: Mission
) -> None:
    case = register_case(counsellor_gr, gr, family_of_three("Malik"))
    case_transition(acting_user=counsellor_gr, case=case, to="registered")
    case_transition(acting_user=counsellor_gr, case=case, to="in_counselling")
    task = Task.objects.get(case=case)
    assert task.assignee is None
    assert [r.task for r in selectors.my_work(counsellor2_gr).rows] == [task]
    assert selectors.my_work(movement_gr).rows == []


def test_withdrawing_cancels_the_open_tasks_of_the_case(counsellor_gr: User, case_gr: Case) -> None:
    case_transition(acting_user=counsellor_gr, case=case_gr, to="in_counselling")
    case_transition(acting_user=counsellor_gr, case=case_gr, to="withdrawn", note="She wants to stay with her sister")
    task = Task.objects.get(case=case_gr, kind=TaskKind.COUNSEL)
    assert (task.status, task.closed_by) == (Task.Status.CANCELLED, counsellor_gr)
    assert task.closed_at is not None
    assert not case_gr.tasks.filter(status=Task.Status.OPEN).exists()
    assert selectors.work_counts(counsellor_gr).open == 0


def test_reopening_into_counselling_opens_one_fresh_session_task(
    counsellor_gr: User, supervisor_gr: User, case_gr: Case
) -> None:
    case_transition(acting_user=counsellor_gr, case=case_gr, to="in_counselling")
    case_transition(acting_user=counsellor_gr, case=case_gr, to="withdrawn", note="Not now")
    case_transition(acting_user=supervisor_gr, case=case_gr, to="in_counselling", note="She called back")
    tasks = list(case_gr.tasks.filter(kind=TaskKind.COUNSEL).order_by("pk").values_list("status", flat=True))
    assert tasks == [Task.Status.CANCELLED, Task.Status.OPEN]


def test_a_task_added_by_hand_is_not_taken_for_the_workflows_own(counsellor_gr: User, case_gr: Case) -> None:
    from homeward.work import services

    manual = services.task_create(
        acting_user=counsellor_gr,
        case=case_gr,
        kind=TaskKind.COUNSEL,
        note="Bring an interpreter for Pashto",
        due_at=timezone.now() + dt.timedelta(days=1),
        assignee=counsellor_gr,
    )
    case_transition(acting_user=counsellor_gr, case=case_gr, to="in_counselling")
    assert case_gr.tasks.filter(kind=TaskKind.COUNSEL, status=Task.Status.OPEN).count() == 2
    assert Task.objects.get(pk=manual.pk).note == "Bring an interpreter for Pashto"
