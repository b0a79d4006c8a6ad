"""Travel over JSON: a round trip, local and UTC times, and refusals in the one error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.partners.models import Partner
from tests.api.conftest import ApiClient
from tests.travel.conftest import members_of

pytestmark = pytest.mark.django_db
ApiAs = Callable[..., ApiClient]

TK1846 = {"carrier": "Turkish Airlines", "number": "TK1846", "origin": "ATH", "destination": "IST",
          "departs_local": "2026-12-01T10:00:00", "arrives_local": "2026-12-01T12:20:00"}  # fmt: skip
TK710 = {"carrier": "Turkish Airlines", "number": "TK710", "origin": "IST", "destination": "ISB",
         "departs_local": "2026-12-01T20:30:00", "arrives_local": "2026-12-02T04:00:00"}  # fmt: skip


def assert_refused(response: Any, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "fields"}
    assert body["message"]
    return body


def test_a_family_is_booked_over_the_api(api_as: ApiAs, movement_gr: User, preparing: Case) -> None:
    api = api_as(movement_gr)
    base = f"/cases/{preparing.pk}/itineraries"
    created = api.post(base, {"booking_reference": "XK7P2Q", "baggage_allowance": "2 x 23 kg"})
    assert created.status_code == 201, created.content
    itinerary = created.json()
    assert itinerary["status"] == "draft"
    assert len(itinerary["traveller_ids"]) == 3
    url = f"{base}/{itinerary['id']}"

    first = api.post(f"{url}/segments", TK1846)
    assert first.status_code == 201, first.content
    assert first.json()["departs_at"].startswith("2026-12-01T08:00:00")
    assert (first.json()["departs_local"], first.json()["departs_zone"]) == ("2026-12-01T10:00:00", "EET")
    second = api.post(f"{url}/segments", TK710).json()
    assert (second["arrives_local"], second["arrives_zone"], second["destination_tz"]) == (
        "2026-12-02T04:00:00", "PKT", "Asia/Karachi"
    )  # fmt: skip
    assert second["arrives_at"].startswith("2026-12-01T23:00:00")

    for i, member_id in enumerate(itinerary["traveller_ids"]):
        ticket = api.post(f"{url}/tickets", {"member_id": member_id, "number": f"2350{i}", "cost": "412.50",
                                             "currency": "EUR"})  # fmt: skip
        assert ticket.status_code == 201, ticket.content
    assert api.post(f"{url}/assistance", {"kind": "transit", "airport": "IST", "mission": "GR",
                                          "meeting_point": "Transfer desk"}).status_code == 201  # fmt: skip
    confirmed = api.post(f"{url}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    body = api.get(url).json()
    assert body["status"] == "confirmed"
    assert body["route"] == ["ATH", "IST", "ISB"]
    assert [s["position"] for s in body["segments"]] == [1, 2]
    assert body["tickets"][0]["cost"] == "412.50"
    assert body["assistance"][0]["mission_name"] == "IOM Greece"
    assert [i["id"] for i in api.get(base).json()] == [itinerary["id"]]


def test_a_transit_that_does_not_connect_is_a_400_in_the_one_shape(
    api_as: ApiAs, movement_gr: User, preparing: Case
) -> None:
    api = api_as(movement_gr)
    url = f"/cases/{preparing.pk}/itineraries/{api.post(f'/cases/{preparing.pk}/itineraries').json()['id']}"
    api.post(f"{url}/segments", TK1846)
    body = assert_refused(api.post(f"{url}/segments", {**TK710, "origin": "SAW"}))
    assert "do not connect" in body["message"]
    assert "origin" in body["fields"]
    body = assert_refused(api.post(f"{url}/segments", {**TK710, "arrives_local": "2026-12-01T19:00:00"}))
    assert "arrives before it departs" in body["message"]


def test_a_ticket_for_a_person_not_in_the_case_is_a_400(
    api_as: ApiAs, movement_gr: User, preparing: Case, case_ro: Case
) -> None:
    api = api_as(movement_gr)
    url = f"/cases/{preparing.pk}/itineraries/{api.post(f'/cases/{preparing.pk}/itineraries').json()['id']}"
    stranger = members_of(case_ro)["Imran"]
    body = assert_refused(api.post(f"{url}/tickets", {"member_id": stranger.pk, "number": "1", "cost": "1",
                                                      "currency": "EUR"}))  # fmt: skip
    assert body["message"] == "This person is not in the case."
    assert "member_id" in body["fields"]
    assert "Popal" not in str(body)  # nothing about a person of another mission's case
    assert "Khan" not in str(body)


def test_a_travel_document_is_requested_then_issued(
    api_as: ApiAs, movement_gr: User, preparing: Case, embassy_pk: Partner
) -> None:
    api = api_as(movement_gr)
    sana = members_of(preparing)["Sana"]
    base = f"/cases/{preparing.pk}/travel-documents"
    created = api.post(base, {"member_id": sana.pk, "kind": "laissez_passer", "embassy_id": embassy_pk.pk,
                              "requested_on": "2026-11-02", "expected_on": "2026-11-16"})  # fmt: skip
    assert created.status_code == 201, created.content
    document = created.json()
    assert (document["traveller"], document["overdue"]) == ("Sana Khan", True)
    assert (document["embassy_id"], document["authority"]) == (embassy_pk.pk, "Embassy of Pakistan, Athens")
    body = assert_refused(api.patch(f"{base}/{document['id']}", {"status": "issued", "issued_on": "2026-11-18"}))
    assert set(body["fields"]) == {"number"}
    issued = api.patch(f"{base}/{document['id']}", {"status": "issued", "issued_on": "2026-11-18", "number": "LP9"})
    assert issued.status_code == 200, issued.content
    assert (issued.json()["status"], issued.json()["overdue"]) == ("issued", False)
    assert [d["number"] for d in api.get(base).json()] == ["LP9"]


def test_a_malformed_time_is_a_422_in_the_same_shape(api_as: ApiAs, movement_gr: User, preparing: Case) -> None:
    api = api_as(movement_gr)
    url = f"/cases/{preparing.pk}/itineraries/{api.post(f'/cases/{preparing.pk}/itineraries').json()['id']}"
    body = assert_refused(api.post(f"{url}/segments", {**TK1846, "departs_local": "tomorrow at ten"}), 422)
    assert "departs_local" in body["fields"]


def test_a_counsellor_may_read_but_not_book(api_as: ApiAs, counsellor_gr: User, preparing: Case) -> None:
    api = api_as(counsellor_gr)
    assert api.get(f"/cases/{preparing.pk}/itineraries").status_code == 200
    assert_refused(api.post(f"/cases/{preparing.pk}/itineraries"), 403)


def test_another_missions_movement_officer_gets_404(
    api_as: ApiAs, movement_gr: User, movement_ro: User, preparing: Case
) -> None:
    itinerary = api_as(movement_gr).post(f"/cases/{preparing.pk}/itineraries").json()
    api = api_as(movement_ro)
    assert_refused(api.get(f"/cases/{preparing.pk}/itineraries/{itinerary['id']}"), 404)
    assert_refused(api.post(f"/cases/{preparing.pk}/itineraries"), 404)
    assert_refused(api.get(f"/cases/{preparing.pk}/travel-documents"), 404)


def test_the_board_over_the_api(api_as: ApiAs, movement_gr: User, counsellor_gr: User) -> None:
    assert api_as(movement_gr).get("/travel/board").json() == []
    assert_refused(api_as(counsellor_gr).get("/travel/board"), 403)
