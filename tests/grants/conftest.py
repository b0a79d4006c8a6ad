"""A Greek programme with money in it, the Khan family entitled to it, and the people who handle the cash.

Pre-departure cash is 100 EUR an adult and 50 a minor (the Khans: 250 EUR), per diem
10 EUR a day for up to 10 days; budget lines in EUR (tests/money.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case, CaseMember
from homeward.grants import services
from homeward.grants.models import Grant
from homeward.programmes.models import Programme
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.factories import UserFactory
from tests.money import entitled, money_programme

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def receipt(name: str = "receipt.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def programme(gr: Mission) -> Programme:
    return money_programme()


@pytest.fixture
def case(case_gr: Case, counsellor_gr: User, programme: Programme) -> Case:
    return entitled(case_gr, counsellor_gr, programme)


def member(case: Case, given: str) -> CaseMember:
    return case.members.select_related("person").get(person__given_names=given)


@pytest.fixture
def supervisor_pk(pk: Mission) -> User:
    return UserFactory(username="supervisor.pk", roles=[(pk, Role.CASE_SUPERVISOR)])


@pytest.fixture
def finance_pk(pk: Mission) -> User:
    return UserFactory(username="finance.pk", roles=[(pk, Role.FINANCE_OFFICER)])


def propose(user: User, case: Case, kind: str = Grant.Kind.PRE_DEPARTURE_CASH, **kw: Any) -> Grant:
    return services.grant_propose(acting_user=user, case=case, kind=kind, **kw)


def approve(user: User, grant: Grant, **kw: Any) -> Grant:
    return services.grant_approve(acting_user=user, grant=grant, **kw)


def pay(user: User, grant: Grant, *, method: str = Grant.Method.BANK_TRANSFER, on: dt.date | None = None,
        **kw: Any) -> Grant:  # fmt: skip
    from django.utils import timezone

    return services.grant_pay(acting_user=user, grant=grant, paid_on=on or timezone.localdate(), method=method, **kw)


@pytest.fixture
def approved(case: Case, counsellor_gr: User, supervisor_gr: User) -> Grant:
    """The Khans' pre-departure cash (250 EUR for the household), approved."""
    return approve(supervisor_gr, propose(counsellor_gr, case))


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def money(value: str) -> Decimal:
    return Decimal(value)


def arrival_programme(*, confirmed: bool = True) -> Programme:
    """Like tests/money.py's programme, with an arrival grant of 80 EUR an adult and 40 a minor."""
    from homeward.programmes.services import programme_load

    return programme_load(
        acting_user=None,
        data={
            "programme": {"code": "GR/ARRIVAL", "name": "Arrival test", "donor": "EU", "missions": ["GR"],
                          "currency": "EUR", "start": "2024-01-01", "end": "2030-12-31"},
            "budget": [{"category": "cash_grants", "amount": {"value": 10_000}, "currency": "EUR"}],
            "rules": [{
                "effective_from": "2024-01-01",
                "eligibility": {"legal_status": {"accepted": ["return_decision"]}},
                "benefits": {"arrival_grant": {"currency": "EUR", "per_person": {
                    "adult": {"value": 80, "confirmed": confirmed}, "minor": {"value": 40, "confirmed": confirmed}}}},
            }],
        },
    )  # fmt: skip


def cash_component(case: Case, user: User, programme: Programme, budget: str = "1000", *,
                   delivery: str = "cash", plan_status: str = "approved") -> Any:  # fmt: skip
    """A household plan (approved) with one micro-business component, written straight to the tables:
    the plan's own services have their own tests."""
    from homeward.reintegration.models import Component, Plan

    plan = Plan.objects.filter(case=case, member__isnull=True).first() or Plan.objects.create(
        case=case, programme=programme, currency="EUR", status=plan_status, prepared_by=user
    )
    return Component.objects.create(plan=plan, kind=Component.Kind.MICRO_BUSINESS, budget=Decimal(budget),
                                    delivery=delivery, status=Component.Status.APPROVED)  # fmt: skip
