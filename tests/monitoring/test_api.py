"""Monitoring over JSON: the same services, scoping and error shape as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.monitoring.models import Visit
from tests.api.conftest import API, assert_error, make_token
from tests.monitoring.conftest import PDF, plan_with_components, png

pytestmark = pytest.mark.django_db
Api = Callable[..., Any]


def first(case: Case) -> Visit:
    return Visit.objects.filter(case=case, status="planned").order_by("scheduled_for").first()  # type: ignore[return-value]


def upload(user: User, visit: Visit, *files: Any, caption: str = "") -> Any:
    return Client().post(f"{API}/visits/{visit.pk}/photos", {"photos": list(files), "caption": caption},
                         headers={"Authorization": f"Bearer {make_token(user)}"})  # fmt: skip


def test_list_record_and_read_visits(returned: Case, me_pk: User, reintegration_pk: User, api_as: Api) -> None:
    shop, _course = plan_with_components(returned, reintegration_pk)
    body = api_as(me_pk).get(f"/cases/{returned.pk}/visits").json()
    assert body["schedule_months"] == [3, 6, 12]
    assert body["arrived_on"] == timezone.localdate().isoformat()
    assert [(v["months_after"], v["status"], v["overdue"]) for v in body["visits"]] == [
        (3, "planned", False), (6, "planned", False), (12, "planned", False),
    ]  # fmt: skip
    visit = first(returned)
    response = api_as(me_pk).post(f"/cases/{returned.pk}/visits", {
        "visit_id": visit.pk, "visited_on": timezone.localdate().isoformat(), "mode": "home",
        "findings": "Doing well.", "components": [{"component_id": shop.pk, "delivered": "yes", "in_use": "yes",
                                                   "business_running": "yes"}],
    })  # fmt: skip
    assert response.status_code == 201, response.content
    out = response.json()
    assert (out["id"], out["status"], out["visited_by"]) == (visit.pk, "done", "me.pk")
    assert out["components"] == [{"component_id": shop.pk, "component_kind": "micro_business", "delivered": "yes",
                                  "in_use": "yes", "business_running": "yes", "note": ""}]  # fmt: skip
    assert api_as(reintegration_pk).get(f"/visits/{visit.pk}").json()["findings"] == "Doing well."


def test_refusals_in_the_one_error_shape(returned: Case, reintegration_pk: User, counsellor_gr: User,
                                         counsellor_ro: User, api_as: Api, case_ro: Case) -> None:  # fmt: skip
    visit = first(returned)
    body = assert_error(api_as(reintegration_pk).post(f"/cases/{returned.pk}/visits",
                                                      {"visit_id": visit.pk, "visited_on": "2099-01-01",
                                                       "mode": "drone"}), 400)  # fmt: skip
    assert set(body["fields"]) == {"visited_on", "mode"}
    assert_error(api_as(counsellor_gr).post(f"/cases/{returned.pk}/visits",
                                            {"visited_on": timezone.localdate().isoformat(), "mode": "home"}), 403)  # fmt: skip
    assert_error(api_as(counsellor_ro).get(f"/cases/{returned.pk}/visits"), 404)
    assert_error(api_as(counsellor_ro).get(f"/visits/{visit.pk}"), 404)
    other = Visit.objects.create(case=case_ro, months_after=None)
    body = assert_error(api_as(reintegration_pk).post(f"/cases/{returned.pk}/visits", {
        "visit_id": other.pk, "visited_on": timezone.localdate().isoformat(), "mode": "home"}), 400)  # fmt: skip
    assert set(body["fields"]) == {"visit_id"}


def test_photos_upload_and_download(returned: Case, reintegration_pk: User, counsellor_ro: User, api_as: Api) -> None:
    visit = first(returned)
    api_as(reintegration_pk).post(f"/cases/{returned.pk}/visits", {
        "visit_id": visit.pk, "visited_on": timezone.localdate().isoformat(), "mode": "home"})  # fmt: skip
    response = upload(reintegration_pk, visit, png(), png("b.png"), caption="the shop")
    assert response.status_code == 201, response.content
    photos = response.json()["photos"]
    assert [(p["caption"], p["content_type"]) for p in photos] == [("the shop", "image/png")] * 2
    download = api_as(reintegration_pk).get(photos[0]["url"].removeprefix(API))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert_error(api_as(counsellor_ro).get(photos[0]["url"].removeprefix(API)), 404)
    body = assert_error(upload(reintegration_pk, visit, png("scan.png", PDF)), 400)
    assert body["fields"] == {"photos.0": ["A photo is a JPEG or PNG image."]}
    assert_error(upload(counsellor_ro, visit, png()), 404)


def test_a_visit_missed_over_the_api(returned: Case, reintegration_pk: User, api_as: Api) -> None:
    visit = first(returned)
    assert_error(api_as(reintegration_pk).post(f"/visits/{visit.pk}/missed", {"note": ""}), 400)
    response = api_as(reintegration_pk).post(f"/visits/{visit.pk}/missed", {"note": "phone switched off"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == ("missed", "phone switched off")


def test_closure_over_the_api(returned: Case, supervisor_gr: User, reintegration_pk: User, api_as: Api) -> None:
    url = f"/cases/{returned.pk}/closure"
    assert_error(api_as(reintegration_pk).post(url, {"reason": "other", "summary": "x"}), 403)
    body = assert_error(api_as(supervisor_gr).post(url, {"reason": "holiday", "summary": ""}), 400)
    assert set(body["fields"]) == {"reason", "summary"}
    response = api_as(supervisor_gr).post(url, {"reason": "stops_participating", "summary": "Declined further visits."})
    assert response.status_code == 201, response.content
    assert response.json() | {"closed_on": None} == {
        "case_id": returned.pk, "case_status": "closed", "reason": "stops_participating",
        "summary": "Declined further visits.", "closed_by": "supervisor.gr", "closed_on": None,
    }  # fmt: skip
    listed = api_as(reintegration_pk).get(f"/cases/{returned.pk}/visits").json()
    assert listed["closure"]["reason"] == "stops_participating"
    assert {v["status"] for v in listed["visits"]} == {"cancelled"}
