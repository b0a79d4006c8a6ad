"""Idempotency-Key on payment and transition endpoints: a retried request never acts twice."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from homeward.accounts.models import User
from homeward.assistance.models import LedgerEntry
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.core import idempotency
from homeward.core.models import IdempotencyKey
from homeward.grants.models import Grant
from tests import journey
from tests.api.conftest import API, ApiClient, assert_error
from tests.factories import register_case
from tests.grants.conftest import receipt

pytestmark = pytest.mark.django_db
Api = Callable[..., ApiClient]


def post(client: ApiClient, path: str, body: Any, key: str | None) -> Any:
    headers = client._headers() | ({"Idempotency-Key": key} if key else {})
    return client.client.post(f"{API}{path}", json.dumps(body), content_type="application/json", headers=headers)


def pay(client: ApiClient, grant: Grant, key: str | None, method: str = "cash") -> Any:
    data = {"paid_on": timezone.localdate().isoformat(), "method": method, "receipt": receipt()}
    headers = client._headers() | ({"Idempotency-Key": key} if key else {})
    return client.client.post(f"{API}/grants/{grant.pk}/pay", data, headers=headers)


def ledger_rows(grant: Grant) -> int:
    return LedgerEntry.objects.filter(source=f"grant:{grant.pk}").count()


def payments(grant: Grant) -> int:
    return LedgerEntry.objects.filter(source=f"grant:{grant.pk}", kind="payment").count()


@pytest.fixture
def registered(case_gr: Case) -> Case:
    return journey.set_status(case_gr, CaseStatus.REGISTERED)


# --- payments -------------------------------------------------------------------------------------------


def test_a_retried_payment_pays_once_and_gets_the_first_answer(api_as: Api, approved: Grant, finance_gr: User) -> None:
    client = api_as(finance_gr)
    first = pay(client, approved, "pay-7f3a")
    assert first.status_code == 200, first.content
    booked = ledger_rows(approved)
    assert booked > 0

    retry = pay(client, approved, "pay-7f3a")

    assert retry.status_code == 200, retry.content
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert ledger_rows(approved) == booked
    assert payments(approved) == 1
    assert IdempotencyKey.objects.filter(user=finance_gr, key="pay-7f3a", method="POST").count() == 1


def test_without_a_key_the_second_payment_is_refused_as_before(api_as: Api, approved: Grant, finance_gr: User) -> None:
    client = api_as(finance_gr)
    assert pay(client, approved, None).status_code == 200
    assert "already been paid" in assert_error(pay(client, approved, None), 400)["message"]
    assert not IdempotencyKey.objects.exists()


def test_the_same_key_with_another_body_is_refused_and_does_nothing(
    api_as: Api, approved: Grant, finance_gr: User
) -> None:
    client = api_as(finance_gr)
    assert pay(client, approved, "pay-1", method="cash").status_code == 200
    booked = ledger_rows(approved)

    body = assert_error(pay(client, approved, "pay-1", method="bank_transfer"), 422)

    assert "different request" in body["message"]
    assert "Idempotency-Key" in body["fields"]
    assert ledger_rows(approved) == booked


def test_a_refused_request_keeps_nothing_for_its_key(api_as: Api, approved: Grant, finance_gr: User) -> None:
    client = api_as(finance_gr)
    no_receipt = {"paid_on": timezone.localdate().isoformat(), "method": "cash"}
    refused = client.client.post(
        f"{API}/grants/{approved.pk}/pay", no_receipt, headers=client._headers() | {"Idempotency-Key": "k"}
    )
    assert_error(refused, 400)
    assert not IdempotencyKey.objects.exists()
    # Fixed and sent again with the same key: it is a new attempt, and it pays.
    assert pay(client, approved, "k").status_code == 200


def test_keys_belong_to_their_user(api_as: Api, approved: Grant, finance_gr: User, supervisor_gr: User) -> None:
    assert pay(api_as(finance_gr), approved, "shared").status_code == 200
    # The supervisor's "shared" is another key: no replay of the finance officer's answer, a normal refusal.
    assert_error(post(api_as(supervisor_gr), f"/grants/{approved.pk}/cancel", {"reason": "x"}, "shared"), 400)


# --- transitions ----------------------------------------------------------------------------------------


def test_a_retried_transition_transitions_once(api_as: Api, counsellor_gr: User, registered: Case) -> None:
    client = api_as(counsellor_gr)
    body = {"to": "withdrawn", "note": "wants to stay", "version": 1}
    first = post(client, f"/cases/{registered.pk}/transitions", body, "move-1")
    assert first.status_code == 201, first.content

    retry = post(client, f"/cases/{registered.pk}/transitions", body, "move-1")

    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert Transition.objects.filter(case=registered).count() == 1
    assert client.get(f"/cases/{registered.pk}").json()["version"] == 2


def test_a_transition_retried_without_the_key_is_a_stale_version(
    api_as: Api, counsellor_gr: User, registered: Case
) -> None:
    client = api_as(counsellor_gr)
    body = {"to": "withdrawn", "note": "wants to stay", "version": 1}
    assert post(client, f"/cases/{registered.pk}/transitions", body, None).status_code == 201
    assert_error(post(client, f"/cases/{registered.pk}/transitions", body, None), 409)


def test_the_same_key_on_another_path_is_refused(api_as: Api, counsellor_gr: User, registered: Case) -> None:
    client = api_as(counsellor_gr)
    assert (
        post(
            client, f"/cases/{registered.pk}/transitions", {"to": "withdrawn", "note": "wants to stay"}, "k1"
        ).status_code
        == 201
    )
    other = journey.set_status(register_case(counsellor_gr, registered.host_mission), CaseStatus.REGISTERED)
    assert_error(
        post(client, f"/cases/{other.pk}/transitions", {"to": "withdrawn", "note": "wants to stay"}, "k1"), 422
    )
    assert Transition.objects.filter(case=other).count() == 0


def test_a_key_too_long_is_refused(api_as: Api, counsellor_gr: User, registered: Case) -> None:
    body = assert_error(post(api_as(counsellor_gr), f"/cases/{registered.pk}/transitions", {"to": "withdrawn", "note": "wants to stay"},
                             "x" * 256), 422)  # fmt: skip
    assert "Idempotency-Key" in body["fields"]
    assert Transition.objects.filter(case=registered).count() == 0


# --- expiry ---------------------------------------------------------------------------------------------


def test_keys_expire_and_are_swept(api_as: Api, counsellor_gr: User, registered: Case) -> None:
    client = api_as(counsellor_gr)
    assert (
        post(
            client, f"/cases/{registered.pk}/transitions", {"to": "withdrawn", "note": "wants to stay"}, "old"
        ).status_code
        == 201
    )
    row = IdempotencyKey.objects.get()
    assert dt.timedelta(hours=23) < row.expires_at - timezone.now() <= dt.timedelta(hours=24)

    assert idempotency.sweep(now=timezone.now()) == 0
    assert idempotency.sweep(now=timezone.now() + dt.timedelta(hours=25)) == 1
    assert not IdempotencyKey.objects.exists()


def test_an_expired_key_is_a_new_request(api_as: Api, counsellor_gr: User, registered: Case) -> None:
    client = api_as(counsellor_gr)
    path = f"/cases/{registered.pk}/transitions"
    assert post(client, path, {"to": "withdrawn", "note": "wants to stay", "version": 1}, "k").status_code == 201
    IdempotencyKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    # No replay: the move is attempted again, and refused for its stale version.
    assert_error(post(client, path, {"to": "withdrawn", "note": "wants to stay", "version": 1}, "k"), 409)


def test_the_header_is_documented_on_the_operations(client: Any) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    pay_op = schema["paths"]["/api/v1/grants/{grant_id}/pay"]["post"]
    transition_op = schema["paths"]["/api/v1/cases/{case_id}/transitions"]["post"]
    for op in (pay_op, transition_op):
        assert "Idempotency-Key" in [p["name"] for p in op.get("parameters", []) if p["in"] == "header"]
    assert "Idempotency-Key" in schema["info"]["description"]


# --- two identical requests at the same moment --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_identical_payments_at_once_pay_once_and_answer_alike(
    api_as: Api, approved: Grant, finance_gr: User
) -> None:
    from tests.concurrency import race

    first, second = api_as(finance_gr), api_as(finance_gr)
    a, b = race(lambda: pay(first, approved, "race-1"), lambda: pay(second, approved, "race-1"))

    # Tokens differ, the user is the same: one key. The loser waited for the winner and replays its answer.
    assert (a.status_code, b.status_code) == (200, 200), (a.content, b.content)
    assert a.json() == b.json()
    assert payments(approved) == 1
    assert Grant.objects.get(pk=approved.pk).status == Grant.Status.PAID
    assert IdempotencyKey.objects.filter(key="race-1").count() == 1


def test_the_sweep_queues_itself_once() -> None:
    from django_tasks_db.models import DBTaskResult

    assert idempotency.ensure_sweep_scheduled() is True
    assert idempotency.ensure_sweep_scheduled() is False
    assert DBTaskResult.objects.filter(task_path=idempotency.sweep_idempotency_keys.module_path).count() == 1
