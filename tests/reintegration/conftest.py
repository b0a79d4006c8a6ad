"""A case entitled to reintegration under the money programme, its origin mission's people, and helpers.

The Khan family (three members) is entitled to the family ceiling of 3,500 EUR;
the reintegration budget line holds 50,000 EUR.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.programmes.models import Programme
from homeward.reintegration import services
from homeward.reintegration.models import Component, Plan
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.counselling.uploads import private_storage_in
from tests.factories import UserFactory
from tests.money import arrived, entitled, money_programme, return_on


@pytest.fixture(autouse=True)
def private_files(settings: object, tmp_path: Path) -> Path:
    return private_storage_in(settings, tmp_path)


@pytest.fixture
def prog(gr: Mission, pk: Mission) -> Programme:
    return money_programme()


@pytest.fixture
def case(case_gr: Case, counsellor_gr: User, prog: Programme) -> Case:
    """The Khan family, assessed eligible with reintegration, before departure."""
    return entitled(case_gr, counsellor_gr, prog)


@pytest.fixture
def supervisor_pk(pk: Mission) -> User:
    return UserFactory(username="supervisor.pk", roles=[(pk, Role.CASE_SUPERVISOR)])


@pytest.fixture
def returned(case: Case, supervisor_gr: User, pk: Mission, reintegration_pk: User) -> Case:
    """The case referred to and accepted by PK, departed ten days ago and arrived the next day."""
    arrived(case, supervisor_gr, pk)
    return_on(case, supervisor_gr, timezone.localdate() - dt.timedelta(days=10))
    return case


def component(user: User, plan: Plan, budget: str | int = "1000", **values: Any) -> Component:
    data = {"kind": Component.Kind.HOUSEHOLD_ITEMS, "budget": Decimal(str(budget)), **values}
    return services.component_add(acting_user=user, plan=plan, data=services.ComponentInput(**data))


def ready_plan(user: User, case: Case, *budgets: str | int, member: Any = None) -> Plan:
    """A plan with its needs and goals recorded and a component per budget."""
    plan = services.plan_create(
        acting_user=user, case=case, member=member, needs_economic="No income since return.",
        goals="A stable income within a year.",
    )  # fmt: skip
    for budget in budgets:
        component(user, plan, budget)
    plan.refresh_from_db()
    return plan
