"""Procurement over JSON: the same services and scoping as the pages, and the one error shape."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from homeward.accounts.models import User
from homeward.assistance import procurement
from homeward.assistance.models import Invoice, LedgerEntry, Provider
from homeward.reintegration.models import Component
from tests.api.conftest import API, assert_error
from tests.assistance.procurement.steps import (
    PNG,
    delivered,
    invoiced,
    ordered,
    quote,
    today,
)

pytestmark = pytest.mark.django_db

Api = Callable[..., Any]


def test_a_component_is_bought_and_paid_over_the_api(
    api_as: Api, reintegration_pk: User, supervisor_pk: User, finance_pk: User, component: Component,
    vetted: Provider,
) -> None:  # fmt: skip
    officer = api_as(reintegration_pk)
    response = officer.post(
        f"/components/{component.pk}/quotes",
        {"provider": vetted.pk, "amount": "1200.00", "currency": "EUR", "received_on": today().isoformat()},
    )
    assert response.status_code == 201, response.content
    quote_id = response.json()["id"]
    assert response.json()["provider_vetting_status"] == "vetted"

    assert_error(officer.post(f"/quotes/{quote_id}/choose", {"reason": ""}), 400)
    chosen = officer.post(f"/quotes/{quote_id}/choose", {"reason": "Cheapest"})
    assert chosen.json()["chosen"] is True

    response = officer.post(f"/quotes/{quote_id}/order", {})
    assert response.status_code == 201, response.content
    order = response.json()
    assert order["number"].startswith("PO-PK-")
    assert order["amount"] == "1200.00"
    assert officer.get(f"/components/{component.pk}/quotes").json()[0]["purchase_order"] == order["id"]

    # The returnee's confirmation travels as multipart, with the signature.
    response = officer.client.post(
        f"{API}/components/{component.pk}/deliveries",
        {"purchase_order": order["id"], "received_on": today().isoformat(), "description": "Machines",
         "confirmed_by_returnee": "true", "evidence": _png()},
        headers=officer._headers(),
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["has_evidence"] is True

    response = officer.post(
        f"/purchase-orders/{order['id']}/invoices",
        {"provider_reference": "LT-1", "amount": "1200.00", "currency": "EUR", "issued_on": today().isoformat()},
    )
    assert response.status_code == 201, response.content
    invoice_id = response.json()["id"]

    assert api_as(supervisor_pk).post(f"/invoices/{invoice_id}/approve").json()["status"] == "approved"
    paid = api_as(finance_pk).post(f"/invoices/{invoice_id}/pay", {"paid_on": today().isoformat()})
    assert paid.status_code == 200, paid.content
    assert (paid.json()["status"], paid.json()["paid_by"]) == ("paid", "finance.pk")

    body = officer.get(f"/purchase-orders/{order['id']}").json()
    assert (body["invoiced"], body["paid"], body["left_to_pay"], body["goods_received"]) == (
        "1200.00", "1200.00", "0.00", True,
    )  # fmt: skip
    assert [i["provider_reference"] for i in officer.get(f"/purchase-orders/{order['id']}/invoices").json()] == ["LT-1"]


def _png() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("signature.png", PNG, content_type="image/png")


def test_refusals_have_the_error_shape(
    api_as: Api, reintegration_pk: User, finance_pk: User, component: Component, vetted: Provider,
    unvetted: Provider,
) -> None:  # fmt: skip
    officer = api_as(reintegration_pk)
    q = quote(reintegration_pk, component, unvetted)
    body = assert_error(officer.post(f"/quotes/{q.pk}/choose", {"reason": "Cheapest"}), 400)
    assert "has not been vetted" in body["message"]
    assert "provider" in body["fields"]

    order = ordered(reintegration_pk, component, vetted, "1200")
    body = assert_error(
        officer.post(
            f"/purchase-orders/{order.pk}/invoices",
            {"provider_reference": "X", "amount": "1300", "currency": "EUR", "issued_on": today().isoformat()},
        ),
        400,
    )
    assert "An invoice above its purchase order" in body["message"]
    assert "1300.00 EUR" in body["message"]

    invoice = invoiced(finance_pk, order)
    body = assert_error(api_as(finance_pk).post(f"/invoices/{invoice.pk}/approve"), 403)
    assert "the person who raises an invoice cannot approve its payment" in body["message"]

    body = assert_error(
        officer.post(f"/components/{component.pk}/deliveries", {}), 422
    )  # no form fields: the parser says which are missing


def test_the_approver_cannot_pay_and_a_double_payment_is_refused(
    api_as: Api, reintegration_pk: User, finance_pk: User, cashier_pk: User, component: Component,
    vetted: Provider,
) -> None:  # fmt: skip
    order = ordered(reintegration_pk, component, vetted)
    delivered(reintegration_pk, order)
    invoice = procurement.invoice_approve(acting_user=finance_pk, invoice=invoiced(reintegration_pk, order))
    pay = {"paid_on": today().isoformat()}
    body = assert_error(api_as(finance_pk).post(f"/invoices/{invoice.pk}/pay", pay), 403)
    assert "the person who approved an invoice cannot pay it" in body["message"]
    cashier = api_as(cashier_pk)
    assert cashier.post(f"/invoices/{invoice.pk}/pay", pay).status_code == 200
    body = assert_error(cashier.post(f"/invoices/{invoice.pk}/pay", pay), 400)
    assert "has already been paid" in body["message"]
    assert LedgerEntry.objects.filter(kind="payment").count() == 1

    reversed_ = cashier.post(f"/invoices/{invoice.pk}/reverse", {"reason": "Wrong account"})
    assert reversed_.json()["status"] == "approved"
    assert LedgerEntry.objects.filter(kind="payment").count() == 2  # the payment and its counter-entry


def test_an_order_above_the_budget_needs_the_supervisors_override(
    api_as: Api, reintegration_pk: User, supervisor_pk: User, component: Component, vetted: Provider
) -> None:
    q = quote(reintegration_pk, component, vetted, "1600")
    procurement.quote_choose(acting_user=reintegration_pk, quote=q, reason="Only offer")
    body = assert_error(api_as(reintegration_pk).post(f"/quotes/{q.pk}/order", {}), 400)
    assert "override_reason" in body["fields"]
    response = api_as(supervisor_pk).post(f"/quotes/{q.pk}/order", {"override_reason": "Prices rose"})
    assert response.status_code == 201
    assert response.json()["override_reason"] == "Prices rose"
    cancelled = api_as(supervisor_pk).post(f"/purchase-orders/{response.json()['id']}/cancel", {"reason": "Closed"})
    assert cancelled.json()["status"] == "cancelled"


def test_components_and_invoices_of_cases_out_of_sight_are_404_or_absent(
    api_as: Api, counsellor_ro: User, reintegration_pk: User, finance_pk: User, component: Component,
    vetted: Provider,
) -> None:  # fmt: skip
    order = ordered(reintegration_pk, component, vetted)
    invoice = invoiced(reintegration_pk, order)
    outsider = api_as(counsellor_ro)
    for path in (f"/components/{component.pk}/quotes", f"/purchase-orders/{order.pk}",
                 f"/purchase-orders/{order.pk}/invoices"):  # fmt: skip
        assert_error(outsider.get(path), 404)
    assert_error(outsider.post(f"/invoices/{invoice.pk}/approve"), 404)
    assert outsider.get("/invoices").json()["count"] == 0

    finance = api_as(finance_pk)
    assert [i["id"] for i in finance.get("/invoices", {"status": "received"}).json()["results"]] == [invoice.pk]
    assert finance.get("/invoices", {"status": "paid"}).json()["count"] == 0
    assert_error(finance.get("/invoices", {"status": "lost"}), 400)
    assert Invoice.objects.get().amount == Decimal("1200.00")
