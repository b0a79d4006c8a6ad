"""My work: what a user sees, split by when it is due, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.travel.models import TravelDocumentRequest
from homeward.work import selectors
from tests.factories import family_of_three, register_case
from tests.work.helpers import open_task

pytestmark = pytest.mark.django_db

# 09:00 in Athens.
MORNING = dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)


def test_my_work_is_my_tasks_and_my_roles_queue_and_nothing_else(
    movement_gr: User, movement2_gr: User, counsellor_gr: User, case_gr: Case, case_ro: Case
) -> None:
    mine = open_task(case_gr, kind="book_travel", assignee=movement_gr)
    queued = open_task(case_gr, kind="arrange_assistance")
    open_task(case_gr, kind="pre_departure_check", assignee=movement2_gr)  # a colleague's
    open_task(case_gr, kind="counsel", role=Role.COUNSELLOR)  # another role's queue
    open_task(case_ro, kind="book_travel")  # another mission's queue
    assert {r.task for r in selectors.my_work(movement_gr).rows} == {mine, queued}
    assert [r.task for r in selectors.my_work(movement_gr, show="mine").rows] == [mine]
    assert [r.task for r in selectors.my_work(movement_gr, show="queue").rows] == [queued]
    assert selectors.work_counts(movement_gr).open == 2


def test_tasks_on_cases_i_can_no_longer_see_are_left_out(movement_gr: User, case_gr: Case) -> None:
    open_task(case_gr, assignee=movement_gr)
    movement_gr.memberships.all().delete()
    fresh = User.objects.get(pk=movement_gr.pk)
    assert selectors.my_work(fresh).rows == []
    assert selectors.work_counts(fresh).open == 0


@time_machine.travel(MORNING, tick=False)
def test_my_work_splits_overdue_due_today_and_later_in_the_users_day(counsellor_gr: User, case_gr: Case) -> None:
    overdue = open_task(case_gr, kind="counsel", role=Role.COUNSELLOR, assignee=counsellor_gr,
                        due_in=-dt.timedelta(hours=1))  # fmt: skip
    # 23:30 in Athens is still today there, though 21:30 UTC.
    tonight = open_task(case_gr, kind="sign_declaration", role=Role.COUNSELLOR, assignee=counsellor_gr,
                        due_in=dt.timedelta(hours=14, minutes=30))  # fmt: skip
    tomorrow = open_task(case_gr, kind="safeguarding", role=Role.COUNSELLOR, assignee=counsellor_gr,
                         due_in=dt.timedelta(hours=15, minutes=30))  # fmt: skip
    work = selectors.my_work(counsellor_gr)
    assert ([r.task for r in work.overdue], [r.task for r in work.today], [r.task for r in work.later]) == (
        [overdue], [tonight], [tomorrow],
    )  # fmt: skip
    assert work.overdue[0].overdue
    assert selectors.work_counts(counsellor_gr) == selectors.WorkCounts(open=3, overdue=1)


def test_my_work_names_the_case_and_its_principal_in_two_queries_however_many_tasks(
    counsellor_gr: User, movement_gr: User, gr: Mission
) -> None:
    for name in ("Khan", "Malik"):
        open_task(register_case(counsellor_gr, gr, family_of_three(name)), assignee=movement_gr)
    selectors.work_counts(movement_gr)  # the user's roles are read once per request
    with CaptureQueriesContext(connection) as few:
        rows = selectors.my_work(movement_gr).rows
    for name in ("Butt", "Hussain", "Qureshi"):
        open_task(register_case(counsellor_gr, gr, family_of_three(name)), assignee=movement_gr)
    with CaptureQueriesContext(connection) as more:
        more_rows = selectors.my_work(movement_gr).rows
    assert {r.principal_name for r in rows} == {"Imran Khan", "Imran Malik"}
    assert {r.task.case.reference for r in more_rows} == {c.reference for c in Case.objects.all()}
    assert len(few) == len(more) == 2


def test_the_badge_count_is_one_query(movement_gr: User, case_gr: Case) -> None:
    open_task(case_gr, assignee=movement_gr, due_in=-dt.timedelta(days=1))
    selectors.work_counts(movement_gr)
    with CaptureQueriesContext(connection) as queries:
        counts = selectors.work_counts(movement_gr)
    assert counts == selectors.WorkCounts(open=1, overdue=1)
    assert len(queries) == 1


def _document_request(
    case: Case, user: User, *, expected_on: dt.date, status: str = "requested"
) -> TravelDocumentRequest:
    return TravelDocumentRequest.objects.create(
        case=case,
        member=case.members.get(relationship="child"),
        kind=TravelDocumentRequest.Kind.LAISSEZ_PASSER,
        authority="Embassy of Pakistan, Athens",
        requested_on=expected_on - dt.timedelta(days=10),
        expected_on=expected_on,
        status=status,
        created_by=user,
    )


@time_machine.travel(MORNING, tick=False)
def test_a_movement_officer_sees_the_travel_documents_the_embassy_is_late_with(
    movement_gr: User, counsellor_gr: User, counsellor_ro: User, case_gr: Case, case_ro: Case
) -> None:
    today = dt.date(2026, 3, 10)
    late = _document_request(case_gr, movement_gr, expected_on=today - dt.timedelta(days=2))
    _document_request(case_gr, movement_gr, expected_on=today)  # due today: not late yet
    _document_request(case_gr, movement_gr, expected_on=today - dt.timedelta(days=5), status="issued")
    _document_request(case_ro, counsellor_ro, expected_on=today - dt.timedelta(days=2))  # another mission
    assert selectors.overdue_travel_documents(movement_gr) == [late]
    assert selectors.overdue_travel_documents(counsellor_gr) == []  # counsellors do not arrange travel
