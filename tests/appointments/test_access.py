"""Who reads appointments (they name the person, with a phone and notes): those who register and counsel
in the mission, as for inquiries in triage; an appointment of a case, only if they may read the case.
Finance, movement and M&E officers get a 404 (pages, API) and no menu entry; only a supervisor lists a
colleague's appointments."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.appointments.models import Appointment, Office
from homeward.cases.models import Case
from homeward.triage.models import Inquiry
from tests.appointments.conftest import WEDNESDAY, book
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def me_gr(gr: Mission) -> User:
    return UserFactory(username="me.gr", roles=[(gr, Role.ME_OFFICER)])


@pytest.fixture
def two(
    counsellor_gr: User, counsellor2_gr: User, athens: Office, inquiry: Inquiry, case_gr: Case
) -> list[Appointment]:
    """One appointment each for two counsellors of Greece: an inquiry's, a case's."""
    return [
        book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00", notes="Afraid of the police."),
        book(counsellor_gr, athens, counsellor2_gr, for_={"case": case_gr}, start="11:00"),
    ]


@pytest.mark.parametrize("persona", ["finance_gr", "movement_gr", "me_gr"])
def test_roles_that_do_not_counsel_get_a_404_for_an_appointment(
    request: pytest.FixtureRequest, two: list[Appointment], persona: str
) -> None:
    client = client_for(request.getfixturevalue(persona))
    for appointment in two:
        response = client.get(reverse("appointments:detail", args=[appointment.pk]))
        assert response.status_code == 404
        assert "Farid" not in response.content.decode()


@pytest.mark.parametrize("persona", ["finance_gr", "me_gr"])
def test_roles_that_do_not_counsel_list_no_appointments_over_the_api(
    request: pytest.FixtureRequest, api_as: Any, two: list[Appointment], persona: str
) -> None:
    api = api_as(request.getfixturevalue(persona))
    for query in ({"mine": False}, {"mine": True}, {}):
        listed = api.get("/appointments", query)
        assert listed.status_code == 403
        assert "Farid" not in listed.content.decode()
        assert "+306901234567" not in listed.content.decode()


def test_their_menu_has_no_calendar_and_the_case_card_no_appointments(
    finance_gr: User, me_gr: User, counsellor_gr: User, two: list[Appointment], case_gr: Case
) -> None:
    calendar = f'href="{reverse("appointments:calendar")}"'
    page = reverse("cases:detail", args=[case_gr.reference])
    for user in (finance_gr, me_gr):
        shown = client_for(user).get(page)
        assert shown.status_code == 200  # they read the case...
        html = shown.content.decode()
        assert calendar not in html  # ...but not who is coming to the office
        assert 'id="appointments-panel"' not in html
        assert reverse("appointments:detail", args=[two[1].pk]) not in html
    assert 'id="appointments-panel"' in client_for(counsellor_gr).get(page).content.decode()


def test_a_counsellor_lists_only_their_own_a_supervisor_their_counsellors_too(
    api_as: Any, counsellor_gr: User, counsellor2_gr: User, supervisor_gr: User, two: list[Appointment]
) -> None:
    mine, colleagues = two
    query = {"mine": False, "from": WEDNESDAY.isoformat(), "to": WEDNESDAY.isoformat()}
    assert [a["id"] for a in api_as(counsellor_gr).get("/appointments", query).json()] == [mine.pk]
    assert [a["id"] for a in api_as(counsellor2_gr).get("/appointments", query).json()] == [colleagues.pk]
    assert [a["id"] for a in api_as(supervisor_gr).get("/appointments", query).json()] == [mine.pk, colleagues.pk]
    assert api_as(supervisor_gr).get("/appointments", {"mine": True}).json() == []
    assert api_as(counsellor2_gr).get("/appointments", {"counsellor_id": counsellor_gr.pk}).status_code == 403


def test_an_appointment_of_a_case_the_user_no_longer_reads_is_a_404(
    counsellor_gr: User, supervisor_gr: User, two: list[Appointment], case_gr: Case, ro: Mission
) -> None:
    """The office is of their mission, but the case is now of another: its appointment goes with it."""
    of_case = two[1]
    assert client_for(supervisor_gr).get(reverse("appointments:detail", args=[of_case.pk])).status_code == 200
    Case.objects.filter(pk=case_gr.pk).update(host_mission=ro)
    assert client_for(supervisor_gr).get(reverse("appointments:detail", args=[of_case.pk])).status_code == 404
    assert client_for(counsellor_gr).get(reverse("appointments:detail", args=[two[0].pk])).status_code == 200


def test_the_case_history_keeps_appointment_notes_from_roles_that_do_not_counsel(
    counsellor_gr: User, finance_gr: User, movement_gr: User, athens: Office, case_gr: Case
) -> None:
    book(counsellor_gr, athens, for_={"case": case_gr}, start="10:00", notes="Fears the smugglers he owes.")
    page = reverse("cases:detail", args=[case_gr.reference]) + "?history=all"
    assert "Fears the smugglers" in client_for(counsellor_gr).get(page).content.decode()
    for user in (finance_gr, movement_gr):
        assert "Fears the smugglers" not in client_for(user).get(page).content.decode()


def test_the_api_names_no_user_outside_the_offices_counsellors(
    api_as: Any, counsellor_gr: User, counsellor_ro: User, athens: Office, inquiry: Inquiry
) -> None:
    sent = api_as(counsellor_gr).post("/appointments", {
        "office_id": athens.pk, "counsellor_id": counsellor_ro.pk, "date": WEDNESDAY.isoformat(), "time": "10:00",
        "minutes": 60, "inquiry_id": inquiry.pk,
    })  # fmt: skip
    assert sent.status_code == 400
    assert counsellor_ro.last_name not in sent.content.decode()


def test_a_counsellor_booking_a_colleague_does_not_hand_them_the_inquiry(
    counsellor_gr: User, counsellor2_gr: User, supervisor_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    book(counsellor_gr, athens, counsellor2_gr, for_={"inquiry": inquiry}, start="10:00")
    inquiry.refresh_from_db()
    assert (inquiry.assigned_to, inquiry.status) == (None, Inquiry.Status.NEW)  # triage: only a supervisor assigns
    book(supervisor_gr, athens, counsellor2_gr, for_={"inquiry": inquiry}, start="14:00")
    inquiry.refresh_from_db()
    assert (inquiry.assigned_to, inquiry.status) == (counsellor2_gr, Inquiry.Status.ASSIGNED)
