"""What a move along the workflow sets going: tasks opened and closed, bookings settled.

Called by ``services.case_transition`` inside its transaction, so a move and
its consequences are written together or not at all.
"""

from __future__ import annotations

from typing import Any

from homeward.accounts.roles import Role
from homeward.cases import workflow
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.core.audit import about_case
from homeward.work import services as work
from homeward.work.models import Task, TaskKind

S = CaseStatus
# Who does origin-side work while the case has not been referred to an origin mission.
_HOST_STAND_IN = {Role.REINTEGRATION_OFFICER: Role.COUNSELLOR}
_CONFIRM_ARRIVAL_STAND_IN = Role.MOVEMENT_OFFICER


def after_transition(*, case: Case, transition: Transition, acting_user: Any) -> None:
    to = transition.to_status
    _settle_tasks(case, transition, acting_user)
    _open_tasks(case, to)
    _settle_itineraries(case, transition)
    _follow_up(case, to)
    _end_stays(case, transition, acting_user)


def _follow_up(case: Case, to: str) -> None:
    """What a programme schedules after a return: monitoring visits, surveys (their apps decide)."""
    from homeward.monitoring.services import schedule_for
    from homeward.surveys.services import surveys_for

    if to in (S.DEPARTED, S.ARRIVED):
        schedule_for(case=case, moved_to=to)
        surveys_for(case=case, moved_to=to)
    elif workflow.is_exit(to):
        schedule_for(case=case, moved_to=to)  # planned visits are cancelled with their tasks


def _end_stays(case: Case, transition: Transition, acting_user: Any) -> None:
    """A departure or a way out ends the case's pre-departure accommodation (its app decides how);
    a way out also cancels its counselling appointments still to come."""
    from django.utils.translation import gettext

    from homeward.accommodation.services import placements_end_for
    from homeward.appointments.services import appointments_cancel_for

    if transition.to_status == S.DEPARTED or workflow.is_exit(transition.to_status):
        placements_end_for(case=case, transition=transition, acting_user=acting_user)
    if workflow.is_exit(transition.to_status):
        reason = gettext("The case left the workflow: %(status)s") % {"status": transition.get_to_status_display()}
        appointments_cancel_for(case=case, reason=reason, acting_user=acting_user)


def _settle_tasks(case: Case, transition: Transition, acting_user: Any) -> None:
    """Tasks of the states the case has left: done when it moved on, cancelled when it went back or out."""
    to = transition.to_status
    leaving = {r.kind for r in workflow.TASK_RULES if r.open_in is not None and to not in r.open_in}
    if to == S.ARRIVED:
        leaving.add(TaskKind.PREPARE_RECEPTION)
    if workflow.is_exit(to):
        # A way out stops all work on the case except settling a departure that did not happen.
        leaving = {r.kind for r in workflow.TASK_RULES} - {"reconcile_no_show"}
        leaving |= {TaskKind.ANSWER_REFERRAL, TaskKind.PREPARE_RECEPTION, TaskKind.DELIVER_REINTEGRATION}
    forward = workflow.is_forward(transition.from_status, to)
    status = Task.Status.DONE if forward else Task.Status.CANCELLED
    work.tasks_settle(case=case, kinds=leaving, status=status, by=acting_user)


def _open_tasks(case: Case, to: str) -> None:
    for rule in workflow.TASK_RULES:
        if rule.on != to or (rule.when and not rule.when(case)):
            continue
        mission, role, assignee = _who(case, rule)
        due = rule.due(case)
        if rule.per_traveller is None:
            work.task_open(case=case, kind=rule.kind, due_at=due, mission=mission, role=role, assignee=assignee)
            continue
        for member in rule.per_traveller(case):
            work.task_open(
                case=case,
                kind=rule.kind,
                due_at=due,
                mission=mission,
                role=role,
                assignee=assignee,
                subject=str(member.person),
                subject_key=f"member:{member.pk}",
            )


def _who(case: Case, rule: workflow.TaskRule) -> tuple[Any, str, Any]:
    if rule.side == workflow.ORIGIN and case.referred_to_mission_id:
        return case.referred_to_mission, rule.role, None
    if rule.side == workflow.ORIGIN:
        stand_in = _CONFIRM_ARRIVAL_STAND_IN if rule.kind == "confirm_arrival" else _HOST_STAND_IN[rule.role]
        return case.host_mission, stand_in, case.counsellor if stand_in == Role.COUNSELLOR else None
    return case.host_mission, rule.role, case.counsellor if rule.to_counsellor else None


def _settle_itineraries(case: Case, transition: Transition) -> None:
    """The confirmed booking follows the case: flown, not flown, or to be unwound."""
    from homeward.travel.models import Itinerary

    to = transition.to_status
    confirmed = list(case.itineraries.filter(status=Itinerary.Status.CONFIRMED))
    if to == S.DEPARTED:
        updates = {"status": Itinerary.Status.DEPARTED}
    elif to == S.NO_SHOW:
        updates = {
            "status": Itinerary.Status.NOT_DEPARTED,
            "not_departed_reason": transition.note,
            "needs_reconciliation": True,
        }
    elif workflow.is_exit(to) or (transition.from_status == S.TRAVEL_BOOKED and to == S.TRAVEL_PREPARATION):
        # Tickets and assistance bought for a journey that will not happen are unwound.
        updates = {"status": Itinerary.Status.CANCELLED, "needs_reconciliation": True}
    else:
        return
    with about_case(case.pk):
        for itinerary in confirmed:
            for name, value in updates.items():
                setattr(itinerary, name, value)
            itinerary.save(update_fields=[*updates, "updated_at"])
