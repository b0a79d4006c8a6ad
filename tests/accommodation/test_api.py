"""Accommodation over JSON: the same services, scoping and error shape as the pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from homeward.accommodation.models import Facility
from homeward.accounts.models import User
from homeward.cases.models import Case
from tests.api.conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db
Api = Callable[..., ApiClient]


def test_check_in_list_and_check_out(api_as: Api, counsellor_gr: User, case_gr: Case, centre: Facility) -> None:
    client = api_as(counsellor_gr)
    members = [m.pk for m in case_gr.members.all()]
    response = client.post(f"/cases/{case_gr.reference}/placements", {
        "member_ids": members, "facility_id": centre.pk, "room_type": "family",
        "checked_in_on": str(timezone.localdate()),
    })  # fmt: skip
    assert response.status_code == 201, response.content
    assert len(response.json()) == 3
    [facility] = client.get("/facilities").json()
    family = next(r for r in facility["rooms"] if r["room_type"] == "family")
    assert (family["beds"], family["occupied"], family["free"]) == (4, 3, 1)
    placement_id = client.get(f"/cases/{case_gr.reference}/placements").json()[0]["id"]
    body = assert_error(client.post(f"/placements/{placement_id}/check-out",
                                    {"checked_out_on": "2020-01-01", "end_reason": "left"}), 400)  # fmt: skip
    assert "checked_out_on" in body["fields"]
    done = client.post(f"/placements/{placement_id}/check-out",
                       {"checked_out_on": str(timezone.localdate()), "end_reason": "left"})  # fmt: skip
    assert done.status_code == 200
    assert done.json()["end_reason"] == "left"


def test_another_missions_case_and_placements_are_not_found(
    api_as: Api, counsellor_gr: User, counsellor_ro: User, case_gr: Case, centre: Facility
) -> None:
    client = api_as(counsellor_ro)
    assert client.get(f"/cases/{case_gr.reference}/placements").status_code == 404
    assert client.get("/facilities").json() == []
    assert_error(client.post(f"/cases/{case_gr.reference}/placements", {
        "member_ids": [], "facility_id": centre.pk, "room_type": "family", "checked_in_on": "2026-01-01",
    }), 404)  # fmt: skip


def test_a_finance_officer_may_read_but_not_place(
    api_as: Api, finance_gr: User, case_gr: Case, centre: Facility
) -> None:
    client = api_as(finance_gr)
    assert client.get(f"/cases/{case_gr.reference}/placements").json() == []
    assert_error(client.post(f"/cases/{case_gr.reference}/placements", {
        "member_ids": [case_gr.members.first().pk], "facility_id": centre.pk, "room_type": "family",
        "checked_in_on": str(timezone.localdate()),
    }), 403)  # fmt: skip
