"""Two supervisors approving at the same moment: the ceiling holds, each component is committed once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from homeward.accounts.models import User
from homeward.assistance import ledger
from homeward.assistance.models import LedgerEntry
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.reintegration import selectors, services
from homeward.reintegration.models import Plan
from tests.concurrency import race
from tests.money import line
from tests.reintegration.conftest import ready_plan


@pytest.mark.django_db(transaction=True)
def test_two_plans_approved_at_once_do_not_both_fit_under_the_ceiling(
    case: Case, counsellor_gr: User, supervisor_gr: User, prog: Programme
) -> None:
    imran, ayesha, _sana = list(case.members.all())
    first = ready_plan(counsellor_gr, case, "2000", member=imran)
    second = ready_plan(counsellor_gr, case, "2000", member=ayesha)  # together 4,000 of 3,500
    results = race(
        lambda: services.plan_approve(acting_user=supervisor_gr, plan=Plan.objects.get(pk=first.pk)),
        lambda: services.plan_approve(acting_user=supervisor_gr, plan=Plan.objects.get(pk=second.pk)),
    )
    assert sorted(type(r).__name__ for r in results) == ["Plan", "ServiceError"], results
    assert "above its ceiling" in next(str(r) for r in results if isinstance(r, ServiceError))
    assert selectors.approved_in_plans(case) == Decimal("2000.00")
    assert ledger.figures(line(prog, "reintegration")).committed == Decimal("2000.00")


@pytest.mark.django_db(transaction=True)
def test_one_plan_approved_twice_at_once_is_committed_once(
    case: Case, counsellor_gr: User, supervisor_gr: User, prog: Programme
) -> None:
    plan = ready_plan(counsellor_gr, case, "1000")
    results = race(*[lambda: services.plan_approve(acting_user=supervisor_gr, plan=Plan.objects.get(pk=plan.pk))] * 2)
    assert sorted(type(r).__name__ for r in results) == ["Plan", "ServiceError"], results
    assert LedgerEntry.objects.filter(source=plan.components.get().source).count() == 1
    assert ledger.figures(line(prog, "reintegration")).committed == Decimal("1000.00")
