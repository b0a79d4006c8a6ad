"""Property: a plan never exceeds its ceiling without an override, and what approval commits is in the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeward.accounts.models import User
from homeward.assistance import ledger
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.reintegration import selectors, services
from homeward.reintegration.models import Component, Plan
from tests.money import line
from tests.reintegration.conftest import component, ready_plan

CEILING = Decimal("3500.00")  # the Khan family's
steps = st.lists(st.tuples(st.integers(0, 2500), st.booleans()), min_size=1, max_size=6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(st.integers(0, 2500), min_size=1, max_size=3), first_override=st.booleans(), later=steps)
@pytest.mark.django_db
def test_a_plan_never_exceeds_its_ceiling_without_an_override(
    case: Case, counsellor_gr: User, supervisor_gr: User, prog: Programme,
    first: list[int], first_override: bool, later: list[tuple[int, bool]],
) -> None:  # fmt: skip
    reintegration = line(prog, "reintegration")
    with transaction.atomic():  # each example starts from the same case: its writes are rolled back
        plan = ready_plan(counsellor_gr, case, *first)
        for n, (budget, override) in enumerate([(None, first_override), *later]):
            if n:
                added = component(counsellor_gr, plan, budget)
            draft = Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT
            # A draft plan's approval takes every planned component; later, each is approved on its own.
            components = list(plan.components.filter(status=Component.Status.PLANNED)) if draft else [added]
            before = selectors.approved_in_plans(case)
            adding = sum((c.budget for c in components), Decimal(0))
            reason = f"field visit {n} showed more is needed" if override else ""
            try:
                if draft:
                    services.plan_approve(acting_user=supervisor_gr, plan=plan, override_reason=reason)
                else:
                    services.component_approve(acting_user=supervisor_gr, component=added, override_reason=reason)
            except ServiceError:
                # Refused only above the ceiling without a reason: nothing approved, nothing committed.
                assert before + adding > CEILING
                assert not override
                assert selectors.approved_in_plans(case) == before
                assert all(Component.objects.get(pk=c.pk).status == Component.Status.PLANNED for c in components)
            else:
                after = selectors.approved_in_plans(case)
                assert after == before + adding
                assert after <= CEILING or (override and reason in Plan.objects.get(pk=plan.pk).override_reason)
            approved = selectors.approved_in_plans(case)
            assert approved <= CEILING or Plan.objects.get(pk=plan.pk).override_reason
            assert ledger.figures(reintegration).committed == approved
        transaction.set_rollback(True)
