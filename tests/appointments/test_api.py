"""/api/v1/appointments and /api/v1/offices: the same rules and scoping as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from homeward.accounts.models import Mission, User
from homeward.appointments.models import Appointment, Office
from homeward.cases.models import Case
from homeward.triage.models import Inquiry
from tests.appointments.conftest import WEDNESDAY, book, make_inquiry

pytestmark = pytest.mark.django_db


def body(office: Office, counsellor: User, **overrides: Any) -> dict[str, Any]:
    data = {"office_id": office.pk, "counsellor_id": counsellor.pk, "date": WEDNESDAY.isoformat(), "time": "10:00",
            "minutes": 45, "interpreter_needed": True}  # fmt: skip
    data.update(overrides)
    return data


def test_book_list_and_mark(api_as: Any, counsellor_gr: User, athens: Office, inquiry: Inquiry, clock: Any) -> None:
    api = api_as(counsellor_gr)
    created = api.post("/appointments", body(athens, counsellor_gr, inquiry_id=inquiry.pk))
    assert created.status_code == 201, created.json()
    out = created.json()
    assert out["starts_at"].startswith("2027-03-03T08:00")  # UTC
    assert out["local_start"] == "2027-03-03T10:00:00+02:00"
    assert (out["language"], out["person"], out["interpreter_needed"]) == ("fa", "Farid Noori", True)

    listed = api.get("/appointments", {"from": "2027-03-01", "to": "2027-03-07"}).json()
    assert [a["id"] for a in listed] == [out["id"]]
    assert api.get("/appointments", {"from": "2027-03-04"}).json() == []

    early = api.post(f"/appointments/{out['id']}/mark", {"outcome": "no_show"})
    assert early.status_code == 400
    assert set(early.json()) == {"message", "fields"}
    clock.move_to(dt.datetime(2027, 3, 3, 9, 0, tzinfo=dt.UTC))
    api = api_as(counsellor_gr)
    assert api.post(f"/appointments/{out['id']}/mark", {"outcome": "no_show"}).json()["status"] == "no_show"


def test_a_refusal_names_the_field(api_as: Any, counsellor_gr: User, athens: Office, case_gr: Case) -> None:
    refused = api_as(counsellor_gr).post("/appointments", body(athens, counsellor_gr, case_reference=case_gr.reference,
                                                               time="07:00"))  # fmt: skip
    assert refused.status_code == 400
    assert "08:30–12:30, 13:30–16:30" in refused.json()["fields"]["start"][0]
    assert not Appointment.objects.exists()


def test_other_missions_are_404_and_so_is_an_appointment_to_a_finance_officer(
    api_as: Any, counsellor_gr: User, counsellor_ro: User, finance_gr: User, athens: Office, inquiry: Inquiry,
    ro: Mission,
) -> None:  # fmt: skip
    a = book(counsellor_gr, athens, for_={"inquiry": inquiry})
    other = make_inquiry(ro, code="RORORORO")
    assert (
        api_as(counsellor_gr).post("/appointments", body(athens, counsellor_gr, inquiry_id=other.pk)).status_code == 404
    )
    assert api_as(counsellor_ro).post(f"/appointments/{a.pk}/mark", {"outcome": "attended"}).status_code == 404
    assert api_as(counsellor_ro).get("/appointments", {"mine": False}).json() == []
    # A finance officer reads no appointments: one is a 404, the list a 403 (as the triage queue).
    assert api_as(finance_gr).post(f"/appointments/{a.pk}/mark", {"outcome": "attended"}).status_code == 404
    assert api_as(finance_gr).post("/appointments", body(athens, finance_gr, inquiry_id=inquiry.pk)).status_code == 404
    assert api_as(finance_gr).get("/appointments", {"mine": False}).status_code == 403


def test_cancel_through_mark(api_as: Any, counsellor_gr: User, athens: Office, inquiry: Inquiry) -> None:
    a = book(counsellor_gr, athens, for_={"inquiry": inquiry})
    api = api_as(counsellor_gr)
    assert api.post(f"/appointments/{a.pk}/mark", {"outcome": "cancelled"}).status_code == 400
    assert (
        api.post(f"/appointments/{a.pk}/mark", {"outcome": "cancelled", "note": "Ill"}).json()["status"] == "cancelled"
    )


def test_offices_with_their_hours(api_as: Any, counsellor_gr: User, counsellor_ro: User, athens: Office) -> None:
    (office,) = api_as(counsellor_gr).get("/offices").json()
    assert (office["name"], office["time_zone"], len(office["hours"])) == ("Athens office", "Europe/Athens", 10)
    assert office["hours"][0] == {"weekday": 0, "opens": "08:30:00", "closes": "12:30:00"}
    assert api_as(counsellor_ro).get("/offices").json() == []
