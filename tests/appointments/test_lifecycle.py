"""Appointments end with what they were for: a closed inquiry or a case that leaves the workflow cancels
those still to come, and the reminder sweep never reminds of one whose purpose has gone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry

from homeward.accounts.models import Mission, User
from homeward.appointments import reminders
from homeward.appointments.channels import LoggingChannel
from homeward.appointments.models import Appointment, Office
from homeward.cases.models import Case, CaseStatus
from homeward.triage import services as triage
from homeward.triage.models import Inquiry
from tests.appointments.conftest import book, make_inquiry
from tests.factories import register_case
from tests.journey import move, set_status

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2027, 3, 2)  # before 09:00 Athens time, within the 24 hours of the reminder window
MONDAY = dt.date(2027, 3, 1)  # the clock is 09:00 Athens time on Monday


def statuses(*appointments: Appointment) -> list[str]:
    return [Appointment.objects.get(pk=a.pk).status for a in appointments]


def test_closing_an_inquiry_cancels_its_appointments_to_come_with_the_reason(
    counsellor_gr: User, athens: Office, inquiry: Inquiry, clock: Any
) -> None:
    earlier = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=MONDAY, start="09:30", minutes=30)
    soon = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=TUESDAY, start="10:00")
    later = book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    clock.move_to(earlier.ends_at)
    triage.inquiry_close(acting_user=counsellor_gr, inquiry=inquiry, reason="duplicate")
    # The one already held stays booked, to be marked; those to come are cancelled.
    assert statuses(earlier, soon, later) == ["booked", "cancelled", "cancelled"]
    soon.refresh_from_db()
    assert soon.cancel_reason.startswith("The inquiry was closed: ")
    assert soon.marked_by == counsellor_gr
    entry = LogEntry.objects.get_for_object(soon).order_by("timestamp").last()
    assert (entry.action, entry.actor) == (LogEntry.Action.UPDATE, counsellor_gr)
    assert reminders.sweep(channel=LoggingChannel()).sent == 0


def test_turning_the_inquiry_into_a_case_keeps_its_appointments(
    counsellor_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    soon = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=TUESDAY, start="08:30")
    triage.inquiry_to_case(acting_user=counsellor_gr, inquiry=inquiry)
    assert statuses(soon) == ["booked"]
    assert reminders.sweep(channel=LoggingChannel()).sent == 1


def test_a_case_that_leaves_the_workflow_cancels_its_and_its_inquirys_appointments(
    counsellor_gr: User, athens: Office, case_gr: Case, gr: Mission
) -> None:
    inquiry = make_inquiry(gr, code="CASE2345")
    from_inquiry = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=TUESDAY, start="10:00")
    Inquiry.objects.filter(pk=inquiry.pk).update(case=case_gr, status=Inquiry.Status.CONVERTED)
    own = book(counsellor_gr, athens, for_={"case": case_gr}, start="11:00")
    other = book(counsellor_gr, athens, for_={"inquiry": make_inquiry(gr, code="OTHR2345")}, start="14:00")
    move(case_gr, counsellor_gr, CaseStatus.WITHDRAWN, note="Decided to stay.")
    assert statuses(from_inquiry, own, other) == ["cancelled", "cancelled", "booked"]
    own.refresh_from_db()
    assert "withdrawn" in own.cancel_reason
    assert LogEntry.objects.get_for_object(own).filter(action=LogEntry.Action.UPDATE).exists()


@pytest.mark.parametrize("gone", ["inquiry closed", "case withdrawn", "inquiry's case withdrawn"])
def test_the_sweep_skips_appointments_whose_purpose_has_gone(
    counsellor_gr: User, athens: Office, case_gr: Case, gr: Mission, gone: str
) -> None:
    """Written around the services (straight to the tables): the sweep still holds back."""
    inquiry = make_inquiry(gr, code="SWEP2345")
    for_inquiry = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=TUESDAY, start="08:30", minutes=15)
    for_case = book(counsellor_gr, athens, for_={"case": case_gr}, on=TUESDAY, start="08:45", minutes=15)
    assert set(reminders.due(reminders.timezone.now())) == {for_inquiry, for_case}
    if gone == "inquiry closed":
        Inquiry.objects.filter(pk=inquiry.pk).update(status=Inquiry.Status.CLOSED)
        kept = for_case
    elif gone == "case withdrawn":
        set_status(case_gr, CaseStatus.WITHDRAWN)
        kept = for_inquiry
    else:
        other = set_status(register_case(counsellor_gr, gr), CaseStatus.LOST_CONTACT)
        Inquiry.objects.filter(pk=inquiry.pk).update(status=Inquiry.Status.CONVERTED, case=other)
        kept = for_case
    assert list(reminders.due(reminders.timezone.now())) == [kept]
    assert reminders.sweep(channel=LoggingChannel()).sent == 1
