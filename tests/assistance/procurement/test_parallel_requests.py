"""Two finance officers press "pay" on the same invoice at the same moment: two real HTTP requests to
the running server, each in its own thread and database connection. One payment is booked."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import procurement
from homeward.assistance.models import Invoice, LedgerEntry, Provider
from homeward.reintegration.models import Component
from tests.api.conftest import make_token
from tests.assistance.procurement.steps import delivered, invoiced, ordered, today
from tests.concurrency import race
from tests.factories import UserFactory


def _pay(url: str, token: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - the test server, over http
        url, method="POST", data=json.dumps({"paid_on": today().isoformat()}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_two_payment_requests_at_the_same_moment_pay_once(
    live_server: Any, reintegration_pk: User, finance_pk: User, cashier_pk: User, pk: Mission,
    component: Component, vetted: Provider,
) -> None:  # fmt: skip
    order = ordered(reintegration_pk, component, vetted, "1200")
    delivered(reintegration_pk, order)
    invoice = procurement.invoice_approve(acting_user=finance_pk, invoice=invoiced(reintegration_pk, order, "1200"))
    second = UserFactory(username="cashier2.pk", roles=[(pk, Role.FINANCE_OFFICER)])
    url = f"{live_server.url}/api/v1/invoices/{invoice.pk}/pay"
    tokens = make_token(cashier_pk), make_token(second)
    statuses = race(lambda: _pay(url, tokens[0]), lambda: _pay(url, tokens[1]))
    assert sorted(statuses) == [200, 400], statuses
    assert LedgerEntry.objects.filter(source=invoice.source, kind="payment").count() == 1
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.PAID
