"""Reminders: who is told, when, once, in their language, and the worker that sends them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.work import reminders
from homeward.work.models import Task
from homeward.work.tasks import ensure_reminders_scheduled, pending_reminders, send_reminders
from tests.factories import UserFactory
from tests.work.helpers import open_task, with_email

NOW = dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)


def _to(outbox: list[EmailMessage], user: User) -> list[EmailMessage]:
    return [m for m in outbox if m.to == [user.email]]


@pytest.mark.django_db
def test_a_task_is_reminded_when_it_comes_due_within_a_day_and_again_when_overdue(
    mailoutbox: list[EmailMessage], movement_gr: User, case_gr: Case
) -> None:
    with_email(movement_gr, "movement@example.org")
    with time_machine.travel(NOW, tick=False) as traveller:
        task = open_task(case_gr, assignee=movement_gr, due_in=dt.timedelta(hours=30))
        assert reminders.sweep().tasks == 0
        assert mailoutbox == []

        traveller.shift(dt.timedelta(hours=7))  # due in 23 hours
        assert reminders.sweep().emails == 1
        assert Task.objects.get(pk=task.pk).reminded_at == timezone.now()
        [message] = mailoutbox
        assert message.subject == "Homeward: 1 task due soon or overdue"
        assert case_gr.reference in message.body
        assert "book the itinerary" in message.body
        assert "Imran" not in message.body  # no names in an inbox
        assert "/work/" in message.body

        traveller.shift(dt.timedelta(hours=12))  # still due, already reminded
        assert reminders.sweep().emails == 0

        traveller.shift(dt.timedelta(hours=12))  # overdue since an hour
        assert reminders.sweep().emails == 1
        assert "(overdue)" in mailoutbox[1].body

        traveller.shift(dt.timedelta(hours=12))
        assert reminders.sweep().tasks == 0
        assert len(mailoutbox) == 2


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_two_sweeps_do_not_send_the_same_reminder_twice(
    mailoutbox: list[EmailMessage], movement_gr: User, case_gr: Case
) -> None:
    with_email(movement_gr, "movement@example.org")
    task = open_task(case_gr, assignee=movement_gr, due_in=dt.timedelta(hours=2))
    # A second worker read the same task as due before the first one claimed it...
    seen_by_second = list(Task.objects.filter(reminders.needs_reminder(timezone.now())))
    assert seen_by_second == [task]
    first = reminders.sweep()
    # ...its conditional UPDATE then changes nothing, so it sends nothing.
    assert not reminders._claim(seen_by_second[0], timezone.now())
    second = reminders.sweep()
    assert (first.tasks, first.emails, second.tasks, second.emails) == (1, 1, 0, 0)
    assert len(mailoutbox) == 1


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_one_email_per_user_listing_all_their_tasks(
    mailoutbox: list[EmailMessage], movement_gr: User, movement2_gr: User, case_gr: Case, case_ro: Case
) -> None:
    with_email(movement_gr, "movement@example.org")
    with_email(movement2_gr, "movement2@example.org")
    open_task(case_gr, kind="book_travel", assignee=movement_gr, due_in=dt.timedelta(hours=3))
    open_task(case_gr, kind="pre_departure_check", assignee=movement_gr, due_in=-dt.timedelta(hours=3))
    open_task(case_gr, kind="arrange_assistance", due_in=dt.timedelta(hours=5))  # the queue: both are told
    open_task(case_gr, kind="confirm_arrival", assignee=movement_gr, due_in=dt.timedelta(days=3))  # not yet
    result = reminders.sweep()
    assert (result.tasks, result.emails) == (3, 2)
    [mine] = _to(mailoutbox, movement_gr)
    [colleagues] = _to(mailoutbox, movement2_gr)
    assert mine.subject == "Homeward: 3 tasks due soon or overdue"
    assert "for any movement officer at GR" in mine.body
    assert colleagues.subject == "Homeward: 1 task due soon or overdue"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_user_without_an_email_is_skipped_but_the_reminder_is_marked(
    mailoutbox: list[EmailMessage], movement_gr: User, movement2_gr: User, case_gr: Case
) -> None:
    with_email(movement2_gr, "movement2@example.org")
    task = open_task(case_gr, assignee=movement_gr, due_in=dt.timedelta(hours=2))
    other = open_task(case_gr, kind="arrange_assistance", assignee=movement2_gr, due_in=dt.timedelta(hours=2))
    result = reminders.sweep()
    assert result.without_email == ["movement.gr"]
    assert [m.to for m in mailoutbox] == [["movement2@example.org"]]
    assert Task.objects.get(pk=task.pk).reminded_at is not None
    assert Task.objects.get(pk=other.pk).reminded_at is not None
    assert reminders.sweep().tasks == 0


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_inactive_users_and_those_who_left_the_mission_are_not_told(
    mailoutbox: list[EmailMessage], gr: Mission, case_gr: Case
) -> None:
    gone = UserFactory(username="gone", email="gone@example.org", is_active=False, roles=[(gr, Role.MOVEMENT_OFFICER)])
    assert gone.email
    open_task(case_gr, due_in=dt.timedelta(hours=2))
    assert reminders.sweep().emails == 0
    assert mailoutbox == []


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_email_is_in_the_users_language(mailoutbox: list[EmailMessage], counsellor_gr: User, case_gr: Case) -> None:
    with_email(counsellor_gr, "counsellor@example.org", language="el")
    open_task(case_gr, kind="counsel", role=Role.COUNSELLOR, due_in=dt.timedelta(hours=2))
    reminders.sweep()
    [message] = mailoutbox
    assert "σύμβουλος" in message.body  # the role, from the Greek catalogue
    assert "10/03/2026" in message.body  # Greek date format, Athens time


class FailingBackend:
    """A mail server that is down."""

    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: list[EmailMessage]) -> int:
        raise ConnectionRefusedError("mail server down")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_reminder_that_could_not_be_sent_is_tried_again(
    settings: Any, mailoutbox: list[EmailMessage], movement_gr: User, case_gr: Case
) -> None:
    with_email(movement_gr, "movement@example.org")
    task = open_task(case_gr, assignee=movement_gr, due_in=dt.timedelta(hours=2))
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    assert reminders.sweep().failed == ["movement.gr"]
    assert Task.objects.get(pk=task.pk).reminded_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders.sweep().emails == 1


def test_the_sweep_interval_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOMEWARD_REMINDER_MINUTES", raising=False)
    assert reminders.reminder_interval() == dt.timedelta(minutes=60)
    monkeypatch.setenv("HOMEWARD_REMINDER_MINUTES", "15")
    assert reminders.reminder_interval() == dt.timedelta(minutes=15)
    for bad in ("often", "0", "-5", "1.5"):
        monkeypatch.setenv("HOMEWARD_REMINDER_MINUTES", bad)
        with pytest.raises(ImproperlyConfigured, match="HOMEWARD_REMINDER_MINUTES must"):
            reminders.reminder_interval()


# ---------------------------------------------------------------- the queue and the worker


def _worker_once(*args: str) -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", *args, verbosity=0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("keep_signals")
def test_the_queued_task_sends_reminders_and_queues_the_next_sweep(
    monkeypatch: pytest.MonkeyPatch, mailoutbox: list[EmailMessage], movement_gr: User, case_gr: Case
) -> None:
    monkeypatch.setenv("HOMEWARD_REMINDER_MINUTES", "30")
    with_email(movement_gr, "movement@example.org")
    open_task(case_gr, assignee=movement_gr, due_in=dt.timedelta(hours=2))
    result = send_reminders.enqueue()
    _worker_once()
    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL, done.traceback
    assert done.return_value["emails"] == 1
    assert len(mailoutbox) == 1
    [following] = pending_reminders()
    assert abs(following.run_after - (timezone.now() + dt.timedelta(minutes=30))) < dt.timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("keep_signals")
def test_the_worker_command_queues_one_sweep_and_runs_it(
    mailoutbox: list[EmailMessage], movement_gr: User, case_gr: Case
) -> None:
    with_email(movement_gr, "movement@example.org")
    open_task(case_gr, assignee=movement_gr, due_in=-dt.timedelta(hours=1))
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)
    assert len(mailoutbox) == 1
    reminded = DBTaskResult.objects.filter(task_path=send_reminders.module_path, status=TaskResultStatus.SUCCESSFUL)
    assert reminded.count() == 1  # (the worker also ran its daily sweep of old job files)
    assert pending_reminders().count() == 1  # the next sweep, later
    call_command("worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload", verbosity=0)
    assert pending_reminders().count() == 1  # still one: a second worker does not start a second chain
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_scheduling_is_idempotent_while_a_sweep_waits() -> None:
    assert ensure_reminders_scheduled(run_after=timezone.now() + dt.timedelta(minutes=5))
    assert not ensure_reminders_scheduled()
    assert pending_reminders().count() == 1


def test_a_bad_interval_stops_the_worker_before_it_starts(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    monkeypatch.setenv("HOMEWARD_REMINDER_MINUTES", "hourly")
    with pytest.raises(CommandError, match="HOMEWARD_REMINDER_MINUTES must be a whole number"):
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert not pending_reminders().exists()
