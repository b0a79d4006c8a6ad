"""New feedback is work for the case's owner; a complaint is work for the supervisors."""

from __future__ import annotations

import pytest
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.feedback import services
from homeward.feedback.models import Feedback, FeedbackLink
from homeward.work.models import Task, TaskKind
from tests import journey
from tests.feedback.conftest import send

pytestmark = pytest.mark.django_db


def open_tasks(case: Case, kind: str) -> list[tuple[str, str, str | None]]:
    tasks = Task.objects.filter(case=case, kind=kind, status=Task.Status.OPEN).select_related("mission", "assignee")
    return sorted((t.mission.code, t.role, t.assignee.username if t.assignee else None) for t in tasks)


def test_feedback_before_departure_is_for_the_counsellor(public: Client, link: FeedbackLink, case_gr: Case) -> None:
    send(public, link.token)
    send(public, link.token, text="and another thing")
    assert open_tasks(case_gr, TaskKind.READ_FEEDBACK) == [("GR", "counsellor", "counsellor.gr")]
    assert open_tasks(case_gr, TaskKind.REVIEW_COMPLAINT) == []


def test_a_complaint_is_for_the_host_supervisors(public: Client, link: FeedbackLink, case_gr: Case) -> None:
    send(public, link.token, is_complaint="on")
    assert open_tasks(case_gr, TaskKind.REVIEW_COMPLAINT) == [("GR", "case_supervisor", None)]
    assert open_tasks(case_gr, TaskKind.READ_FEEDBACK) == [("GR", "counsellor", "counsellor.gr")]


def test_after_the_return_feedback_goes_to_the_origin_mission_and_a_complaint_to_both_missions_supervisors(
    public: Client, link: FeedbackLink, case_gr: Case, supervisor_gr: User, pk: Mission
) -> None:
    journey.referred(case_gr, supervisor_gr, pk)
    journey.set_status(case_gr, journey.S.ARRIVED)
    send(public, link.token, is_complaint="on")
    assert open_tasks(case_gr, TaskKind.READ_FEEDBACK) == [("PK", "reintegration_officer", None)]
    assert open_tasks(case_gr, TaskKind.REVIEW_COMPLAINT) == [
        ("GR", "case_supervisor", None),
        ("PK", "case_supervisor", None),
    ]


def test_reading_all_new_feedback_closes_the_owners_task(
    public: Client, link: FeedbackLink, case_gr: Case, counsellor_gr: User
) -> None:
    send(public, link.token)
    send(public, link.token, text="second")
    first, second = Feedback.objects.order_by("pk")
    services.feedback_mark_read(acting_user=counsellor_gr, feedback=first)
    assert open_tasks(case_gr, TaskKind.READ_FEEDBACK) != []
    services.feedback_mark_read(acting_user=counsellor_gr, feedback=second)
    assert open_tasks(case_gr, TaskKind.READ_FEEDBACK) == []
    done = Task.objects.get(case=case_gr, kind=TaskKind.READ_FEEDBACK)
    assert (done.status, done.closed_by) == (Task.Status.DONE, counsellor_gr)


def test_answering_the_complaint_closes_the_review(
    public: Client, link: FeedbackLink, case_gr: Case, supervisor_gr: User
) -> None:
    send(public, link.token, is_complaint="on")
    feedback = Feedback.objects.get()
    services.feedback_answer(acting_user=supervisor_gr, feedback=feedback, note="Called back; apologised.")
    assert open_tasks(case_gr, TaskKind.REVIEW_COMPLAINT) == []
    assert open_tasks(case_gr, TaskKind.READ_FEEDBACK) == []


def test_staff_marking_a_complaint_opens_the_review(
    public: Client, link: FeedbackLink, case_gr: Case, counsellor_gr: User
) -> None:
    send(public, link.token, text="Nobody met us at the airport.")
    feedback = services.feedback_mark_complaint(acting_user=counsellor_gr, feedback=Feedback.objects.get())
    assert feedback.is_complaint
    assert open_tasks(case_gr, TaskKind.REVIEW_COMPLAINT) == [("GR", "case_supervisor", None)]


def test_phone_feedback_opens_the_same_tasks(case_gr: Case, counsellor_gr: User) -> None:
    services.feedback_log_phone(
        acting_user=counsellor_gr, case=case_gr, data=services.FeedbackInput(text="Rude driver", is_complaint=True)
    )
    assert open_tasks(case_gr, TaskKind.READ_FEEDBACK) == [("GR", "counsellor", "counsellor.gr")]
    assert open_tasks(case_gr, TaskKind.REVIEW_COMPLAINT) == [("GR", "case_supervisor", None)]
