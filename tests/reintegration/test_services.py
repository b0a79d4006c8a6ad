"""Plans and components through the services: who may, what is refused in words, what is committed."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.assistance import ledger
from homeward.assistance.models import LedgerEntry
from homeward.assistance.services import provider_create, provider_vetting_set
from homeward.cases import referrals
from homeward.cases.models import Case, CaseStatus
from homeward.core.errors import ServiceError
from homeward.programmes.models import Programme
from homeward.reintegration import selectors, services
from homeward.reintegration.models import Component, Plan
from homeward.work import services as work
from homeward.work.models import Task, TaskKind
from tests.assistance.conftest import details
from tests.assistance.procurement.steps import delivered, ordered
from tests.journey import set_status
from tests.money import entitled, line, money_programme, return_on
from tests.reintegration.conftest import component, ready_plan

pytestmark = pytest.mark.django_db
C = Component.Status
TODAY = timezone.localdate()


# ---------------------------------------------------------------- who draws up the plan


def test_a_counsellor_of_the_host_mission_starts_the_plan_before_departure(case: Case, counsellor_gr: User) -> None:
    plan = services.plan_create(acting_user=counsellor_gr, case=case, goals="Open a shop.")
    assert (plan.status, plan.currency, plan.member, plan.goals) == (Plan.Status.DRAFT, "EUR", None, "Open a shop.")
    assert plan.programme.code == "GR/MONEY"


def test_the_origin_mission_does_not_plan_before_departure(
    case: Case, reintegration_pk: User, movement_gr: User
) -> None:
    for user in (reintegration_pk, movement_gr):
        with pytest.raises(PermissionDenied):
            services.plan_create(acting_user=user, case=case)


def test_after_the_return_the_origin_mission_plans_and_the_host_counsellor_no_longer(
    returned: Case, reintegration_pk: User, counsellor_gr: User, supervisor_gr: User
) -> None:
    with pytest.raises(PermissionDenied, match="origin mission"):
        services.plan_create(acting_user=counsellor_gr, case=returned)
    plan = services.plan_create(acting_user=reintegration_pk, case=returned)
    assert plan.prepared_by == reintegration_pk
    # A host supervisor may still work on it.
    services.plan_update(acting_user=supervisor_gr, plan=plan, needs_economic="No work", needs_social="",
                         needs_psychosocial="", goals="Work")  # fmt: skip


def test_a_case_not_assessed_eligible_gets_no_plan(case_gr: Case, counsellor_gr: User) -> None:
    with pytest.raises(ServiceError, match="has not been assessed"):
        services.plan_create(acting_user=counsellor_gr, case=case_gr)


def test_a_household_plan_or_one_plan_per_member(case: Case, counsellor_gr: User) -> None:
    imran, ayesha, _sana = list(case.members.all())
    services.plan_create(acting_user=counsellor_gr, case=case, member=imran)
    with pytest.raises(ServiceError, match="already has a plan"):
        services.plan_create(acting_user=counsellor_gr, case=case, member=imran)
    with pytest.raises(ServiceError, match="individual plans"):
        services.plan_create(acting_user=counsellor_gr, case=case)
    services.plan_create(acting_user=counsellor_gr, case=case, member=ayesha)
    assert case.plans.count() == 2


def test_two_people_editing_the_needs_at_once_do_not_overwrite_each_other(case: Case, counsellor_gr: User) -> None:
    plan = services.plan_create(acting_user=counsellor_gr, case=case)
    read = plan.version
    services.plan_update(acting_user=counsellor_gr, plan=plan, needs_economic="a", needs_social="", needs_psychosocial="",
                         goals="", version=read)  # fmt: skip
    with pytest.raises(ServiceError) as refused:
        services.plan_update(acting_user=counsellor_gr, plan=Plan.objects.get(pk=plan.pk), needs_economic="b",
                             needs_social="", needs_psychosocial="", goals="", version=read)  # fmt: skip
    assert getattr(refused.value, "status", 400) == 409
    assert Plan.objects.get(pk=plan.pk).needs_economic == "a"


# ---------------------------------------------------------------- components


def test_cash_is_refused_where_the_programme_pays_in_kind_only(case: Case, counsellor_gr: User) -> None:
    plan = ready_plan(counsellor_gr, case)
    with pytest.raises(ServiceError, match="in kind only") as refused:
        component(counsellor_gr, plan, "500", delivery=Component.Delivery.CASH)
    assert "delivery" in refused.value.fields
    assert not plan.components.exists()


def test_cash_is_allowed_where_the_programme_pays_in_cash(
    case_gr: Case, counsellor_gr: User, gr: Mission, pk: Mission
) -> None:
    prog = money_programme(payment="cash", code="GR/CASH")
    case = entitled(case_gr, counsellor_gr, prog)
    plan = ready_plan(counsellor_gr, case)
    assert component(counsellor_gr, plan, "500", delivery=Component.Delivery.CASH).delivery == "cash"


def test_a_mixed_programme_pays_at_most_its_cash_share(
    case_gr: Case, counsellor_gr: User, gr: Mission, pk: Mission
) -> None:
    prog = money_programme(payment="mixed", cash_share_max="0.3", code="GR/MIXED")
    case = entitled(case_gr, counsellor_gr, prog)
    plan = ready_plan(counsellor_gr, case, "700")
    component(counsellor_gr, plan, "300", delivery=Component.Delivery.CASH)  # 300 of 1,000: 30 %
    with pytest.raises(ServiceError, match="At most 30% of a plan is paid in cash"):
        component(counsellor_gr, plan, "1", delivery=Component.Delivery.CASH)


def test_a_component_dated_before_the_return_is_refused(returned: Case, reintegration_pk: User) -> None:
    plan = ready_plan(reintegration_pk, returned)
    before = TODAY - dt.timedelta(days=11)
    with pytest.raises(ServiceError, match="dated before the return") as refused:
        component(reintegration_pk, plan, "500", due_by=before)
    assert "due_by" in refused.value.fields
    assert component(reintegration_pk, plan, "500", due_by=TODAY + dt.timedelta(days=30)).due_by


def test_a_component_due_after_the_validity_period_is_refused(returned: Case, reintegration_pk: User) -> None:
    plan = ready_plan(reintegration_pk, returned)
    deliver_by = selectors.deadlines(returned).deliver_by
    with pytest.raises(ServiceError, match="Components are delivered by"):
        component(reintegration_pk, plan, "500", due_by=deliver_by + dt.timedelta(days=1))


def test_a_micro_business_needs_its_business_plan_and_a_partnership_its_partners(
    case: Case, counsellor_gr: User
) -> None:
    plan = ready_plan(counsellor_gr, case)
    with pytest.raises(ServiceError) as refused:
        component(counsellor_gr, plan, "1500", kind=Component.Kind.MICRO_BUSINESS)
    assert set(refused.value.fields) == {"business_activity", "business_location", "business_costs", "expected_income"}
    business = {"kind": Component.Kind.MICRO_BUSINESS, "business_activity": "Tailoring", "business_location": "Lahore",
                "business_costs": Decimal("1400"), "expected_income": Decimal("250")}  # fmt: skip
    with pytest.raises(ServiceError, match="Name the partners"):
        component(counsellor_gr, plan, "1500", partnership=True, **business)
    made = component(counsellor_gr, plan, "1500", partnership=True, partners="His brother Asif", **business)
    assert (made.business_activity, made.partners) == ("Tailoring", "His brother Asif")


def test_a_budget_is_not_negative(case: Case, counsellor_gr: User) -> None:
    with pytest.raises(ServiceError, match="cannot be negative"):
        component(counsellor_gr, ready_plan(counsellor_gr, case), "-1")


# ---------------------------------------------------------------- approval and the ledger


def test_only_a_supervisor_approves(case: Case, counsellor_gr: User, finance_gr: User) -> None:
    plan = ready_plan(counsellor_gr, case, "1000")
    for user in (counsellor_gr, finance_gr):
        with pytest.raises(PermissionDenied):
            services.plan_approve(acting_user=user, plan=plan)


def test_approval_needs_the_needs_the_goals_and_a_component(
    case: Case, counsellor_gr: User, supervisor_gr: User
) -> None:
    bare = services.plan_create(acting_user=counsellor_gr, case=case)
    with pytest.raises(ServiceError, match="needs assessment and the goals"):
        services.plan_approve(acting_user=supervisor_gr, plan=bare)
    services.plan_update(acting_user=counsellor_gr, plan=bare, needs_economic="x", needs_social="",
                         needs_psychosocial="", goals="y")  # fmt: skip
    with pytest.raises(ServiceError, match="at least one component"):
        services.plan_approve(acting_user=supervisor_gr, plan=bare)


def test_approval_commits_each_component_on_the_reintegration_line(
    case: Case, counsellor_gr: User, supervisor_gr: User, prog: Programme
) -> None:
    plan = ready_plan(counsellor_gr, case, "1200", "800")
    services.plan_approve(acting_user=supervisor_gr, plan=plan, note="As discussed")
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by, plan.approval_note) == (Plan.Status.APPROVED, supervisor_gr, "As discussed")
    assert {(c.status, c.approved_on) for c in plan.components.all()} == {(C.APPROVED, TODAY)}
    figures = ledger.figures(line(prog, "reintegration"))
    assert figures.committed == Decimal("2000.00")
    assert figures.remaining == Decimal("48000.00")
    entries = LedgerEntry.objects.filter(case=case)
    assert {e.source for e in entries} == {c.source for c in plan.components.all()}
    assert selectors.remaining_for(case) == Decimal("1500.00")


def test_over_the_ceiling_needs_a_supervisors_reason_which_is_kept(
    case: Case, counsellor_gr: User, supervisor_gr: User, prog: Programme
) -> None:
    plan = ready_plan(counsellor_gr, case, "3000", "600")  # 3,600 of 3,500
    with pytest.raises(ServiceError, match=r"above its ceiling of 3500\.00 EUR") as refused:
        services.plan_approve(acting_user=supervisor_gr, plan=plan)
    assert "override_reason" in refused.value.fields
    assert ledger.figures(line(prog, "reintegration")).committed == 0
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.DRAFT
    services.plan_approve(acting_user=supervisor_gr, plan=plan, override_reason="Medical equipment costs more")
    plan.refresh_from_db()
    assert plan.override_reason == "Medical equipment costs more"
    assert ledger.figures(line(prog, "reintegration")).committed == Decimal("3600.00")
    assert selectors.remaining_for(case) == Decimal("-100.00")


def test_a_programme_without_a_reintegration_line_commits_nothing(
    case_gr: Case, counsellor_gr: User, supervisor_gr: User, gr: Mission, pk: Mission
) -> None:
    prog = money_programme(budget={"cash_grants": 1000}, code="GR/NOLINE")
    case = entitled(case_gr, counsellor_gr, prog)
    plan = ready_plan(counsellor_gr, case, "1000")
    with pytest.raises(ServiceError, match="has no reintegration budget line"):
        services.plan_approve(acting_user=supervisor_gr, plan=plan)


def test_a_component_added_to_an_approved_plan_is_approved_on_its_own(
    case: Case, counsellor_gr: User, supervisor_gr: User, prog: Programme
) -> None:
    plan = ready_plan(counsellor_gr, case, "3000")
    services.plan_approve(acting_user=supervisor_gr, plan=plan)
    extra = component(counsellor_gr, plan, "600")
    assert extra.status == C.PLANNED
    with pytest.raises(PermissionDenied):
        services.component_approve(acting_user=counsellor_gr, component=extra)
    with pytest.raises(ServiceError, match="above its ceiling"):
        services.component_approve(acting_user=supervisor_gr, component=extra)
    services.component_approve(acting_user=supervisor_gr, component=extra, override_reason="School fees rose")
    assert Component.objects.get(pk=extra.pk).status == C.APPROVED
    assert ledger.figures(line(prog, "reintegration")).committed == Decimal("3600.00")
    assert Plan.objects.get(pk=plan.pk).override_reason == "School fees rose"


def test_an_approved_component_is_not_changed(case: Case, counsellor_gr: User, supervisor_gr: User) -> None:
    plan = ready_plan(counsellor_gr, case, "1000")
    services.plan_approve(acting_user=supervisor_gr, plan=plan)
    approved = plan.components.get()
    data = services.component_input_of(approved)
    with pytest.raises(ServiceError, match="Only a planned component can be changed"):
        services.component_update(acting_user=counsellor_gr, component=approved, data=data)


# ---------------------------------------------------------------- delivery, cancelling, closing


@pytest.fixture
def approved(returned: Case, reintegration_pk: User, supervisor_pk: User) -> Plan:
    plan = ready_plan(reintegration_pk, returned, "1000", "500")
    return services.plan_approve(acting_user=supervisor_pk, plan=plan)


def test_the_origin_mission_delivers_with_dates(approved: Plan, reintegration_pk: User, supervisor_gr: User) -> None:
    first, second = approved.components.order_by("pk")
    with pytest.raises(PermissionDenied):
        services.component_start_delivery(acting_user=supervisor_gr, component=first)
    services.component_start_delivery(acting_user=reintegration_pk, component=first)
    with pytest.raises(ServiceError, match="in the future"):
        services.component_deliver(acting_user=reintegration_pk, component=first, on=TODAY + dt.timedelta(days=1))
    services.component_deliver(acting_user=reintegration_pk, component=first)
    first.refresh_from_db()
    assert (first.status, first.delivery_started_on, first.delivered_on) == (C.DELIVERED, TODAY, TODAY)
    with pytest.raises(ServiceError, match="not cancelled"):
        services.component_cancel(acting_user=reintegration_pk, component=first, reason="x")
    # Delivered straight from approved: the delivery began that day.
    services.component_deliver(acting_user=reintegration_pk, component=second)
    assert Component.objects.get(pk=second.pk).delivery_started_on == TODAY


def test_cancelling_an_approved_component_releases_its_commitment(
    approved: Plan, reintegration_pk: User, supervisor_pk: User, prog: Programme
) -> None:
    first, _second = approved.components.order_by("pk")
    with pytest.raises(PermissionDenied, match="supervisor"):
        services.component_cancel(acting_user=reintegration_pk, component=first, reason="moved away")
    with pytest.raises(ServiceError, match="Say why"):
        services.component_cancel(acting_user=supervisor_pk, component=first, reason=" ")
    services.component_cancel(acting_user=supervisor_pk, component=first, reason="moved away")
    first.refresh_from_db()
    assert (first.status, first.cancelled_on, first.cancel_reason) == (C.CANCELLED, TODAY, "moved away")
    assert ledger.open_commitment(first.source) == 0
    assert ledger.figures(line(prog, "reintegration")).committed == Decimal("500.00")
    assert LedgerEntry.objects.filter(source=first.source).count() == 2  # the commitment and its release


def test_closing_a_plan_releases_what_is_still_committed(
    approved: Plan, reintegration_pk: User, supervisor_pk: User, prog: Programme
) -> None:
    first, second = approved.components.order_by("pk")
    services.component_deliver(acting_user=reintegration_pk, component=first)
    services.component_start_delivery(acting_user=reintegration_pk, component=second)
    with pytest.raises(ServiceError, match="still in delivery"):
        services.plan_close(acting_user=supervisor_pk, plan=approved)
    services.component_cancel(acting_user=supervisor_pk, component=second, reason="provider closed")
    services.plan_close(acting_user=supervisor_pk, plan=approved, reason="all done")
    assert Plan.objects.get(pk=approved.pk).status == Plan.Status.CLOSED
    assert ledger.figures(line(prog, "reintegration")).committed == 0
    with pytest.raises(ServiceError, match="closed"):
        component(reintegration_pk, approved, "10")


# ---------------------------------------------------------------- deadlines and tasks


def test_deadlines_a_month_after_arrival_and_the_validity_period_after_return(
    case: Case, counsellor_gr: User, supervisor_gr: User, pk: Mission
) -> None:
    assert selectors.deadlines(case) == selectors.Deadlines(None, dt.date(2030, 12, 31), None)
    return_on(case, counsellor_gr, dt.date(2026, 3, 10))
    when = selectors.deadlines(case)
    assert (when.returned_on, when.finalise_by, when.deliver_by) == (
        dt.date(2026, 3, 10), dt.date(2026, 4, 10), dt.date(2027, 3, 10),
    )  # fmt: skip
    assert selectors.return_date(case) == dt.date(2026, 3, 10)


def test_the_delivery_deadline_never_passes_the_programme_end(case: Case, counsellor_gr: User) -> None:
    return_on(case, counsellor_gr, dt.date(2030, 6, 1))
    assert selectors.deadlines(case).deliver_by == dt.date(2030, 12, 31)


def test_approval_completes_the_plan_task_and_opens_the_delivery_task(
    returned: Case, reintegration_pk: User, supervisor_pk: User, pk: Mission
) -> None:
    work.task_open(case=returned, kind=TaskKind.REINTEGRATION_PLAN, due_at=timezone.now(), mission=pk,
                   role=Role.REINTEGRATION_OFFICER)  # fmt: skip
    plan = ready_plan(reintegration_pk, returned, "1000")
    services.plan_approve(acting_user=supervisor_pk, plan=plan)
    plan.refresh_from_db()
    assert Task.objects.get(case=returned, kind=TaskKind.REINTEGRATION_PLAN).status == Task.Status.DONE
    task = Task.objects.get(case=returned, kind=TaskKind.DELIVER_REINTEGRATION)
    assert (task.status, task.mission, task.role) == (Task.Status.OPEN, pk, Role.REINTEGRATION_OFFICER)
    assert timezone.localdate(task.due_at) == plan.deliver_by == selectors.deadlines(returned).deliver_by
    assert plan.finalise_by == selectors.deadlines(returned).finalise_by
    services.component_deliver(acting_user=reintegration_pk, component=plan.components.get())
    assert Task.objects.get(pk=task.pk).status == Task.Status.DONE


def test_a_complete_delivery_the_returnee_confirmed_delivers_the_component_and_settles_its_task(
    returned: Case, reintegration_pk: User, supervisor_pk: User, pk: Mission
) -> None:
    plan = ready_plan(reintegration_pk, returned, "1000")
    services.plan_approve(acting_user=supervisor_pk, plan=plan)
    supplier = provider_create(acting_user=reintegration_pk, mission=pk, data=details("Lahore Tools & Co"))
    provider_vetting_set(acting_user=supervisor_pk, provider=supplier, status="vetted")
    machine = plan.components.get()
    delivered(reintegration_pk, ordered(reintegration_pk, machine, supplier, "900"), complete=True)
    machine.refresh_from_db()
    assert (machine.status, machine.delivered_on) == (Component.Status.DELIVERED, timezone.localdate())
    assert Task.objects.get(case=returned, kind=TaskKind.DELIVER_REINTEGRATION).status == Task.Status.DONE


def test_before_any_origin_mission_the_counsellor_holds_the_delivery_task(
    case: Case, counsellor_gr: User, supervisor_gr: User, gr: Mission
) -> None:
    services.plan_approve(acting_user=supervisor_gr, plan=ready_plan(counsellor_gr, case, "1000"))
    task = Task.objects.get(case=case, kind=TaskKind.DELIVER_REINTEGRATION)
    assert (task.mission, task.role, task.assignee) == (gr, Role.COUNSELLOR, counsellor_gr)


# ---------------------------------------------------------------- the referral package


def test_the_referral_package_carries_a_summary_of_the_plan(
    case: Case, counsellor_gr: User, supervisor_gr: User, pk: Mission
) -> None:
    assert referrals.package_of(case)["plan"] is None
    plan = ready_plan(counsellor_gr, case, "1000")
    set_status(case, CaseStatus.RETURN_DECLARED)
    package = referrals.referral_send(acting_user=supervisor_gr, case=case, mission=pk).package
    json.dumps(package)
    summary = package["plan"]
    assert (summary["ceiling"], summary["currency"], summary["committed"]) == ("3500.00", "EUR", "1000.00")
    assert summary["plans"][0]["id"] == plan.pk
    first = summary["plans"][0]["components"][0]
    assert (first["kind"], first["budget"], first["delivery"], first["status"]) == (
        "household_items", "1000.00", "in_kind", "planned",
    )  # fmt: skip
