"""The plan API: the same services and permissions as the pages, one error shape."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from homeward.accounts.models import User
from homeward.assistance import ledger
from homeward.cases.models import Case
from homeward.programmes.models import Programme
from homeward.reintegration.models import Component, Plan
from tests.api.conftest import assert_error
from tests.counselling.uploads import pdf
from tests.money import line

pytestmark = pytest.mark.django_db
Api = Callable[..., Any]

MICRO_BUSINESS = {
    "kind": "micro_business", "budget": "1500", "description": "A tailoring shop",
    "business_activity": "Tailoring", "business_location": "Lahore", "business_costs": "1400",
    "expected_income": "250",
}  # fmt: skip


def start(api: Any, case: Case) -> dict[str, Any]:
    response = api.post(f"/cases/{case.pk}/plans", {"needs_economic": "No income", "goals": "Own business"})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_plan_is_drawn_up_approved_and_delivered_over_the_api(
    api_as: Api, returned: Case, reintegration_pk: User, supervisor_pk: User, prog: Programme
) -> None:
    officer, supervisor = api_as(reintegration_pk), api_as(supervisor_pk)
    plan = start(officer, returned)
    assert (plan["status"], plan["currency"], plan["member_id"]) == ("draft", "EUR", None)
    added = officer.post(f"/plans/{plan['id']}/components", MICRO_BUSINESS)
    assert added.status_code == 201, added.content
    component = added.json()
    assert (component["status"], Decimal(component["budget"])) == ("planned", Decimal("1500"))
    patched = officer.patch(f"/components/{component['id']}", {"budget": "1600"})
    assert Decimal(patched.json()["budget"]) == Decimal("1600")
    assert_error(officer.post(f"/plans/{plan['id']}/approve", {}), 403)
    approved = supervisor.post(f"/plans/{plan['id']}/approve", {"note": "Good plan"})
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert (body["status"], body["approved_by"], body["components"][0]["status"]) == (
        "approved",
        "supervisor.pk",
        "approved",
    )
    assert body["deliver_by"] is not None
    assert ledger.figures(line(prog, "reintegration")).committed == Decimal("1600.00")
    started = officer.post(f"/components/{component['id']}/start", {})
    assert started.json()["status"] == "in_delivery"
    delivered = officer.post(f"/components/{component['id']}/deliver", {})
    assert delivered.json()["status"] == "delivered"
    assert delivered.json()["delivered_on"]
    figures = officer.get(f"/cases/{returned.pk}/plans").json()
    assert (Decimal(figures["ceiling"]), Decimal(figures["committed"]), Decimal(figures["remaining"])) == (
        Decimal("3500"), Decimal("1600"), Decimal("1900"),
    )  # fmt: skip
    assert [p["id"] for p in figures["plans"]] == [plan["id"]]


def test_refusals_come_in_words_in_the_one_error_shape(api_as: Api, case: Case, counsellor_gr: User) -> None:
    api = api_as(counsellor_gr)
    plan = start(api, case)
    body = assert_error(api.post(f"/plans/{plan['id']}/components", {"kind": "other", "budget": "10",
                                                                     "description": "cash", "delivery": "cash"}), 400)  # fmt: skip
    assert body["message"] == "This programme pays reintegration in kind only."
    assert body["fields"]["delivery"] == [body["message"]]
    assert_error(api.post(f"/plans/{plan['id']}/components", {"kind": "other"}), 422)
    stale = assert_error(api.patch(f"/plans/{plan['id']}", {"goals": "x", "version": plan["version"] + 5}), 409)
    assert "version" in stale["fields"]
    updated = api.patch(f"/plans/{plan['id']}", {"goals": "A job", "version": plan["version"]})
    assert (updated.json()["goals"], updated.json()["needs_economic"]) == ("A job", "No income")


def test_a_case_another_mission_cannot_see_is_a_404(
    api_as: Api, case: Case, counsellor_gr: User, counsellor_ro: User
) -> None:
    plan = start(api_as(counsellor_gr), case)
    other = api_as(counsellor_ro)
    assert_error(other.get(f"/cases/{case.pk}/plans"), 404)
    assert_error(other.post(f"/cases/{case.pk}/plans", {}), 404)
    assert_error(other.get(f"/plans/{plan['id']}"), 404)
    assert_error(other.get(f"/plans/{plan['id']}/agreement.pdf"), 404)


def test_over_the_ceiling_is_approved_only_with_a_reason(
    api_as: Api, case: Case, counsellor_gr: User, supervisor_gr: User
) -> None:
    plan = start(api_as(counsellor_gr), case)
    api_as(counsellor_gr).post(f"/plans/{plan['id']}/components", {"kind": "housing_repair", "budget": "4000"})
    supervisor = api_as(supervisor_gr)
    body = assert_error(supervisor.post(f"/plans/{plan['id']}/approve", {}), 400)
    assert "override_reason" in body["fields"]
    approved = supervisor.post(f"/plans/{plan['id']}/approve", {"override_reason": "The roof collapsed"})
    assert approved.json()["override_reason"] == "The roof collapsed"


def test_a_cancelled_component_releases_its_money_and_a_closed_plan_takes_no_more(
    api_as: Api, case: Case, counsellor_gr: User, supervisor_gr: User, prog: Programme
) -> None:
    plan = start(api_as(counsellor_gr), case)
    component = (
        api_as(counsellor_gr).post(f"/plans/{plan['id']}/components", {"kind": "schooling", "budget": "300"}).json()
    )
    supervisor = api_as(supervisor_gr)
    supervisor.post(f"/plans/{plan['id']}/approve", {})
    assert_error(supervisor.post(f"/components/{component['id']}/cancel", {"reason": " "}), 400)
    cancelled = supervisor.post(f"/components/{component['id']}/cancel", {"reason": "school is free"})
    assert cancelled.json()["status"] == "cancelled"
    assert ledger.figures(line(prog, "reintegration")).committed == 0
    assert supervisor.post(f"/plans/{plan['id']}/close", {}).json()["status"] == "closed"
    assert_error(
        api_as(counsellor_gr).post(f"/plans/{plan['id']}/components", {"kind": "schooling", "budget": "1"}), 400
    )
    assert Plan.objects.get(pk=plan["id"]).status == Plan.Status.CLOSED
    assert Component.objects.filter(plan_id=plan["id"]).count() == 1


def test_the_agreement_pdf_and_its_signed_scan(
    api_as: Api, case: Case, counsellor_gr: User, supervisor_gr: User
) -> None:
    from django.utils import timezone

    api = api_as(counsellor_gr)
    plan = start(api, case)
    api.post(f"/plans/{plan['id']}/components", {"kind": "medical", "budget": "200"})
    response = api.get(f"/plans/{plan['id']}/agreement.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    api_as(supervisor_gr).post(f"/plans/{plan['id']}/approve", {})
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploaded = api.client.post(
        f"/api/v1/plans/{plan['id']}/agreement",
        {
            "file": SimpleUploadedFile("signed.pdf", pdf(), "application/pdf"),
            "signed_on": timezone.localdate().isoformat(),
        },
        headers=api._headers(),
    )
    assert uploaded.status_code == 200, uploaded.content
    assert uploaded.json()["has_signed_agreement"] is True
