"""The case's ceiling from its entitlements, what its plans hold, and the balance left."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from homeward.accounts.models import Mission, User
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.programmes.services import programme_load
from homeward.reintegration import selectors, services
from homeward.reintegration.models import Component
from tests.factories import family_of_three, register_case
from tests.money import entitled
from tests.reintegration.conftest import component, ready_plan

pytestmark = pytest.mark.django_db


def programme_with(reintegration: dict[str, Any], **eligibility: Any) -> Programme:
    """A programme whose only benefit is the reintegration rule given."""
    return programme_load(
        acting_user=None,
        data={
            "programme": {"code": "GR/CEILING", "name": "Ceiling test", "donor": "EU", "missions": ["GR"],
                          "currency": "EUR", "start": "2024-01-01", "end": "2030-12-31"},
            "budget": [{"category": "reintegration", "amount": {"value": 50000}, "currency": "EUR"}],
            "rules": [{
                "effective_from": "2024-01-01",
                "eligibility": {"legal_status": {"accepted": ["return_decision"]}, **eligibility},
                "benefits": {"reintegration": {"currency": "EUR", **reintegration}},
            }],
        },
    )  # fmt: skip


def individual_case(counsellor: User, mission: Mission) -> Case:
    return register_case(counsellor, mission, family_of_three("Rahimi")[:1], counsellor=counsellor)


def test_an_individual_gets_the_individual_ceiling(counsellor_gr: User, gr: Mission, prog: Programme) -> None:
    case = entitled(individual_case(counsellor_gr, gr), counsellor_gr, prog)
    assert selectors.ceiling_for(case) == (Decimal("2000.00"), "EUR")


def test_a_family_gets_the_family_ceiling(case: Case) -> None:
    assert selectors.ceiling_for(case) == (Decimal("3500.00"), "EUR")


def test_per_member_amounts_are_held_to_the_family_cap(case_gr: Case, counsellor_gr: User, gr: Mission) -> None:
    prog = programme_with({"per_member": {"value": 1500}, "family_cap": {"value": 4000}})
    assert selectors.ceiling_for(entitled(case_gr, counsellor_gr, prog)) == (Decimal("4000.00"), "EUR")
    single = entitled(individual_case(counsellor_gr, gr), counsellor_gr, prog)
    assert selectors.ceiling_for(single) == (Decimal("1500.00"), "EUR")


def test_a_vulnerable_member_brings_a_top_up(case_gr: Case, counsellor_gr: User) -> None:
    # Sana, born in 2015, is a child: the top-up comes on top of the family ceiling.
    prog = programme_with({
        "per_individual": {"value": 2000}, "per_family": {"value": 3500},
        "vulnerability_top_up": {"amount": {"value": 500}, "for_vulnerabilities": ["child"]},
    })  # fmt: skip
    case = entitled(case_gr, counsellor_gr, prog)
    found = selectors.ceiling(case)
    assert (found.amount, found.currency) == (Decimal("4000.00"), "EUR")
    assert [line.member for line in found.lines] == ["", "Sana Khan"]


def test_a_case_not_assessed_has_no_ceiling(case_gr: Case) -> None:
    assert selectors.ceiling_for(case_gr) is None
    assert selectors.remaining_for(case_gr) is None


def test_no_plan_where_there_is_no_mission_in_the_country_of_origin(case_gr: Case, counsellor_gr: User) -> None:
    # No origin mission in Pakistan in this test (no "pk" fixture): reintegration cannot be delivered there.
    prog = programme_with(
        {"per_individual": {"value": 2000}, "per_family": {"value": 3500}}, reintegration_requires_origin_office=True
    )
    case = entitled(case_gr, counsellor_gr, prog)
    assert selectors.ceiling_for(case) is None
    with pytest.raises(ServiceError, match="there is no mission in Pakistan"):
        services.plan_create(acting_user=counsellor_gr, case=case)


def test_the_plans_hold_every_component_not_cancelled_and_the_balance_is_what_is_left(
    case: Case, counsellor_gr: User
) -> None:
    plan = ready_plan(counsellor_gr, case, "1000", "700")
    dropped = component(counsellor_gr, plan, "300")
    services.component_cancel(acting_user=counsellor_gr, component=dropped, reason="not needed")
    assert selectors.committed_in_plans(case) == Decimal("1700.00")
    assert selectors.approved_in_plans(case) == Decimal(0)
    assert selectors.remaining_for(case) == Decimal("1800.00")
    assert Component.objects.get(pk=dropped.pk).status == Component.Status.CANCELLED
