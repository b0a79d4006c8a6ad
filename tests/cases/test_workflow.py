"""Every move of the workflow and every guard, both ways; the tasks the moves open and close."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases import workflow
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.core.errors import ServiceError
from homeward.people.models import PersonVulnerability, VulnerabilityType
from homeward.programmes.models import Programme
from homeward.travel.models import Itinerary
from homeward.work.models import Task
from tests import journey
from tests.factories import UserFactory, family_of_three, register_case

pytestmark = pytest.mark.django_db
S = CaseStatus


@pytest.fixture
def prog(gr: Mission, pk: Mission) -> Programme:
    return journey.programme()


@pytest.fixture
def case(counsellor_gr: User, gr: Mission, pk: Mission) -> Case:
    """The Khan family, registered, with a legal status the test programme accepts, referred to PK."""
    case = register_case(
        counsellor_gr, gr, family_of_three("Khan"), counsellor=counsellor_gr, legal_status="protection_rejected"
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(referred_to_mission=pk, status=S.REGISTERED)
    case.refresh_from_db()
    return case


def refused(case: Case, user: User, to: str, note: str = "", **details: str) -> str:
    with pytest.raises(ServiceError) as error:
        journey.move(case, user, to, note, **details)
    case.refresh_from_db()
    return error.value.message


def at_counselling(case: Case, counsellor: User, prog: Programme) -> Case:
    journey.assess(case, counsellor, prog)
    journey.move(case, counsellor, S.IN_COUNSELLING)
    return case


def at_travel_preparation(case: Case, counsellor: User, prog: Programme) -> Case:
    at_counselling(case, counsellor, prog)
    journey.counsel(case, counsellor)
    journey.move(case, counsellor, S.RETURN_DECLARED)
    journey.declare(case, counsellor)
    journey.move(case, counsellor, S.TRAVEL_PREPARATION)
    return case


def at_booked(case: Case, counsellor: User, movement: User, prog: Programme) -> Itinerary:
    at_travel_preparation(case, counsellor, prog)
    journey.issue_documents(case, movement)
    itinerary = journey.book(case, movement)
    journey.move(case, movement, S.TRAVEL_BOOKED)
    return itinerary


# ---------------------------------------------------------------- registration and eligibility


def test_an_inquiry_with_a_principal_becomes_registered(counsellor_gr: User, case_gr: Case) -> None:
    transition = journey.move(case_gr, counsellor_gr, S.REGISTERED)
    case_gr.refresh_from_db()
    assert case_gr.status == S.REGISTERED
    assert case_gr.registered_on == timezone.localdate()
    assert (transition.from_status, transition.to_status, transition.by) == (S.INQUIRY, S.REGISTERED, counsellor_gr)


def test_an_inquiry_without_a_principal_stays_an_inquiry(counsellor_gr: User, case_gr: Case) -> None:
    case_gr.members.filter(relationship="principal").update(relationship="other")
    assert "no principal applicant" in refused(case_gr, counsellor_gr, S.REGISTERED)
    assert case_gr.status == S.INQUIRY


def test_eligibility_is_confirmed_only_once_assessed_eligible(case: Case, counsellor_gr: User, prog: Programme) -> None:
    assert "not been assessed" in refused(case, counsellor_gr, S.ELIGIBILITY_ASSESSED)
    journey.assess(case, counsellor_gr, prog)
    journey.move(case, counsellor_gr, S.ELIGIBILITY_ASSESSED)
    assert case.status == S.ELIGIBILITY_ASSESSED


def test_a_case_assessed_not_eligible_cannot_be_confirmed_but_can_be_closed_as_such(
    case: Case, counsellor_gr: User, prog: Programme
) -> None:
    Case.objects.filter(pk=case.pk).update(legal_status="regular_stay")
    case.refresh_from_db()
    journey.assess(case, counsellor_gr, prog)
    assert "not assessed eligible" in refused(case, counsellor_gr, S.ELIGIBILITY_ASSESSED)
    assert "Give a reason" in refused(case, counsellor_gr, S.NOT_ELIGIBLE)
    journey.move(case, counsellor_gr, S.NOT_ELIGIBLE, "regular stay: not in the programme's categories")
    assert case.status == S.NOT_ELIGIBLE


def test_an_eligible_case_cannot_be_closed_as_not_eligible(case: Case, counsellor_gr: User, prog: Programme) -> None:
    journey.assess(case, counsellor_gr, prog)
    assert "Only a case assessed not eligible" in refused(case, counsellor_gr, S.NOT_ELIGIBLE, "wrong")


def test_waiting_only_for_the_authority_counts_as_eligible_until_booking(
    case: Case, counsellor_gr: User, movement_gr: User, gr: Mission, pk: Mission
) -> None:
    prog = journey.programme(approval=True)
    at_travel_preparation(case, counsellor_gr, prog)  # the approval does not stop counselling
    journey.issue_documents(case, movement_gr)
    journey.book(case, movement_gr)
    assert "Approval by Ministry of Migration must be recorded" in refused(case, movement_gr, S.TRAVEL_BOOKED)
    Case.objects.filter(pk=case.pk).update(authority_approval_on=timezone.localdate())
    journey.move(case, movement_gr, S.TRAVEL_BOOKED)
    assert case.status == S.TRAVEL_BOOKED


# ---------------------------------------------------------------- counselling and the declaration


def test_counselling_starts_with_a_counsellor_not_a_finance_officer(case: Case, finance_gr: User) -> None:
    with pytest.raises(PermissionDenied):
        journey.move(case, finance_gr, S.IN_COUNSELLING)


def test_the_decision_to_return_needs_an_informed_decision(case: Case, counsellor_gr: User, prog: Programme) -> None:
    at_counselling(case, counsellor_gr, prog)
    journey.counsel(case, counsellor_gr, decided=False)
    assert "informed decision" in refused(case, counsellor_gr, S.RETURN_DECLARED)
    journey.counsel(case, counsellor_gr, decided=True)
    journey.move(case, counsellor_gr, S.RETURN_DECLARED)
    assert case.status == S.RETURN_DECLARED


def test_the_decision_to_return_needs_eligibility(case: Case, counsellor_gr: User, prog: Programme) -> None:
    journey.move(case, counsellor_gr, S.IN_COUNSELLING)  # counselling may start before the assessment
    journey.counsel(case, counsellor_gr)
    assert "not been assessed" in refused(case, counsellor_gr, S.RETURN_DECLARED)


def test_counselling_in_detention_needs_two_sessions_and_a_supervisor(
    case: Case, counsellor_gr: User, supervisor_gr: User, prog: Programme
) -> None:
    at_counselling(case, counsellor_gr, prog)
    journey.counsel(case, counsellor_gr, mode="detention", decided=False)
    assert "informed decision" in refused(case, counsellor_gr, S.RETURN_DECLARED)
    decision = journey.counsel(case, counsellor_gr, mode="detention")
    assert "supervisor must sign off" in refused(case, counsellor_gr, S.RETURN_DECLARED)
    decision.signed_off_by, decision.signed_off_at = supervisor_gr, timezone.now()
    decision.save()
    journey.move(case, counsellor_gr, S.RETURN_DECLARED)
    assert case.status == S.RETURN_DECLARED


def test_one_session_in_detention_is_not_enough(case: Case, counsellor_gr: User, prog: Programme) -> None:
    at_counselling(case, counsellor_gr, prog)
    journey.counsel(case, counsellor_gr, mode="detention")
    assert "at least two sessions" in refused(case, counsellor_gr, S.RETURN_DECLARED)


def test_travel_preparation_needs_the_declaration_signed_by_every_adult(
    case: Case, counsellor_gr: User, prog: Programme
) -> None:
    at_counselling(case, counsellor_gr, prog)
    journey.counsel(case, counsellor_gr)
    journey.move(case, counsellor_gr, S.RETURN_DECLARED)
    assert "signed declaration" in refused(case, counsellor_gr, S.TRAVEL_PREPARATION)
    journey.declare(case, counsellor_gr, scan=False)
    assert "signed declaration" in refused(case, counsellor_gr, S.TRAVEL_PREPARATION)
    principal = case.members.get(relationship="principal")
    journey.declare(case, counsellor_gr, signed_by=[principal])
    assert "not signed by Ayesha Khan" in refused(case, counsellor_gr, S.TRAVEL_PREPARATION)
    journey.declare(case, counsellor_gr)  # both parents; the child does not sign
    journey.move(case, counsellor_gr, S.TRAVEL_PREPARATION)
    assert case.status == S.TRAVEL_PREPARATION


# ---------------------------------------------------------------- booking and departure


def test_booking_needs_documents_and_a_confirmed_itinerary_with_tickets(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    at_travel_preparation(case, counsellor_gr, prog)
    message = refused(case, movement_gr, S.TRAVEL_BOOKED)
    assert "No travel document valid" in message
    assert "Ayesha Khan" in message
    assert "Sana Khan" in message
    assert "Imran Khan" not in message
    assert "no confirmed itinerary" in message
    journey.issue_documents(case, movement_gr)
    itinerary = journey.book(case, movement_gr)
    itinerary.tickets.filter(member__person__given_names="Sana").delete()
    assert "No ticket for Sana Khan" in refused(case, movement_gr, S.TRAVEL_BOOKED)
    journey.book(case, movement_gr)
    journey.move(case, movement_gr, S.TRAVEL_BOOKED)
    assert case.status == S.TRAVEL_BOOKED


def test_a_document_expiring_before_the_journey_ends_does_not_count(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    at_travel_preparation(case, counsellor_gr, prog)
    journey.issue_documents(case, movement_gr, expires=timezone.localdate())
    journey.book(case, movement_gr, departs_in=dt.timedelta(days=5))
    assert "No travel document valid" in refused(case, movement_gr, S.TRAVEL_BOOKED)


def test_only_a_movement_officer_or_supervisor_books(case: Case, counsellor_gr: User, prog: Programme) -> None:
    at_travel_preparation(case, counsellor_gr, prog)
    with pytest.raises(PermissionDenied):
        journey.move(case, counsellor_gr, S.TRAVEL_BOOKED)


def test_a_vulnerable_traveller_is_not_booked_before_the_safeguarding_checklist(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    child = case.members.get(relationship="child")
    PersonVulnerability.objects.create(person=child.person, type=VulnerabilityType.objects.get(code="health_needs"))
    at_travel_preparation(case, counsellor_gr, prog)
    journey.issue_documents(case, movement_gr)
    journey.book(case, movement_gr)
    assert "3 items missing" in refused(case, movement_gr, S.TRAVEL_BOOKED)
    journey.safeguard(case, counsellor_gr)
    journey.move(case, movement_gr, S.TRAVEL_BOOKED)
    assert case.status == S.TRAVEL_BOOKED


def test_departure_needs_a_passed_pre_embarkation_check(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    itinerary = at_booked(case, counsellor_gr, movement_gr, prog)
    assert "has not been done" in refused(case, movement_gr, S.DEPARTED)
    journey.check(itinerary, movement_gr, at=timezone.now() - dt.timedelta(days=2))
    assert "more than 72 hours" in refused(case, movement_gr, S.DEPARTED)
    journey.check(itinerary, movement_gr, passed=False)
    assert "failed" in refused(case, movement_gr, S.DEPARTED)
    journey.check(itinerary, movement_gr)
    journey.move(case, movement_gr, S.DEPARTED)
    itinerary.refresh_from_db()
    assert (case.status, itinerary.status) == (S.DEPARTED, "departed")


def test_a_failed_check_sends_the_case_back_to_preparation_without_losing_it(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    itinerary = at_booked(case, counsellor_gr, movement_gr, prog)
    journey.check(itinerary, movement_gr, passed=False)
    assert "Give a reason" in refused(case, movement_gr, S.TRAVEL_PREPARATION)
    journey.move(case, movement_gr, S.TRAVEL_PREPARATION, "not fit to fly this week")
    itinerary.refresh_from_db()
    assert case.status == S.TRAVEL_PREPARATION
    assert (itinerary.status, itinerary.needs_reconciliation) == ("cancelled", True)
    assert case.members.count() == 3
    assert case.declarations.exists()


def test_a_no_show_is_marked_with_a_reason_and_its_booking_flagged(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    itinerary = at_booked(case, counsellor_gr, movement_gr, prog)
    assert "Give a reason" in refused(case, movement_gr, S.NO_SHOW)
    journey.move(case, movement_gr, S.NO_SHOW, "did not come to the airport")
    itinerary.refresh_from_db()
    assert itinerary.status == "not_departed"
    assert itinerary.not_departed_reason == "did not come to the airport"
    assert itinerary.needs_reconciliation
    assert case.tasks.filter(kind="reconcile_no_show", status="open").exists()
    journey.move(case, movement_gr, S.TRAVEL_PREPARATION, "new date agreed")
    assert case.status == S.TRAVEL_PREPARATION
    assert case.tasks.filter(kind="reconcile_no_show", status="open").exists()  # still to settle


def test_a_departed_case_cannot_be_withdrawn(case: Case, counsellor_gr: User) -> None:
    journey.set_status(case, S.DEPARTED)
    assert "cannot become withdrawn" in refused(case, counsellor_gr, S.WITHDRAWN, "changed mind")


# ---------------------------------------------------------------- arrival and after


def test_the_origin_mission_confirms_an_arrival(case: Case, reintegration_pk: User, movement_gr: User) -> None:
    journey.set_status(case, S.DEPARTED)
    assert "who confirmed" in refused(case, reintegration_pk, S.ARRIVED)
    assert "Only the mission the case is referred to" in refused(
        case, movement_gr, S.ARRIVED, confirmed_by="origin_mission"
    )
    journey.move(case, reintegration_pk, S.ARRIVED, confirmed_by="origin_mission")
    assert case.status == S.ARRIVED
    assert case.transitions.last().details == {"confirmed_by": "origin_mission"}


def test_the_travellers_contact_can_confirm_an_arrival_with_a_note(case: Case, movement_gr: User) -> None:
    journey.set_status(case, S.DEPARTED)
    assert "Say who confirmed" in refused(case, movement_gr, S.ARRIVED, confirmed_by="traveller_contact")
    journey.move(case, movement_gr, S.ARRIVED, "his brother called from Islamabad", confirmed_by="traveller_contact")
    assert case.status == S.ARRIVED


def test_after_arrival_the_origin_mission_moves_the_case_to_closure(case: Case, reintegration_pk: User) -> None:
    journey.set_status(case, S.ARRIVED)
    for status in (S.REINTEGRATION_PLANNING, S.ASSISTANCE_IN_PROGRESS, S.MONITORING):
        journey.move(case, reintegration_pk, status)
    assert "Give a reason" in refused(case, reintegration_pk, S.CLOSED)
    # Without the closure's reason (monitoring's case_close gives it), the move is refused in words.
    with pytest.raises(ServiceError, match="from its monitoring page"):
        journey.move(case, reintegration_pk, S.CLOSED, "Support period ended; business running.")
    journey.move(case, reintegration_pk, S.CLOSED, "Support period ended; business running.", reason="support_ended")
    assert case.status == S.CLOSED


def test_the_host_counsellor_does_not_run_reintegration(case: Case, counsellor_gr: User) -> None:
    journey.set_status(case, S.ARRIVED)
    with pytest.raises(PermissionDenied):
        journey.move(case, counsellor_gr, S.REINTEGRATION_PLANNING)


# ---------------------------------------------------------------- the ways out and back


@pytest.mark.parametrize("status", sorted(workflow.BEFORE_DEPARTURE))
def test_withdrawing_is_possible_from_every_state_before_departure(
    case: Case, counsellor_gr: User, status: str
) -> None:
    journey.set_status(case, status)
    assert "Give a reason" in refused(case, counsellor_gr, S.WITHDRAWN)
    journey.move(case, counsellor_gr, S.WITHDRAWN, "wants to stay with relatives")
    assert case.status == S.WITHDRAWN


def test_a_movement_officer_can_record_a_withdrawal_at_the_airport(case: Case, movement_gr: User) -> None:
    journey.set_status(case, S.TRAVEL_BOOKED)
    journey.move(case, movement_gr, S.WITHDRAWN, "changed his mind at check-in")
    assert case.status == S.WITHDRAWN


def test_only_a_supervisor_cancels(case: Case, counsellor_gr: User, supervisor_gr: User) -> None:
    with pytest.raises(PermissionDenied):
        journey.move(case, counsellor_gr, S.CANCELLED, "duplicate")
    journey.move(case, supervisor_gr, S.CANCELLED, "duplicate of GR-2026-000002")
    assert case.status == S.CANCELLED


def test_contact_can_be_lost_before_departure_and_after_arrival(
    case: Case, counsellor_gr: User, reintegration_pk: User
) -> None:
    journey.move(case, counsellor_gr, S.LOST_CONTACT, "phone off for a month")
    assert case.status == S.LOST_CONTACT
    journey.set_status(case, S.MONITORING)
    journey.move(case, reintegration_pk, S.LOST_CONTACT, "moved away")
    assert case.status == S.LOST_CONTACT


def test_a_supervisor_reopens_a_case_where_it_was_with_a_reason(
    case: Case, counsellor_gr: User, supervisor_gr: User, prog: Programme
) -> None:
    at_counselling(case, counsellor_gr, prog)
    journey.move(case, counsellor_gr, S.WITHDRAWN, "wants to think")
    with pytest.raises(PermissionDenied):
        journey.move(case, counsellor_gr, S.IN_COUNSELLING, "back")
    assert "Give a reason" in refused(case, supervisor_gr, S.IN_COUNSELLING)
    journey.move(case, supervisor_gr, S.IN_COUNSELLING, "called back: wants to go home after all")
    assert case.status == S.IN_COUNSELLING
    assert "cannot become" in refused(case, supervisor_gr, S.TRAVEL_BOOKED, "skip ahead")


def test_a_move_that_does_not_exist_is_refused_in_words(case: Case, counsellor_gr: User) -> None:
    assert "A case that is registered cannot become departed" in refused(case, counsellor_gr, S.DEPARTED)
    assert "cannot become" in refused(case, counsellor_gr, "flying")
    assert not Transition.objects.filter(case=case).exists()


def test_a_refusal_lists_every_failed_guard(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    at_travel_preparation(case, counsellor_gr, prog)
    with pytest.raises(ServiceError) as error:
        journey.move(case, movement_gr, S.TRAVEL_BOOKED)
    assert len(error.value.fields["to"]) == 2  # documents and booking; no safeguarding, no approval needed


def test_a_user_of_another_mission_cannot_move_the_case(case: Case, counsellor_ro: User) -> None:
    with pytest.raises(PermissionDenied):
        journey.move(case, counsellor_ro, S.IN_COUNSELLING)


def test_the_options_say_what_still_blocks_each_move(case: Case, counsellor_gr: User, movement_gr: User) -> None:
    options = {o.step.target: o.blocked_by for o in workflow.options_for(counsellor_gr, case)}
    assert set(options) == {S.ELIGIBILITY_ASSESSED, S.IN_COUNSELLING, S.WITHDRAWN, S.NOT_ELIGIBLE, S.LOST_CONTACT}
    assert options[S.ELIGIBILITY_ASSESSED] == ["Eligibility has not been assessed."]
    assert options[S.IN_COUNSELLING] == []
    assert {o.step.target for o in workflow.options_for(movement_gr, case)} == {S.WITHDRAWN, S.LOST_CONTACT}


def test_every_status_is_reachable_and_every_step_targets_a_status() -> None:
    targets = {s.target for s in workflow.STEPS} | {S.INQUIRY}
    assert targets == set(S.values)
    assert all(s.sources <= set(S.values) for s in workflow.STEPS)


# ---------------------------------------------------------------- tasks


def test_travel_preparation_opens_a_document_task_per_traveller_without_one(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    at_travel_preparation(case, counsellor_gr, prog)
    requests = Task.objects.filter(case=case, kind="request_travel_document", status="open")
    assert sorted(t.subject for t in requests) == ["Ayesha Khan", "Sana Khan"]
    assert {(t.mission.code, t.role, t.assignee) for t in requests} == {("GR", Role.MOVEMENT_OFFICER, None)}
    booking = Task.objects.get(case=case, kind="book_travel", status="open")
    assert booking.due_at.date() == (timezone.now() + dt.timedelta(days=21)).date()
    assert not Task.objects.filter(case=case, kind="safeguarding").exists()  # nothing to safeguard


def test_booking_settles_the_preparation_tasks_and_schedules_the_check(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    itinerary = at_booked(case, counsellor_gr, movement_gr, prog)
    assert not Task.objects.filter(
        case=case, kind__in=["request_travel_document", "book_travel"], status="open"
    ).exists()
    assert Task.objects.filter(case=case, kind="book_travel", status="done", closed_by=movement_gr).exists()
    check = Task.objects.get(case=case, kind="pre_departure_check", status="open")
    assert check.due_at == itinerary.segments.first().departs_at - dt.timedelta(hours=24)


def test_departure_asks_the_origin_mission_to_confirm_arrival_within_a_day_of_landing(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme, pk: Mission
) -> None:
    itinerary = at_booked(case, counsellor_gr, movement_gr, prog)
    journey.check(itinerary, movement_gr)
    journey.move(case, movement_gr, S.DEPARTED)
    task = Task.objects.get(case=case, kind="confirm_arrival", status="open")
    assert (task.mission, task.role) == (pk, Role.REINTEGRATION_OFFICER)
    assert task.due_at == itinerary.segments.last().arrives_at + dt.timedelta(hours=24)


def test_without_a_referral_the_host_movement_officers_confirm_arrival(
    case: Case, reintegration_pk: User, movement_gr: User, gr: Mission
) -> None:
    Case.objects.filter(pk=case.pk).update(referred_to_mission=None)
    journey.set_status(case, S.ARRIVED)
    journey.set_status(case, S.TRAVEL_BOOKED)
    Itinerary.objects.create(case=case, status="confirmed", created_by=movement_gr)
    with pytest.raises(ServiceError):  # no check, no booking: the guards still hold
        journey.move(case, movement_gr, S.DEPARTED)
    journey.set_status(case, S.DEPARTED)
    from homeward.cases import journey as effects

    effects._open_tasks(case, S.DEPARTED)
    task = Task.objects.get(case=case, kind="confirm_arrival", status="open")
    assert (task.mission, task.role, task.assignee) == (gr, Role.MOVEMENT_OFFICER, None)


def test_arrival_opens_the_plan(case: Case, reintegration_pk: User) -> None:
    # Monitoring visits and surveys come from the programme (tests/monitoring, tests/surveys), not the workflow.
    journey.set_status(case, S.DEPARTED)
    journey.move(case, reintegration_pk, S.ARRIVED, confirmed_by="origin_mission")
    due = {t.kind: t.due_at.date() for t in Task.objects.filter(case=case, status="open")}
    today = timezone.now()
    assert due["reintegration_plan"] == (today + dt.timedelta(days=30)).date()
    assert not {"first_monitoring_visit", "monitoring_visit"} & set(due)  # this programme schedules no visit


def test_withdrawing_cancels_the_open_work(case: Case, counsellor_gr: User, prog: Programme) -> None:
    at_counselling(case, counsellor_gr, prog)
    assert Task.objects.filter(case=case, kind="counsel", status="open", assignee=counsellor_gr).exists()
    journey.move(case, counsellor_gr, S.WITHDRAWN, "wants to stay")
    assert set(Task.objects.filter(case=case).values_list("status", flat=True)) == {"cancelled"}


def test_entering_a_state_twice_does_not_pile_up_tasks(case: Case, counsellor_gr: User, supervisor_gr: User) -> None:
    journey.move(case, counsellor_gr, S.IN_COUNSELLING)
    journey.move(case, counsellor_gr, S.LOST_CONTACT, "no answer")
    journey.move(case, supervisor_gr, S.IN_COUNSELLING, "answered again")
    assert Task.objects.filter(case=case, kind="counsel", status="open").count() == 1


def test_the_workflow_document_is_generated_from_the_code() -> None:
    from pathlib import Path

    from homeward.cases.diagram import document

    written = (Path(__file__).parents[2] / "docs" / "workflow.md").read_text()
    assert written == document(), "run: homeward workflow_diagram > docs/workflow.md"
    assert "travel_preparation --> travel_booked: movement officer — needs a valid travel document" in written


def test_safeguarding_evidence_about_trafficking_stays_out_of_a_movement_officers_history_and_timeline(
    case: Case, counsellor_gr: User, movement_gr: User
) -> None:
    from homeward.cases.selectors import case_history
    from homeward.cases.timeline import timeline
    from homeward.core.audit import about_case, acting_as
    from homeward.safeguarding.models import ChecklistItem

    principal = case.members.get(relationship="principal")
    with acting_as(counsellor_gr), about_case(case.pk):
        ChecklistItem.objects.create(case=case, member=principal, vulnerability="trafficking",
                                     item="safe_return_assessment", evidence="risk assessment on file",
                                     done_on=timezone.localdate(), done_by=counsellor_gr)  # fmt: skip
    seen_by = {
        user.username: (
            [e for e in case_history(user, case) if e.content_type.model == "checklistitem"],
            [e for e in timeline(user, case) if e.kind == "safeguarding"],
        )
        for user in (counsellor_gr, movement_gr)
    }
    assert [len(x) for x in seen_by["counsellor.gr"]] == [1, 1]
    assert [len(x) for x in seen_by["movement.gr"]] == [0, 0]


def test_a_principal_without_a_date_of_birth_must_sign_the_declaration(
    case: Case, counsellor_gr: User, prog: Programme
) -> None:
    principal = case.members.get(relationship="principal")
    principal.person.birth_date, principal.person.birth_date_precision = None, ""
    principal.person.save()
    at_counselling(case, counsellor_gr, prog)
    journey.counsel(case, counsellor_gr)
    journey.move(case, counsellor_gr, S.RETURN_DECLARED)
    journey.declare(case, counsellor_gr, signed_by=list(case.members.exclude(pk=principal.pk)))
    assert "not signed by Imran Khan" in refused(case, counsellor_gr, S.TRAVEL_PREPARATION)


def test_the_origin_mission_cannot_end_or_reopen_a_case_before_departure(
    case: Case, reintegration_pk: User, counsellor_gr: User, gr: Mission, pk: Mission
) -> None:
    with pytest.raises(PermissionDenied):
        journey.move(case, reintegration_pk, S.LOST_CONTACT, "no answer")
    journey.move(case, counsellor_gr, S.LOST_CONTACT, "no answer")
    supervisor_pk = UserFactory(username="supervisor.pk", roles=[(pk, Role.CASE_SUPERVISOR)])
    with pytest.raises(PermissionDenied):
        journey.move(case, supervisor_pk, S.REGISTERED, "found him")


def test_a_booked_case_reopens_in_travel_preparation_and_rebooks(
    case: Case, counsellor_gr: User, movement_gr: User, supervisor_gr: User, prog: Programme
) -> None:
    itinerary = at_booked(case, counsellor_gr, movement_gr, prog)
    journey.move(case, movement_gr, S.WITHDRAWN, "changed his mind at the airport")
    journey.move(case, supervisor_gr, S.TRAVEL_PREPARATION, "called back, wants to go after all")
    itinerary.refresh_from_db()
    assert (case.status, itinerary.status) == (S.TRAVEL_PREPARATION, "cancelled")
    assert "no confirmed itinerary" in refused(case, supervisor_gr, S.TRAVEL_BOOKED, "straight back")


def test_changing_a_booking_cancels_its_unfinished_tasks_rather_than_marking_them_done(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    at_booked(case, counsellor_gr, movement_gr, prog)
    journey.move(case, movement_gr, S.TRAVEL_PREPARATION, "flight cancelled by the airline")
    statuses = dict(Task.objects.filter(case=case, kind="pre_departure_check").values_list("kind", "status"))
    assert statuses == {"pre_departure_check": "cancelled"}


def test_a_traveller_left_off_the_booking_blocks_it(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme
) -> None:
    at_travel_preparation(case, counsellor_gr, prog)
    journey.issue_documents(case, movement_gr)
    itinerary = journey.book(case, movement_gr)
    itinerary.travellers.remove(case.members.get(relationship="child"))
    assert "Sana Khan is not on the confirmed itinerary" in refused(case, movement_gr, S.TRAVEL_BOOKED)


def test_no_assistance_task_when_every_leg_is_already_arranged(
    case: Case, counsellor_gr: User, movement_gr: User, prog: Programme, gr: Mission, pk: Mission
) -> None:
    from homeward.travel.models import AssistanceLeg

    at_travel_preparation(case, counsellor_gr, prog)
    journey.issue_documents(case, movement_gr)
    itinerary = journey.book(case, movement_gr)  # transit help at IST only
    AssistanceLeg.objects.create(itinerary=itinerary, kind="departure", airport="ATH", mission=gr, status="confirmed")
    AssistanceLeg.objects.create(itinerary=itinerary, kind="arrival", airport="ISB", mission=pk, status="confirmed")
    journey.move(case, movement_gr, S.TRAVEL_BOOKED)
    assert not Task.objects.filter(case=case, kind="arrange_assistance").exists()
    assert Task.objects.filter(case=case, kind="pre_departure_check", status="open").exists()
