"""Two bookings of one counsellor at the same moment: one is booked, the other told of the first."""

from __future__ import annotations

import pytest

from homeward.accounts.models import Mission, User
from homeward.appointments import services
from homeward.appointments.models import Appointment, Office
from homeward.triage.models import Inquiry
from tests.appointments.conftest import booking, make_inquiry
from tests.concurrency import race


@pytest.mark.django_db(transaction=True)
def test_a_counsellor_is_never_double_booked(
    counsellor_gr: User, supervisor_gr: User, gr: Mission, athens: Office
) -> None:
    first, second = make_inquiry(gr, code="FIRST234"), make_inquiry(gr, code="SECOND23")

    def book(user: User, inquiry: Inquiry) -> object:
        me = User.objects.get(pk=user.pk)
        counsellor = User.objects.get(pk=counsellor_gr.pk)
        office = Office.objects.get(pk=athens.pk)
        return services.appointment_book(
            acting_user=me, data=booking(office, counsellor, start="10:00"), inquiry=Inquiry.objects.get(pk=inquiry.pk)
        )

    results = race(lambda: book(counsellor_gr, first), lambda: book(supervisor_gr, second))
    assert sorted(type(r).__name__ for r in results) == ["Appointment", "ServiceError"], results
    assert Appointment.objects.count() == 1
