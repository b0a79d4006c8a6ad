"""The my-work page, the buttons on it, the case page's task panel and the navigation badge."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.travel.models import TravelDocumentRequest
from homeward.work.models import Task
from tests.factories import family_of_three, register_case
from tests.work.helpers import client_for, open_task

pytestmark = pytest.mark.django_db

MORNING = dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)  # 09:00 in Athens


def _row(page: str, task: Task) -> str:
    match = re.search(rf'<tr class="([^"]*)" data-task="{task.pk}">(.*?)</tr>', page, re.S)
    assert match, f"no row for task {task.pk}"
    return match.group(1) + match.group(2)


def test_anonymous_visitors_are_sent_to_log_in(client: object) -> None:
    response = client.get(reverse("work:mine"))  # type: ignore[attr-defined]
    assert response.status_code == 302


@time_machine.travel(MORNING, tick=False)
def test_overdue_tasks_are_highlighted_with_how_late_they_are(
    counsellor_gr: User, case_gr: Case, case_ro: Case
) -> None:
    late = open_task(case_gr, kind="counsel", role=Role.COUNSELLOR, assignee=counsellor_gr,
                     due_in=-dt.timedelta(days=2, hours=3))  # fmt: skip
    later = open_task(case_gr, kind="sign_declaration", role=Role.COUNSELLOR, assignee=counsellor_gr,
                      due_in=dt.timedelta(days=3))  # fmt: skip
    open_task(case_ro, kind="counsel", role=Role.COUNSELLOR)  # Romania's queue
    page = client_for(counsellor_gr).get(reverse("work:mine")).content.decode()
    assert "table-danger" in _row(page, late)
    assert "overdue by 2\xa0days, 3\xa0hours" in _row(page, late)
    assert "table-danger" not in _row(page, later)
    assert "3\xa0days from now" in _row(page, later)
    # Due dates in the user's time zone (Athens, UTC+2 in March).
    assert "8 Mar 2026 06:00" in _row(page, late)
    assert case_gr.reference in page
    assert case_ro.reference not in page
    assert "Imran Khan" in page


def test_the_page_makes_the_same_queries_however_many_tasks(
    counsellor_gr: User, movement_gr: User, gr: Mission
) -> None:
    client = client_for(movement_gr)
    open_task(register_case(counsellor_gr, gr, family_of_three("Malik")), assignee=movement_gr)
    client.get(reverse("work:mine"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("work:mine"))
    for name in ("Butt", "Hussain", "Qureshi"):
        open_task(register_case(counsellor_gr, gr, family_of_three(name)))
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("work:mine")).content.decode()
    assert page.count("Take it") == 3
    assert len(more) == len(few)


def test_mine_only_leaves_out_the_queue(movement_gr: User, case_gr: Case) -> None:
    mine = open_task(case_gr, kind="book_travel", assignee=movement_gr)
    queued = open_task(case_gr, kind="arrange_assistance")
    page = client_for(movement_gr).get(reverse("work:mine"), {"show": "mine"}).content.decode()
    assert f'data-task="{mine.pk}"' in page
    assert f'data-task="{queued.pk}"' not in page


def test_complete_with_an_outcome_from_the_page(movement_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    response = client_for(movement_gr).post(
        reverse("work:complete", args=[task.pk]), {"outcome": "Booked on TK1844", "next": reverse("work:mine")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("work:mine")
    task.refresh_from_db()
    assert (task.status, task.outcome) == (Task.Status.DONE, "Booked on TK1844")


def test_take_an_unassigned_task_from_the_page(movement_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr)
    client = client_for(movement_gr)
    assert "Take it" in _row(client.get(reverse("work:mine")).content.decode(), task)
    client.post(reverse("work:take", args=[task.pk]))
    task.refresh_from_db()
    assert task.assignee == movement_gr
    assert "Take it" not in _row(client.get(reverse("work:mine")).content.decode(), task)


def test_a_task_on_a_case_of_another_mission_is_not_found(counsellor_ro: User, case_gr: Case) -> None:
    task = open_task(case_gr, kind="counsel", role=Role.COUNSELLOR)
    client = client_for(counsellor_ro)
    assert client.post(reverse("work:complete", args=[task.pk])).status_code == 404
    assert client.post(reverse("work:take", args=[task.pk])).status_code == 404
    assert Task.objects.get(pk=task.pk).status == Task.Status.OPEN


def test_completing_someone_elses_task_is_forbidden(counsellor_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr)
    assert client_for(counsellor_gr).post(reverse("work:complete", args=[task.pk])).status_code == 403


def test_the_next_address_never_leads_off_site(movement_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    response = client_for(movement_gr).post(reverse("work:complete", args=[task.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("work:mine")


def test_the_navigation_shows_how_many_tasks_are_overdue(movement_gr: User, case_gr: Case) -> None:
    open_task(case_gr, assignee=movement_gr, due_in=-dt.timedelta(hours=2))
    open_task(case_gr, kind="arrange_assistance", due_in=-dt.timedelta(hours=1))
    open_task(case_gr, kind="pre_departure_check", assignee=movement_gr)
    page = client_for(movement_gr).get(reverse("cases:list")).content.decode()
    assert re.search(r'id="nav-overdue">2<span class="visually-hidden"> overdue', page)


def test_the_movement_officers_page_lists_late_travel_documents(movement_gr: User, case_gr: Case) -> None:
    TravelDocumentRequest.objects.create(
        case=case_gr,
        member=case_gr.members.get(relationship="child"),
        kind=TravelDocumentRequest.Kind.LAISSEZ_PASSER,
        authority="Embassy of Pakistan, Athens",
        requested_on=timezone.localdate() - dt.timedelta(days=14),
        expected_on=timezone.localdate() - dt.timedelta(days=3),
        created_by=movement_gr,
    )
    page = client_for(movement_gr).get(reverse("work:mine")).content.decode()
    section = page.split('id="late-documents"')[1]
    assert "Sana Khan" in section
    assert "3\xa0days late" in section


# ---------------------------------------------------------------- the case page's panel


def test_the_case_page_lists_its_open_tasks_with_who_and_a_form_to_add_one(
    counsellor_gr: User, movement_gr: User, case_gr: Case
) -> None:
    assigned = open_task(case_gr, kind="counsel", role=Role.COUNSELLOR, assignee=counsellor_gr,
                         due_in=-dt.timedelta(days=1))  # fmt: skip
    queued = open_task(case_gr, kind="book_travel")
    page = client_for(counsellor_gr).get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    panel = page.split('id="tasks"')[1]
    assert "table-danger" in _row(panel, assigned)
    assert str(counsellor_gr) in _row(panel, assigned)
    assert "movement officer at GR" in _row(panel, queued)
    assert reverse("work:case_task_add", args=[case_gr.reference]) in panel


def test_the_panel_offers_no_form_to_those_who_may_not_change_the_case(movement_gr: User, case_gr: Case) -> None:
    page = client_for(movement_gr).get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert 'id="tasks"' in page
    assert reverse("work:case_task_add", args=[case_gr.reference]) not in page


def test_a_task_added_on_the_case_page(counsellor_gr: User, movement_gr: User, case_gr: Case) -> None:
    due = timezone.localtime() + dt.timedelta(days=2)
    response = client_for(counsellor_gr).post(
        reverse("work:case_task_add", args=[case_gr.reference]),
        {"kind": "other", "note": "Collect the birth certificate", "due_at": due.strftime("%Y-%m-%dT%H:%M"),
         "assignee": movement_gr.pk},
    )  # fmt: skip
    assert response.status_code == 302
    task = case_gr.tasks.get()
    assert (task.note, task.assignee) == ("Collect the birth certificate", movement_gr)
    assert timezone.localtime(task.due_at).strftime("%Y-%m-%dT%H:%M") == due.strftime("%Y-%m-%dT%H:%M")


def test_a_task_due_in_the_past_is_refused_in_words(counsellor_gr: User, case_gr: Case) -> None:
    past = timezone.localtime() - dt.timedelta(days=1)
    response = client_for(counsellor_gr).post(
        reverse("work:case_task_add", args=[case_gr.reference]),
        {"kind": "other", "note": "Too late", "due_at": past.strftime("%Y-%m-%dT%H:%M"), "assignee": counsellor_gr.pk},
    )
    assert response.status_code == 200
    assert "The due date is in the past." in response.content.decode()
    assert not case_gr.tasks.exists()


def test_a_movement_officer_cannot_add_a_task_to_a_case(movement_gr: User, case_gr: Case) -> None:
    url = reverse("work:case_task_add", args=[case_gr.reference])
    assert client_for(movement_gr).post(url, {"note": "x"}).status_code == 403


def test_a_supervisor_reassigns_from_the_case_page(
    supervisor_gr: User, movement_gr: User, movement2_gr: User, case_gr: Case
) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    client = client_for(supervisor_gr)
    panel = client.get(reverse("cases:detail", args=[case_gr.reference])).content.decode().split('id="tasks"')[1]
    assert f'id="reassign-{task.pk}"' in panel
    client.post(reverse("work:reassign", args=[task.pk]), {"assignee": movement2_gr.pk})
    assert Task.objects.get(pk=task.pk).assignee == movement2_gr
    assert client_for(movement_gr).post(reverse("work:reassign", args=[task.pk]), {"assignee": ""}).status_code == 403


def test_cancel_a_task_from_the_page_with_a_reason(movement_gr: User, case_gr: Case) -> None:
    task = open_task(case_gr, assignee=movement_gr)
    client = client_for(movement_gr)
    assert "you" in _row(client.get(reverse("work:mine")).content.decode(), task)
    client.post(reverse("work:cancel", args=[task.pk]), {"reason": ""})
    assert Task.objects.get(pk=task.pk).status == Task.Status.OPEN
    client.post(reverse("work:cancel", args=[task.pk]), {"reason": "The family booked themselves"})
    task.refresh_from_db()
    assert (task.status, task.outcome) == (Task.Status.CANCELLED, "The family booked themselves")


def test_the_case_panel_makes_the_same_queries_however_many_tasks(
    supervisor_gr: User, movement_gr: User, case_gr: Case
) -> None:
    client = client_for(supervisor_gr)
    url = reverse("cases:detail", args=[case_gr.reference])
    open_task(case_gr, kind="book_travel", assignee=movement_gr)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    open_task(case_gr, kind="arrange_assistance")
    open_task(case_gr, kind="pre_departure_check", assignee=movement_gr)
    open_task(case_gr, kind="counsel", role=Role.COUNSELLOR)
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert page.split('id="tasks"')[1].count('class="task-row') == 4
    assert len(more) == len(few)
