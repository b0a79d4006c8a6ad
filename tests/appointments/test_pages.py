"""The appointment pages: booking from an inquiry, the week's calendar, one appointment, the case card, offices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from homeward.accounts.models import Mission, User
from homeward.appointments import services
from homeward.appointments.models import Appointment, Office
from homeward.cases.models import Case
from homeward.triage.models import Inquiry
from tests.appointments.conftest import WEDNESDAY, book, make_inquiry

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def book_url(**query: object) -> str:
    key, value = next(iter(query.items()))
    return f"{reverse('appointments:book')}?{key}={value}"


def form(office: Office, counsellor: User, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"office": office.pk, "counsellor": counsellor.pk, "on": WEDNESDAY.isoformat(),
                               "start": "10:00", "minutes": 60, "mode": "in_person", "language": "fa"}  # fmt: skip
    data.update(overrides)
    return data


def back_from(inquiry: Inquiry) -> str:
    for name in ("triage:detail", "triage:inquiry"):
        try:
            return reverse(name, args=[inquiry.pk])
        except NoReverseMatch:
            continue
    return reverse("appointments:calendar")


def test_booking_from_an_inquiry_with_an_interpreter(counsellor_gr: User, athens: Office, inquiry: Inquiry) -> None:
    client = client_for(counsellor_gr)
    page = client.get(book_url(inquiry=inquiry.pk)).content.decode()
    assert "Farid Noori" in page
    assert inquiry.code in page
    assert ">Interpreter needed</label>" in page
    assert ">Book</button>" in page
    assert '<option value="fa" selected>' in page  # the language the person wrote in
    assert f'<option value="{counsellor_gr.pk}" selected>' in page  # the counsellor books for themselves
    response = client.post(book_url(inquiry=inquiry.pk), form(athens, counsellor_gr, interpreter_needed="on"))
    assert response.status_code == 302
    assert response["Location"] == back_from(inquiry)
    a = Appointment.objects.get()
    assert (a.inquiry, a.interpreter_needed, a.local_start.hour) == (inquiry, True, 10)
    assert "Appointment booked for" in client.get(response["Location"]).content.decode()


def test_outside_the_hours_the_form_says_so_and_saves_nothing(
    counsellor_gr: User, athens: Office, inquiry: Inquiry
) -> None:
    response = client_for(counsellor_gr).post(book_url(inquiry=inquiry.pk), form(athens, counsellor_gr, start="17:00"))
    assert response.status_code == 400
    assert "The office is open on Wednesday: 08:30–12:30, 13:30–16:30." in response.content.decode()
    assert not Appointment.objects.exists()


def test_booking_from_a_case_goes_back_to_the_case(counsellor_gr: User, athens: Office, case_gr: Case) -> None:
    client = client_for(counsellor_gr)
    assert "Imran Khan" in client.get(book_url(case=case_gr.reference)).content.decode()
    response = client.post(book_url(case=case_gr.reference), form(athens, counsellor_gr))
    assert response["Location"] == reverse("cases:detail", args=[case_gr.reference])


def test_an_inquiry_of_another_mission_is_a_404_and_a_finance_officer_a_403(
    counsellor_gr: User, finance_gr: User, athens: Office, inquiry: Inquiry, ro: Mission, case_gr: Case
) -> None:
    other = make_inquiry(ro, code="RORORORO")
    assert client_for(counsellor_gr).get(book_url(inquiry=other.pk)).status_code == 404
    # A finance officer reads the case but does not book for it; an inquiry is not theirs to read (as in triage).
    assert client_for(finance_gr).get(book_url(case=case_gr.reference)).status_code == 403
    assert client_for(finance_gr).post(book_url(case=case_gr.reference), form(athens, finance_gr)).status_code == 403
    assert client_for(finance_gr).get(book_url(inquiry=inquiry.pk)).status_code == 404


def test_the_calendar_shows_the_week_in_office_time(
    counsellor_gr: User, athens: Office, bratislava: Office, inquiry: Inquiry, case_gr: Case
) -> None:
    book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    book(counsellor_gr, bratislava, for_={"case": case_gr}, start="14:00", minutes=30)
    client = client_for(counsellor_gr)
    page = client.get(reverse("appointments:calendar"), {"week": WEDNESDAY.isoformat()}).content.decode()
    assert "10:00–11:00" in page
    assert "Farid Noori" in page
    assert "14:00–14:30" in page
    assert "Bratislava desk" in page
    assert "week=2027-03-08" in page
    assert "week=2027-02-22" in page
    later = client.get(reverse("appointments:calendar"), {"week": "2027-03-08"}).content.decode()
    assert "Farid Noori" not in later


def test_a_supervisor_opens_a_counsellors_calendar_a_colleague_may_not(
    counsellor_gr: User, counsellor2_gr: User, supervisor_gr: User, counsellor_ro: User, athens: Office,
    inquiry: Inquiry,
) -> None:  # fmt: skip
    book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    url = reverse("appointments:calendar")
    query = {"counsellor": counsellor_gr.pk, "week": WEDNESDAY.isoformat()}
    assert "Farid Noori" in client_for(supervisor_gr).get(url, query).content.decode()
    assert client_for(counsellor2_gr).get(url, query).status_code == 403
    assert client_for(counsellor_ro).get(url, query).status_code == 404


def test_an_appointment_is_marked_once_started_and_cancelled_with_a_reason(
    counsellor_gr: User, athens: Office, inquiry: Inquiry, clock: object
) -> None:
    a = book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    client = client_for(counsellor_gr)
    page = client.get(reverse("appointments:detail", args=[a.pk])).content.decode()
    assert 'id="not-started"' in page
    assert client.post(reverse("appointments:mark", args=[a.pk]), {"outcome": "attended"}).status_code == 400
    clock.move_to(a.starts_at + dt.timedelta(minutes=5))  # type: ignore[attr-defined]
    client = client_for(counsellor_gr)  # two days on: the session has expired
    assert client.post(reverse("appointments:mark", args=[a.pk]), {"outcome": "attended"}).status_code == 302
    a.refresh_from_db()
    assert a.status == Appointment.Status.ATTENDED
    assert client.post(reverse("appointments:cancel", args=[a.pk]), {"reason": "x"}).status_code == 400


def test_moving_an_appointment(counsellor_gr: User, athens: Office, inquiry: Inquiry) -> None:
    a = book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    client = client_for(counsellor_gr)
    assert 'value="10:00"' in client.get(reverse("appointments:reschedule", args=[a.pk])).content.decode()
    response = client.post(reverse("appointments:reschedule", args=[a.pk]), form(athens, counsellor_gr, start="14:00"))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.local_start.hour == 14


def test_the_case_card_shows_its_and_its_inquirys_appointments_with_no_shows(
    counsellor_gr: User, athens: Office, case_gr: Case, gr: Mission, clock: object
) -> None:
    inquiry = make_inquiry(gr, code="CASE2345")
    earlier = book(counsellor_gr, athens, for_={"inquiry": inquiry}, on=dt.date(2027, 3, 1), start="10:00")
    Inquiry.objects.filter(pk=inquiry.pk).update(case=case_gr, status=Inquiry.Status.CONVERTED)
    book(counsellor_gr, athens, for_={"case": case_gr}, start="11:00")
    clock.move_to(earlier.ends_at)  # type: ignore[attr-defined]

    services.appointment_mark(acting_user=counsellor_gr, appointment=earlier, outcome="no_show")
    page = client_for(counsellor_gr).get(reverse("cases:detail", args=[case_gr.reference])).content.decode()
    assert 'id="appointments-panel"' in page
    assert "1 missed appointment" in page
    assert "from the inquiry" in page
    assert page.count('class="appointment"') == 2
    assert f"?case={case_gr.reference}" in page


def test_the_menu_has_the_calendar_for_counsellors(counsellor_gr: User, finance_gr: User, admin_gr: User) -> None:
    url = reverse("appointments:calendar")
    assert f'href="{url}"' in client_for(counsellor_gr).get(reverse("cases:list")).content.decode()
    assert f'href="{url}"' not in client_for(finance_gr).get(reverse("cases:list")).content.decode()


def test_an_administrator_adds_an_office_and_its_hours(admin_gr: User, counsellor_gr: User, gr: Mission) -> None:
    client = client_for(admin_gr)
    response = client.post(reverse("appointments:offices"), {
        "mission": gr.pk, "name": "Piraeus", "time_zone": "Europe/Athens", "languages": "en, ar", "public": "on",
        "active": "on"})  # fmt: skip
    office = Office.objects.get(name="Piraeus")
    assert response["Location"] == reverse("appointments:office", args=[office.pk])
    days = {f"day_{d}": "08:30–16:30" for d in range(5)}
    response = client.post(reverse("appointments:office_hours", args=[office.pk]), days)
    assert response.status_code == 302
    assert "Monday to Friday 08:30–16:30" in client.get(response["Location"]).content.decode()
    bad = client.post(reverse("appointments:office_hours", args=[office.pk]), {"day_0": "09:00-12:00, 11:00-13:00"})
    assert bad.status_code == 400
    assert "overlaps" in bad.content.decode()
    assert office.hours.count() == 5
    bad = client.post(reverse("appointments:offices"), {"mission": gr.pk, "name": "X", "time_zone": "Mars/Base"})
    assert bad.status_code == 400
    assert "is not a time zone" in bad.content.decode()
    assert client_for(counsellor_gr).get(reverse("appointments:offices")).status_code == 403
    assert client_for(counsellor_gr).get(reverse("appointments:office", args=[office.pk])).status_code == 403


def test_the_inquiry_card_links_to_booking(
    counsellor_gr: User, finance_gr: User, athens: Office, inquiry: Inquiry
) -> None:

    book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    template = Template("{% load appointments_tags %}{% inquiry_appointments inquiry %}")
    request = RequestFactory().get("/")
    request.user = counsellor_gr
    html = template.render(Context({"request": request, "inquiry": inquiry}))
    assert f"{reverse('appointments:book')}?inquiry={inquiry.pk}" in html
    assert html.count('class="appointment"') == 1
    request.user = finance_gr
    html = template.render(Context({"request": request, "inquiry": inquiry}))
    assert "Book an appointment" not in html


def test_the_calendar_reads_a_fixed_number_of_queries(
    counsellor_gr: User, athens: Office, inquiry: Inquiry, case_gr: Case, gr: Mission
) -> None:

    client = client_for(counsellor_gr)
    url = reverse("appointments:calendar")
    book(counsellor_gr, athens, for_={"case": case_gr}, start="09:00")
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"week": WEDNESDAY.isoformat()})
    book(counsellor_gr, athens, for_={"inquiry": inquiry}, start="10:00")
    book(counsellor_gr, athens, for_={"inquiry": make_inquiry(gr, code="THIRD234")}, start="11:00")
    with CaptureQueriesContext(connection) as three:
        page = client.get(url, {"week": WEDNESDAY.isoformat()}).content.decode()
    assert page.count('class="appointment') == 3
    assert len(three) == len(one)
