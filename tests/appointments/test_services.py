"""Booking, moving, cancelling and marking appointments, and keeping offices: the rules of each write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from homeward.accounts.models import Mission, User
from homeward.appointments import services
from homeward.appointments.models import Appointment, Office
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.triage.models import Inquiry
from tests.appointments.conftest import NOW, SATURDAY, WEDNESDAY, book, booking, make_inquiry

pytestmark = pytest.mark.django_db
T = dt.time.fromisoformat


def refused(user: User, data: services.AppointmentInput, **source: Any) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        services.appointment_book(acting_user=user, data=data, **source)
    return caught.value


# ---------------------------------------------------------------- office hours


def test_inside_the_hours_it_is_booked_and_kept_in_utc(counsellor_gr: User, athens: Office, inquiry: Inquiry) -> None:
    a = book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="09:00", minutes=45)
    assert a.starts_at == dt.datetime(2027, 3, 3, 7, 0, tzinfo=dt.UTC)  # 09:00 in Athens is 07:00 UTC in winter
    assert a.ends_at - a.starts_at == dt.timedelta(minutes=45)
    assert (a.status, a.booked_by, a.language) == (Appointment.Status.BOOKED, counsellor_gr, "fa")


@pytest.mark.parametrize(
    ("start", "minutes", "shown"),
    [
        ("08:00", 30, "08:00–08:30"),  # before opening
        ("16:00", 60, "16:00–17:00"),  # runs past closing
        ("12:00", 60, "12:00–13:00"),  # across the lunch break
    ],
)
def test_outside_the_hours_is_refused_naming_them(
    counsellor_gr: User, athens: Office, inquiry: Inquiry, start: str, minutes: int, shown: str
) -> None:
    error = refused(counsellor_gr, booking(athens, counsellor_gr, start=start, minutes=minutes), inquiry=inquiry)
    message = error.fields["start"][0]
    assert shown in message
    assert "The office is open on Wednesday: 08:30–12:30, 13:30–16:30." in message
    assert not Appointment.objects.exists()


def test_a_weekend_is_refused(counsellor_gr: User, athens: Office, inquiry: Inquiry) -> None:
    error = refused(counsellor_gr, booking(athens, counsellor_gr, on=SATURDAY), inquiry=inquiry)
    assert "The office is open on Saturday: never." in error.fields["start"][0]
    assert "Saturday: never" in error.message


# ---------------------------------------------------------------- time zones


def test_the_same_instant_is_inside_one_offices_hours_and_outside_the_others(
    counsellor_gr: User, athens: Office, bratislava: Office, inquiry: Inquiry
) -> None:
    # 06:45 UTC on Wednesday: 08:45 in Athens (open), 07:45 in Bratislava (not yet).
    instant = dt.datetime(2027, 3, 3, 6, 45, tzinfo=dt.UTC)
    assert services.local_to_utc(athens, WEDNESDAY, T("08:45")) == instant
    assert services.local_to_utc(bratislava, WEDNESDAY, T("07:45")) == instant
    error = refused(counsellor_gr, booking(bratislava, counsellor_gr, start="07:45", minutes=30), inquiry=inquiry)
    assert "start" in error.fields
    a = book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="08:45", minutes=30)
    assert a.starts_at == instant


def test_late_afternoon_utc_is_open_in_bratislava_and_closed_in_athens(
    counsellor_gr: User, athens: Office, bratislava: Office, inquiry: Inquiry
) -> None:
    # 15:00 UTC: 16:00 in Bratislava (open till 16:30), 17:00 in Athens (closed at 16:30).
    assert services.local_to_utc(athens, WEDNESDAY, T("17:00")) == services.local_to_utc(
        bratislava, WEDNESDAY, T("16:00")
    )
    assert "start" in refused(counsellor_gr, booking(athens, counsellor_gr, start="17:00", minutes=30),
                              inquiry=inquiry).fields  # fmt: skip
    a = book(counsellor_gr, bratislava, for_={"inquiry": inquiry}, start="16:00", minutes=30)
    assert a.starts_at == dt.datetime(2027, 3, 3, 15, 0, tzinfo=dt.UTC)
    assert a.local_start.strftime("%H:%M") == "16:00"


def test_after_the_clocks_change_the_same_local_time_is_an_hour_earlier_in_utc(
    counsellor_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    # Summer time starts in Athens on Sunday 28 March 2027.
    before = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=dt.date(2027, 3, 26), start="09:00")
    after = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=dt.date(2027, 3, 29), start="09:00")
    assert before.starts_at.time() == T("07:00")
    assert after.starts_at.time() == T("06:00")
    assert after.local_start.strftime("%H:%M") == "09:00"


def test_a_time_skipped_by_the_clock_change_is_refused(athens: Office) -> None:
    with pytest.raises(ServiceError, match="does not exist"):
        services.local_to_utc(athens, dt.date(2027, 3, 28), T("03:30"))


# ---------------------------------------------------------------- overlaps, past, duration


def test_a_counsellor_cannot_be_booked_twice_at_once_even_at_another_office(
    counsellor_gr: User, athens: Office, bratislava: Office, inquiry: Inquiry, case_gr: Case
) -> None:
    book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00", minutes=60)
    # 09:30 in Bratislava is 10:30 in Athens.
    error = refused(counsellor_gr, booking(bratislava, counsellor_gr, start="09:30", minutes=30), case=case_gr)
    message = error.fields["start"][0]
    assert "already has an appointment" in message
    assert "09:00–10:00" in message  # the other appointment, in this office's time
    assert "Athens office" in message
    assert Appointment.objects.count() == 1


def test_back_to_back_is_allowed(counsellor_gr: User, athens: Office, inquiry: Inquiry, case_gr: Case) -> None:
    book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00", minutes=60)
    book(counsellor_gr, athens, for_={"case": case_gr}, start="11:00", minutes=30)
    book(counsellor_gr, athens, for_={"case": case_gr}, start="09:30", minutes=30)
    assert Appointment.objects.count() == 3


def test_the_same_person_cannot_see_two_counsellors_at_once(
    counsellor_gr: User, counsellor2_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    error = refused(counsellor_gr, booking(athens, counsellor2_gr, start="10:30"), inquiry=inquiry)
    assert "This person already has an appointment" in error.fields["start"][0]


def test_a_cancelled_appointment_frees_the_time(counsellor_gr: User, athens: Office, inquiry: Inquiry) -> None:
    first = book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    services.appointment_cancel(acting_user=counsellor_gr, appointment=first, reason="The person asked to move it.")
    book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")


def test_the_past_is_refused(counsellor_gr: User, athens: Office, inquiry: Inquiry) -> None:
    # It is 09:00 in Athens on Monday: 08:30 today has passed.
    error = refused(counsellor_gr, booking(athens, counsellor_gr, on=NOW.date(), start="08:30"), inquiry=inquiry)
    assert "passed" in error.fields["on"][0]
    book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=NOW.date(), start="09:30")


@pytest.mark.parametrize("minutes", [10, 241])
def test_a_duration_of_15_to_240_minutes(counsellor_gr: User, athens: Office, inquiry: Inquiry, minutes: int) -> None:
    assert "minutes" in refused(counsellor_gr, booking(athens, counsellor_gr, minutes=minutes), inquiry=inquiry).fields


def test_a_phone_appointment_needs_a_number_and_a_video_one_a_link(
    counsellor_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    assert "phone" in refused(counsellor_gr, booking(athens, counsellor_gr, mode="phone"), inquiry=inquiry).fields
    assert "video_link" in refused(counsellor_gr, booking(athens, counsellor_gr, mode="video",
                                                          video_link="http://x"), inquiry=inquiry).fields  # fmt: skip
    a = book(counsellor_gr, athens, for_={"inquiry": inquiry}, mode="phone", phone="690 123 4567")
    assert a.phone == "+306901234567"


def test_an_unknown_language_is_named(counsellor_gr: User, athens: Office, inquiry: Inquiry) -> None:
    assert "language" in refused(counsellor_gr, booking(athens, counsellor_gr, language="xx"), inquiry=inquiry).fields


# ---------------------------------------------------------------- who, and for whom


def test_booking_for_a_new_inquiry_assigns_it_to_the_counsellor(
    supervisor_gr: User, counsellor_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    book(supervisor_gr, athens, counsellor_gr, for_={"inquiry": inquiry})
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assigned_to) == (Inquiry.Status.ASSIGNED, counsellor_gr)


def test_an_inquiry_already_assigned_keeps_its_counsellor(
    counsellor_gr: User, counsellor2_gr: User, athens: Office, gr: Mission
) -> None:
    inquiry = make_inquiry(gr, status=Inquiry.Status.CONTACTED, assigned_to=counsellor2_gr)
    book(counsellor_gr, athens, for_={"inquiry": inquiry})
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assigned_to) == (Inquiry.Status.CONTACTED, counsellor2_gr)


def test_a_closed_inquiry_is_not_booked(counsellor_gr: User, athens: Office, gr: Mission) -> None:
    inquiry = make_inquiry(gr, status=Inquiry.Status.CLOSED)
    refused(counsellor_gr, booking(athens, counsellor_gr), inquiry=inquiry)


def test_the_counsellor_counsels_in_the_offices_mission(
    counsellor_gr: User, counsellor_ro: User, finance_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    assert "counsellor" in refused(counsellor_gr, booking(athens, counsellor_ro), inquiry=inquiry).fields
    assert "counsellor" in refused(counsellor_gr, booking(athens, finance_gr), inquiry=inquiry).fields


def test_a_finance_officer_does_not_book(finance_gr: User, athens: Office, inquiry: Inquiry) -> None:
    with pytest.raises(PermissionDenied):
        services.appointment_book(acting_user=finance_gr, data=booking(athens, finance_gr), inquiry=inquiry)


def test_an_inquiry_of_another_mission_is_not_booked_here(
    counsellor_gr: User, athens: Office, ro: Mission, case_ro: Case
) -> None:
    other = make_inquiry(ro)
    assert "office" in refused(counsellor_gr, booking(athens, counsellor_gr), inquiry=other).fields
    assert "office" in refused(counsellor_gr, booking(athens, counsellor_gr), case=case_ro).fields


def test_exactly_one_source(counsellor_gr: User, athens: Office, inquiry: Inquiry, case_gr: Case) -> None:
    refused(counsellor_gr, booking(athens, counsellor_gr))
    refused(counsellor_gr, booking(athens, counsellor_gr), inquiry=inquiry, case=case_gr)


# ---------------------------------------------------------------- marking, cancelling, moving


def test_attended_or_no_show_only_after_the_start(
    counsellor_gr: User, athens: Office, inquiry: Inquiry, clock: Any
) -> None:
    a = book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    with pytest.raises(ServiceError, match="not started"):
        services.appointment_mark(acting_user=counsellor_gr, appointment=a, outcome="no_show")
    clock.move_to(a.starts_at + dt.timedelta(minutes=20))
    a = services.appointment_mark(acting_user=counsellor_gr, appointment=a, outcome="no_show", note="No answer.")
    assert (a.status, a.marked_by, a.notes) == (Appointment.Status.NO_SHOW, counsellor_gr, "No answer.")
    with pytest.raises(ServiceError, match="already"):
        services.appointment_mark(acting_user=counsellor_gr, appointment=a, outcome="attended")


def test_a_cancellation_gives_a_reason(counsellor_gr: User, athens: Office, inquiry: Inquiry) -> None:
    a = book(counsellor_gr, athens, for_={"inquiry": inquiry})
    with pytest.raises(ServiceError) as caught:
        services.appointment_cancel(acting_user=counsellor_gr, appointment=a, reason="  ")
    assert "reason" in caught.value.fields
    a = services.appointment_cancel(acting_user=counsellor_gr, appointment=a, reason="Ill.")
    assert (a.status, a.cancel_reason) == (Appointment.Status.CANCELLED, "Ill.")


def test_a_move_is_judged_like_a_booking_but_not_against_itself(
    counsellor_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    a = book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    Appointment.objects.filter(pk=a.pk).update(reminded_at=NOW)
    moved = services.appointment_reschedule(
        acting_user=counsellor_gr, appointment=a, data=booking(athens, counsellor_gr, start="10:30")
    )
    assert moved.local_start.strftime("%H:%M") == "10:30"
    assert moved.reminded_at is None  # the new time gets its own reminder
    with pytest.raises(ServiceError):
        services.appointment_reschedule(acting_user=counsellor_gr, appointment=a,
                                        data=booking(athens, counsellor_gr, on=SATURDAY))  # fmt: skip


# ---------------------------------------------------------------- offices


def test_an_administrator_keeps_offices_and_their_hours(admin_gr: User, gr: Mission) -> None:
    office = services.office_create(
        acting_user=admin_gr, mission=gr,
        data=services.OfficeInput(name="Thessaloniki", time_zone="Europe/Athens", languages=["EN", "ar", "ar"]),
    )  # fmt: skip
    assert office.languages == ["en", "ar"]
    week = {d: [(T("08:30"), T("16:30"))] for d in range(5)}
    services.office_hours_set(acting_user=admin_gr, office=office, week=week)
    assert office.hours.count() == 5


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"time_zone": "Europe/Atlantis"}, "time_zone"), ({"languages": ["xx"]}, "languages"),
     ({"name": " "}, "name"), ({"email": "not-an-address"}, "email")],
)  # fmt: skip
def test_a_bad_office_is_refused_by_field(admin_gr: User, gr: Mission, overrides: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {"name": "Piraeus", "time_zone": "Europe/Athens", **overrides}
    with pytest.raises(ServiceError) as caught:
        services.office_create(acting_user=admin_gr, mission=gr, data=services.OfficeInput(**values))
    assert field in caught.value.fields


def test_overlapping_or_backwards_hours_are_refused_and_nothing_changes(admin_gr: User, athens: Office) -> None:
    for week in ({0: [(T("08:00"), T("12:00")), (T("11:00"), T("14:00"))]}, {2: [(T("16:00"), T("09:00"))]}):
        with pytest.raises(ServiceError) as caught:
            services.office_hours_set(acting_user=admin_gr, office=athens, week=week)
        assert list(caught.value.fields) == [f"day_{next(iter(week))}"]
    assert athens.hours.count() == 10


def test_only_administrators_keep_offices(counsellor_gr: User, athens: Office, gr: Mission) -> None:
    with pytest.raises(PermissionDenied):
        services.office_hours_set(acting_user=counsellor_gr, office=athens, week={})
    with pytest.raises(PermissionDenied):
        services.office_create(acting_user=counsellor_gr, mission=gr,
                               data=services.OfficeInput(name="X", time_zone="Europe/Athens"))  # fmt: skip
