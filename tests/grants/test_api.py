"""Grants over JSON: the same services and permissions as the pages, the one error shape."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.models import Case
from homeward.grants.models import Grant
from tests.api.conftest import API, ApiClient, assert_error
from tests.grants.conftest import approve, member, pay, propose, receipt
from tests.journey import S, set_status

pytestmark = pytest.mark.django_db
Api = Callable[..., ApiClient]


def multipart(client: ApiClient, path: str, data: dict[str, Any]) -> Any:
    return client.client.post(f"{API}{path}", data, headers=client._headers())


def test_the_case_grants_with_the_entitlement(api_as: Api, case: Case, counsellor_gr: User) -> None:
    propose(counsellor_gr, case, member=member(case, "Sana"))
    body = api_as(counsellor_gr).get(f"/cases/{case.pk}/grants").json()
    assert [(g["kind"], g["member_name"], g["amount"], g["status"]) for g in body["grants"]] == [
        ("pre_departure_cash", "Sana Khan", "50.00", "proposed")
    ]
    cash = next(row for row in body["entitlement"] if row["kind"] == "pre_departure_cash")
    assert (cash["entitled"], cash["granted"], cash["left"]) == ("250.00", "50.00", "200.00")
    assert body["offered_kinds"] == ["pre_departure_cash", "per_diem"]


def test_propose_computes_the_amount(api_as: Api, case: Case, counsellor_gr: User) -> None:
    response = api_as(counsellor_gr).post(
        f"/cases/{case.pk}/grants", {"kind": "per_diem", "member_id": member(case, "Imran").pk, "days": 5}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["days"], body["status"], body["proposed_by"]) == (
        "50.00",
        5,
        "proposed",
        "counsellor.gr",
    )


def test_a_refusal_has_the_one_error_shape(api_as: Api, case: Case, counsellor_gr: User, case_ro: Case) -> None:
    client = api_as(counsellor_gr)
    body = assert_error(client.post(f"/cases/{case.pk}/grants", {"kind": "per_diem", "days": 3}), 400)
    assert "member" in body["fields"]
    other = case_ro.members.first()
    body = assert_error(client.post(f"/cases/{case.pk}/grants", {"kind": "per_diem", "member_id": other.pk}), 400)
    assert "member_id" in body["fields"]
    assert_error(client.post(f"/cases/{case.pk}/grants", {"kind": 3, "amount": "lots"}), 422)


def test_an_invisible_case_or_grant_is_not_found(
    api_as: Api, case: Case, counsellor_gr: User, counsellor_ro: User
) -> None:
    grant = propose(counsellor_gr, case)
    client = api_as(counsellor_ro)
    assert_error(client.get(f"/cases/{case.pk}/grants"), 404)
    assert_error(client.post(f"/cases/{case.pk}/grants", {"kind": "pre_departure_cash"}), 404)
    assert_error(client.get(f"/grants/{grant.pk}"), 404)
    assert_error(client.post(f"/grants/{grant.pk}/approve", {}), 404)


def test_approve_is_for_the_supervisor(api_as: Api, case: Case, counsellor_gr: User, supervisor_gr: User) -> None:
    grant = propose(counsellor_gr, case)
    assert_error(api_as(counsellor_gr).post(f"/grants/{grant.pk}/approve", {}), 403)
    body = api_as(supervisor_gr).post(f"/grants/{grant.pk}/approve", {}).json()
    assert (body["status"], body["approved_by"]) == ("approved", "supervisor.gr")
    body = assert_error(api_as(supervisor_gr).post(f"/grants/{grant.pk}/approve", {}), 400)
    assert "it cannot be approved" in body["message"]


def test_pay_in_cash_with_the_receipt_then_download_it(api_as: Api, approved: Grant, finance_gr: User) -> None:
    client = api_as(finance_gr)
    today = timezone.localdate().isoformat()
    body = assert_error(multipart(client, f"/grants/{approved.pk}/pay", {"paid_on": today, "method": "cash"}), 400)
    assert "receipt" in body["fields"]
    response = multipart(
        client, f"/grants/{approved.pk}/pay", {"paid_on": today, "method": "cash", "receipt": receipt()}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["paid_by"], body["paid_amount"], body["method"]) == (
        "paid",
        "finance.gr",
        "250.00",
        "cash",
    )
    download = client.client.get(body["receipt_url"], headers=client._headers())
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    again = multipart(client, f"/grants/{approved.pk}/pay", {"paid_on": today, "method": "bank_transfer"})
    assert "already been paid" in assert_error(again, 400)["message"]


def test_pay_in_a_currency_without_a_rate(api_as: Api, approved: Grant, finance_gr: User) -> None:
    today = timezone.localdate()
    response = multipart(
        api_as(finance_gr), f"/grants/{approved.pk}/pay",
        {"paid_on": today.isoformat(), "method": "bank_transfer", "paid_currency": "USD"},
    )  # fmt: skip
    body = assert_error(response, 400)
    assert body["message"] == f"No exchange rate for USD→EUR on {today.isoformat()}: enter one first."
    assert "paid_currency" in body["fields"]


def test_a_receipt_added_after_a_bank_transfer(api_as: Api, approved: Grant, finance_gr: User) -> None:
    pay(finance_gr, approved)
    client = api_as(finance_gr)
    body = client.get(f"/grants/{approved.pk}").json()
    assert body["receipt_url"] is None
    response = multipart(client, f"/grants/{approved.pk}/receipt", {"receipt": receipt()})
    assert response.status_code == 200, response.content
    assert response.json()["receipt_url"]


def test_cancel_return_and_reissue(
    api_as: Api, case: Case, counsellor_gr: User, supervisor_gr: User, finance_gr: User, movement_gr: User
) -> None:
    proposal = propose(counsellor_gr, case, kind="per_diem", member=member(case, "Imran"), days=1)
    body = api_as(counsellor_gr).post(f"/grants/{proposal.pk}/cancel", {"reason": "Wrong member"}).json()
    assert (body["status"], body["cancel_reason"]) == ("cancelled", "Wrong member")
    airport = pay(finance_gr, approve(supervisor_gr, propose(counsellor_gr, case, at_airport=True)))
    set_status(case, S.NO_SHOW)
    listed = api_as(movement_gr).get("/grants/reconcile").json()
    assert [(g["id"], g["case_status"]) for g in listed] == [(airport.pk, "no_show")]
    assert_error(api_as(counsellor_gr).get("/grants/reconcile"), 403)
    assert_error(api_as(movement_gr).post(f"/grants/{airport.pk}/return", {"reason": "Back"}), 403)
    body = api_as(movement_gr).post(f"/grants/{airport.pk}/reissue", {"note": "Handed over again on 12 May"}).json()
    assert body["reissued_on"] == timezone.localdate().isoformat()
    assert api_as(finance_gr).get("/grants/reconcile").json() == []
    other = pay(finance_gr, approve(supervisor_gr, propose(counsellor_gr, case, kind="per_diem",
                                                           member=member(case, "Sana"), days=2)))  # fmt: skip
    body = api_as(finance_gr).post(f"/grants/{other.pk}/return", {"reason": "Not used"}).json()
    assert (body["status"], body["settled_by"]) == ("returned", "finance.gr")
    assert Grant.objects.get(pk=other.pk).amount == Decimal("20.00")
