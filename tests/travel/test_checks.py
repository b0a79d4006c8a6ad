"""The pre-embarkation check: within 72 hours before the first departure, and what a failure does."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases import workflow
from homeward.core.errors import ServiceError
from homeward.travel import services
from homeward.travel.models import Itinerary
from homeward.work import services as work
from homeward.work.models import Task, TaskKind

pytestmark = pytest.mark.django_db
# The first flight leaves Athens at 08:00 UTC on 1 December.
DAY_BEFORE = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def check(user: User, itinerary: Itinerary, **values: object) -> object:
    answers: dict[str, object] = {"fit_to_travel": True, "documents_in_order": True, "still_willing": True}
    answers.update(values)
    return services.pre_departure_check_record(acting_user=user, itinerary=itinerary, **answers)  # type: ignore[arg-type]


@pytest.fixture
def check_task(confirmed: Itinerary, gr: Mission) -> Task:
    return work.task_open(case=confirmed.case, kind=TaskKind.PRE_DEPARTURE_CHECK, mission=gr,
                          due_at=dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC), role=Role.MOVEMENT_OFFICER)  # fmt: skip


def test_a_passed_check_the_day_before_closes_the_task_and_opens_the_gate(
    movement_gr: User, confirmed: Itinerary, check_task: Task
) -> None:
    with time_machine.travel(DAY_BEFORE, tick=False):
        recorded = check(movement_gr, confirmed)
    assert recorded.checked_at == DAY_BEFORE  # type: ignore[attr-defined]
    check_task.refresh_from_db()
    assert (check_task.status, check_task.outcome) == (Task.Status.DONE, "passed")
    assert workflow.pre_departure_check_passed(confirmed.case, workflow.Attempt(movement_gr)) is None


def test_a_failed_check_says_why_and_stops_the_departure(
    movement_gr: User, confirmed: Itinerary, check_task: Task
) -> None:
    with time_machine.travel(DAY_BEFORE, tick=False):
        with pytest.raises(ServiceError) as refused:
            check(movement_gr, confirmed, still_willing=False)
        assert "note" in refused.value.fields
        check(movement_gr, confirmed, still_willing=False, note="Wants to wait for his brother's news.")
    check_task.refresh_from_db()
    assert check_task.outcome == "failed"  # the note may be about health: it stays on the check
    reason = workflow.pre_departure_check_passed(confirmed.case, workflow.Attempt(movement_gr))
    assert reason == "The pre-embarkation check failed: the departure is stopped."


def test_a_check_more_than_72_hours_ahead_is_too_early(movement_gr: User, confirmed: Itinerary) -> None:
    too_early = dt.datetime(2026, 11, 28, 7, 59, tzinfo=dt.UTC)
    with time_machine.travel(too_early, tick=False), pytest.raises(ServiceError) as refused:
        check(movement_gr, confirmed)
    assert refused.value.fields["checked_at"] == [
        "The check must be done within 72 hours before the departure at 2026-12-01 10:00 EET, "
        "so from 2026-11-28 10:00 EET."
    ]


def test_a_check_after_take_off_is_refused(movement_gr: User, confirmed: Itinerary) -> None:
    airborne = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(airborne, tick=False), pytest.raises(ServiceError) as refused:
        check(movement_gr, confirmed)
    assert refused.value.fields["checked_at"] == ["The check is after the departure (2026-12-01 10:00 EET)."]


def test_a_check_time_without_a_zone_is_the_departure_airports(movement_gr: User, confirmed: Itinerary) -> None:
    with time_machine.travel(DAY_BEFORE, tick=False):
        recorded = check(movement_gr, confirmed, checked_at=dt.datetime(2026, 11, 30, 9, 0))
    assert recorded.checked_at == dt.datetime(2026, 11, 30, 7, 0, tzinfo=dt.UTC)  # type: ignore[attr-defined]


def test_a_check_cannot_be_recorded_in_the_future(movement_gr: User, confirmed: Itinerary) -> None:
    with time_machine.travel(DAY_BEFORE, tick=False), pytest.raises(ServiceError) as refused:
        check(movement_gr, confirmed, checked_at=DAY_BEFORE + dt.timedelta(hours=1))
    assert refused.value.fields["checked_at"] == ["The check cannot be recorded in the future."]


def test_a_draft_itinerary_is_not_checked(movement_gr: User, draft: Itinerary) -> None:
    with pytest.raises(ServiceError, match="confirmed itinerary"):
        check(movement_gr, draft)
