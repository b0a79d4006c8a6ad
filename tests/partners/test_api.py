"""Partners over JSON: the same scoping, writers and refusals as the pages."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.partners.models import IncomingReferral, Partner, PartnerContact
from homeward.travel.models import TravelDocumentRequest
from tests.api.conftest import API, ApiClient, assert_error

pytestmark = pytest.mark.django_db
ApiAs = Callable[..., ApiClient]


def _put(api: ApiClient, path: str, body: dict[str, Any]) -> Any:
    return api.client.put(f"{API}{path}", json.dumps(body), content_type="application/json", headers=api._headers())


def test_the_list_is_scoped_and_filtered(
    api_as: ApiAs, counsellor_gr: User, embassy_pk: Partner, embassy_af: Partner, ngo_gr: Partner,
    embassy_pk_ro: Partner,
) -> None:  # fmt: skip
    api = api_as(counsellor_gr)
    assert [p["name"] for p in api.get("/partners").json()] == [
        "Embassy of Afghanistan, Athens", "Embassy of Pakistan, Athens", "JRS Greece"
    ]  # fmt: skip
    assert [p["id"] for p in api.get("/partners", {"kind": "embassy", "country": "PK"}).json()] == [embassy_pk.pk]
    assert_error(api.get(f"/partners/{embassy_pk_ro.pk}"), 404)


def test_a_partner_with_its_contacts_and_turnaround(
    api_as: ApiAs, counsellor_gr: User, embassy_pk: Partner, case_gr: Case
) -> None:
    PartnerContact.objects.create(partner=embassy_pk, name="Mr Qureshi", title="Consular officer")
    TravelDocumentRequest.objects.create(
        case=case_gr, member=case_gr.members.first(), kind="passport", embassy=embassy_pk, authority=embassy_pk.name,
        status="issued", requested_on=dt.date(2026, 9, 1), issued_on=dt.date(2026, 9, 10), created_by=counsellor_gr,
    )  # fmt: skip
    body = api_as(counsellor_gr).get(f"/partners/{embassy_pk.pk}").json()
    assert (body["mission"], body["country"], body["city"]) == ("GR", "PK", "Athens")
    assert [c["name"] for c in body["contacts"]] == ["Mr Qureshi"]
    assert body["turnaround"] == {"issued": 1, "median_days": 9.0, "p80_days": 9.0, "refused": 0, "pending": 0}


def test_a_counsellor_may_not_write_a_movement_officer_may(
    api_as: ApiAs, counsellor_gr: User, movement_gr: User
) -> None:
    payload = {"mission": "gr", "kind": "consulate", "name": "Consulate of Georgia", "country": "GE", "city": "Athens"}
    assert_error(api_as(counsellor_gr).post("/partners", payload), 403)
    api = api_as(movement_gr)
    created = api.post("/partners", payload)
    assert created.status_code == 201, created.content
    partner_id = created.json()["id"]
    body = assert_error(api.post("/partners", payload), 400)
    assert "name" in body["fields"]
    updated = _put(api, f"/partners/{partner_id}", {**payload, "phone": "210 1234 567", "active": False})
    assert updated.status_code == 200, updated.content
    assert (updated.json()["phone"], updated.json()["active"]) == ("+302101234567", False)
    assert Partner.objects.get(pk=partner_id).active is False


def test_a_referral_in_is_recorded_on_the_case(
    api_as: ApiAs, counsellor_gr: User, case_gr: Case, ngo_gr: Partner, embassy_pk_ro: Partner
) -> None:
    api = api_as(counsellor_gr)
    url = f"/cases/{case_gr.reference}/incoming-referrals"
    created = api.post(url, {"partner_id": ngo_gr.pk, "referred_on": "2026-11-12", "contact_person": "Maria P."})
    assert created.status_code == 201, created.content
    assert (created.json()["partner"], created.json()["case_reference"]) == ("JRS Greece", case_gr.reference)
    body = assert_error(api.post(url, {"partner_id": embassy_pk_ro.pk, "referred_on": "2026-11-12"}), 400)
    assert set(body["fields"]) == {"partner"}
    assert IncomingReferral.objects.count() == 1


def test_an_embassy_of_another_mission_is_refused_by_the_travel_api(
    api_as: ApiAs, movement_gr: User, case_gr: Case, embassy_pk_ro: Partner
) -> None:
    Case.objects.filter(pk=case_gr.pk).update(status="travel_preparation")
    member = case_gr.members.first()
    body = assert_error(api_as(movement_gr).post(f"/cases/{case_gr.pk}/travel-documents", {
        "member_id": member.pk, "kind": "passport", "embassy_id": embassy_pk_ro.pk, "requested_on": "2026-11-02",
    }), 400)  # fmt: skip
    assert "embassy" in body["fields"]
