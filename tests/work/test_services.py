"""The task services: who may add, settle and pass on work, and what they may not."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases import services as case_services
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.work import services
from homeward.work.models import Task, TaskKind
from tests import journey
from tests.work.helpers import open_task

pytestmark = pytest.mark.django_db


def _create(user: User, case: Case, assignee: User | None, **extra: object) -> Task:
    values: dict[str, object] = {
        "note": "Call the NGO about the family's housing",
        "due_at": timezone.now() + dt.timedelta(days=2),
    }
    values.update(extra)
    return services.task_create(acting_user=user, case=case, assignee=assignee, **values)  # type: ignore[arg-type]


# ---------------------------------------------------------------- task_create


def test_a_counsellor_adds_a_task_for_a_movement_officer_of_the_mission(
    counsellor_gr: User, movement_gr: User, case_gr: Case, gr: Mission
) -> None:
    task = _create(counsellor_gr, case_gr, movement_gr)
    assert (task.kind, task.status, task.assignee, task.mission, task.role) == (
        TaskKind.OTHER, Task.Status.OPEN, movement_gr, gr, Role.MOVEMENT_OFFICER,
    )  # fmt: skip
    entry = LogEntry.objects.get_for_object(task).get()
    assert entry.actor == counsellor_gr
    assert entry.additional_data == {"case_id": case_gr.pk}


def test_two_tasks_of_the_same_kind_can_be_added_to_one_case(counsellor_gr: User, case_gr: Case) -> None:
    _create(counsellor_gr, case_gr, counsellor_gr, note="First")
    _create(counsellor_gr, case_gr, counsellor_gr, note="Second")
    assert case_gr.tasks.filter(status="open", kind="other").count() == 2


def test_the_task_goes_to_the_origin_mission_when_the_assignee_works_there(
    supervisor_gr: User, reintegration_pk: User, case_gr: Case, pk: Mission
) -> None:
    journey.referred(case_gr, supervisor_gr, pk)
    task = _create(supervisor_gr, case_gr, reintegration_pk)
    assert (task.mission, task.role) == (pk, Role.REINTEGRATION_OFFICER)


def test_a_counsellor_of_another_mission_cannot_be_given_work_on_the_case(
    counsellor_gr: User, counsellor_ro: User, case_gr: Case
) -> None:
    with pytest.raises(ServiceError) as error:
        _create(counsellor_gr, case_gr, counsellor_ro)
    assert error.value.fields["assignee"] == ["Choose someone who works on this case."]
    assert not case_gr.tasks.exists()


def test_a_member_whose_role_does_not_see_cases_cannot_be_given_work(
    counsellor_gr: User, viewer: User, case_gr: Case
) -> None:
    with pytest.raises(ServiceError) as error:
        _create(counsellor_gr, case_gr, viewer)
    assert "assignee" in error.value.fields


def test_a_task_needs_what_to_do_a_future_due_date_and_someone(counsellor_gr: User, case_gr: Case) -> None:
    with pytest.raises(ServiceError) as error:
        _create(counsellor_gr, case_gr, None, note="  ", due_at=timezone.now() - dt.timedelta(minutes=5), kind="x")
    assert set(error.value.fields) == {"note", "due_at", "assignee", "kind"}
    assert error.value.fields["due_at"] == ["The due date is in the past."]


def test_a_movement_officer_cannot_add_work_to_a_case(movement_gr: User, case_gr: Case) -> None:
    with pytest.raises(PermissionDenied):
        _create(movement_gr, case_gr, movement_gr)


def test_a_counsellor_of_romania_cannot_add_work_to_a_case_of_greece(counsellor_ro: User, case_gr: Case) -> None:
    with pytest.raises(PermissionDenied):
        _create(counsellor_ro, case_gr, counsellor_ro)


def test_a_withdrawn_case_takes_no_new_work(counsellor_gr: User, case_gr: Case) -> None:
    case_services.case_transition(acting_user=counsellor_gr, case=case_gr, to="withdrawn", note="Changed her mind")
    with pytest.raises(ServiceError, match="reopen it"):
        _create(counsellor_gr, case_gr, counsellor_gr)


# ---------------------------------------------------------------- task_complete


def test_the_assignee_completes_a_task_with_its_outcome(counsellor_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr, kind="counsel", role=Role.COUNSELLOR, assignee=counsellor_gr)
    services.task_complete(acting_user=counsellor_gr, task=task, outcome="Session held")
    task.refresh_from_db()
    assert (task.status, task.outcome, task.closed_by) == (Task.Status.DONE, "Session held", counsellor_gr)
    assert task.closed_at is not None
    assert LogEntry.objects.get_for_object(task).filter(action=LogEntry.Action.UPDATE).get().actor == counsellor_gr


def test_anyone_holding_the_tasks_role_in_its_mission_completes_it(
    movement_gr: User, movement2_gr: User, case_gr: Case
) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    services.task_complete(acting_user=movement2_gr, task=task)
    assert Task.objects.get(pk=task.pk).status == Task.Status.DONE


def test_a_supervisor_of_the_mission_completes_anyones_task(
    supervisor_gr: User, movement_gr: User, case_gr: Case
) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    services.task_complete(acting_user=supervisor_gr, task=task)
    assert Task.objects.get(pk=task.pk).closed_by == supervisor_gr


def test_a_counsellor_cannot_complete_a_movement_officers_task(
    counsellor_gr: User, movement_gr: User, case_gr: Case
) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    with pytest.raises(PermissionDenied):
        services.task_complete(acting_user=counsellor_gr, task=task)
    assert Task.objects.get(pk=task.pk).status == Task.Status.OPEN


def test_a_counsellor_of_romania_cannot_complete_a_task_of_greece(counsellor_ro: User, case_gr: Case) -> None:
    task = open_task(case_gr, kind="counsel", role=Role.COUNSELLOR)
    with pytest.raises(PermissionDenied):
        services.task_complete(acting_user=counsellor_ro, task=task)


def test_a_task_is_completed_once(movement_gr: User, movement2_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr)
    stale = Task.objects.get(pk=task.pk)
    services.task_complete(acting_user=movement_gr, task=task, outcome="Booked")
    with pytest.raises(ServiceError, match="already done"):
        services.task_complete(acting_user=movement2_gr, task=stale, outcome="Also booked")
    assert Task.objects.get(pk=task.pk).outcome == "Booked"


# ---------------------------------------------------------------- task_cancel


def test_a_cancellation_needs_a_reason(movement_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    with pytest.raises(ServiceError) as error:
        services.task_cancel(acting_user=movement_gr, task=task, reason=" ")
    assert "reason" in error.value.fields
    services.task_cancel(acting_user=movement_gr, task=task, reason="Booked by the family")
    task.refresh_from_db()
    assert (task.status, task.outcome) == (Task.Status.CANCELLED, "Booked by the family")


def test_a_finance_officer_cannot_cancel_a_movement_task(finance_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr)
    with pytest.raises(PermissionDenied):
        services.task_cancel(acting_user=finance_gr, task=task, reason="Not needed")


# ---------------------------------------------------------------- task_reassign


def test_a_supervisor_reassigns_a_task_and_the_new_assignee_is_reminded_afresh(
    supervisor_gr: User, movement_gr: User, movement2_gr: User, case_gr: Case
) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    Task.objects.filter(pk=task.pk).update(reminded_at=timezone.now())
    services.task_reassign(acting_user=supervisor_gr, task=task, assignee=movement2_gr)
    task.refresh_from_db()
    assert (task.assignee, task.reminded_at) == (movement2_gr, None)
    assert LogEntry.objects.get_for_object(task).filter(action=LogEntry.Action.UPDATE).get().actor == supervisor_gr


def test_a_supervisor_puts_a_task_back_in_its_roles_queue(
    supervisor_gr: User, movement_gr: User, case_gr: Case
) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    services.task_reassign(acting_user=supervisor_gr, task=task, assignee=None)
    assert Task.objects.get(pk=task.pk).assignee is None


def test_a_supervisor_cannot_give_a_task_to_someone_of_another_mission(
    supervisor_gr: User, counsellor_ro: User, case_gr: Case
) -> None:
    task = open_task(case_gr)
    with pytest.raises(ServiceError) as error:
        services.task_reassign(acting_user=supervisor_gr, task=task, assignee=counsellor_ro)
    assert error.value.fields["assignee"] == ["Choose someone of GR who works on this case."]


def test_a_movement_officer_takes_an_unassigned_task_of_their_role(movement_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr)
    services.task_reassign(acting_user=movement_gr, task=task, assignee=movement_gr)
    assert Task.objects.get(pk=task.pk).assignee == movement_gr


def test_the_second_of_two_people_taking_a_task_is_told_who_has_it(
    movement_gr: User, movement2_gr: User, case_gr: Case
) -> None:
    task = open_task(case_gr)
    stale = Task.objects.get(pk=task.pk)
    services.task_reassign(acting_user=movement_gr, task=task, assignee=movement_gr)
    with pytest.raises(ServiceError, match="has taken this task already"):
        services.task_reassign(acting_user=movement2_gr, task=stale, assignee=movement2_gr)
    assert Task.objects.get(pk=task.pk).assignee == movement_gr


def test_a_counsellor_cannot_take_a_task_of_the_movement_officers(counsellor_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr)
    with pytest.raises(PermissionDenied):
        services.task_reassign(acting_user=counsellor_gr, task=task, assignee=counsellor_gr)


def test_someone_who_is_not_a_supervisor_cannot_give_a_task_to_a_colleague(
    movement_gr: User, movement2_gr: User, case_gr: Case
) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    with pytest.raises(PermissionDenied):
        services.task_reassign(acting_user=movement_gr, task=task, assignee=movement2_gr)
    assert Task.objects.get(pk=task.pk).assignee == movement_gr


def test_a_closed_task_is_not_reassigned(supervisor_gr: User, movement_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr)
    services.task_complete(acting_user=supervisor_gr, task=task)
    with pytest.raises(ServiceError, match="already done"):
        services.task_reassign(acting_user=supervisor_gr, task=task, assignee=movement_gr)
