"""Every read of reintegration plans: scoped to the user, and the figures a plan is held to.

Other apps call ``plans_of``, ``ceiling_for``, ``remaining_for`` and ``return_date``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases import workflow
from homeward.cases.models import Case, CaseStatus, Transition
from homeward.programmes import rules as programme_rules
from homeward.programmes.schema import Reintegration
from homeward.programmes.schema import RuleVersion as RuleVersionSchema
from homeward.reintegration import rules
from homeward.reintegration.models import Component, Plan

S = CaseStatus
C = Component.Status
# Components that count against the ceiling once approved: the money is committed or spent.
APPROVED = (C.APPROVED, C.IN_DELIVERY, C.DELIVERED)
OPEN = (C.PLANNED, C.APPROVED, C.IN_DELIVERY)


# ---------------------------------------------------------------- scoping


def _plans() -> QuerySet[Plan]:
    return Plan.objects.select_related(
        "case", "case__host_mission", "case__referred_to_mission", "member__person", "programme",
        "prepared_by", "approved_by",
    ).prefetch_related(Prefetch("components", queryset=Component.objects.order_by("created_at", "pk")))  # fmt: skip


def plans_of(user: Any, case: Case) -> QuerySet[Plan]:
    """The case's plans with their components, for a user who may see the case (404 otherwise)."""
    if not permissions.can_view_case(user, case):
        raise Http404
    return _plans().filter(case=case).order_by("created_at", "pk")


def plan_for_user(user: Any, plan_id: int) -> Plan:
    """One plan of a case the user may see, or 404."""
    plan = _plans().filter(permissions.case_scope(user, prefix="case__"), pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def component_for_user(user: Any, component_id: int) -> Component:
    """One component of a case the user may see, or 404."""
    related = ("plan", "plan__case", "plan__case__host_mission", "plan__case__referred_to_mission",
               "plan__member__person", "plan__programme")  # fmt: skip
    component = (
        Component.objects.select_related(*related)
        .filter(permissions.case_scope(user, prefix="plan__case__"), pk=component_id)
        .first()
    )
    if component is None:
        raise Http404
    return component


# ---------------------------------------------------------------- who may do what


def planning_side(case: Case) -> str:
    """Before departure the host mission draws up the plan with the migrant; once they have left, the origin mission."""
    return workflow.HOST if case.status in workflow.BEFORE_DEPARTURE else workflow.ORIGIN


def may_plan(user: Any, case: Case) -> bool:
    """Draw up and change plans: a counsellor of the host mission before departure; after it, the origin
    mission's reintegration officers; a supervisor of the host mission at any time."""
    if permissions.has_perm_in(user, Perm.SUPERVISE, case.host_mission_id):
        return True
    if planning_side(case) == workflow.HOST:
        return permissions.has_perm_in(user, Perm.COUNSEL, case.host_mission_id)
    return permissions.has_perm_in(user, Perm.RECEIVE_RETURNEE, case.referred_to_mission_id)


def may_approve(user: Any, case: Case) -> bool:
    """A supervisor of the host or the origin mission."""
    return permissions.has_case_perm(user, Perm.SUPERVISE, case)


def may_deliver(user: Any, case: Case) -> bool:
    """Delivery happens in the country of origin: the origin mission records it."""
    return permissions.has_perm_in(user, Perm.RECEIVE_RETURNEE, case.referred_to_mission_id)


def may_cancel(user: Any, component: Component) -> bool:
    """A planned component is dropped by whoever plans; an approved one releases money: a supervisor's."""
    case = component.plan.case
    if component.status == C.PLANNED:
        return may_plan(user, case)
    return may_approve(user, case)


# ---------------------------------------------------------------- the programme's rule and the ceiling


def reintegration_rule(case: Case) -> Reintegration | None:
    """The reintegration rule the case was last assessed under (``None``: no assessment or no such benefit)."""
    from homeward.cases.eligibility import latest_assessment

    assessment = latest_assessment(case)
    if assessment is None:
        return None
    return RuleVersionSchema.model_validate(assessment.rules).benefits.reintegration


@dataclass(frozen=True)
class Ceiling:
    amount: Decimal
    currency: str
    lines: list[programme_rules.Line]
    confirmed: bool


def ceiling(case: Case) -> Ceiling | None:
    """The most the case's plans may cost: the "reintegration" lines of its entitlements (the individual or
    family ceiling, or per member with the family cap, plus vulnerability top-ups), in the rules' currency."""
    from homeward.cases.eligibility import entitlements_of, latest_assessment

    assessment = latest_assessment(case)
    if assessment is None:
        return None
    lines = [line for line in entitlements_of(assessment).lines if line.benefit == "reintegration"]
    if not lines:
        return None
    total = sum((line.amount for line in lines), Decimal(0))
    return Ceiling(total, lines[0].currency, lines, all(line.confirmed for line in lines))


def ceiling_for(case: Case) -> tuple[Decimal, str] | None:
    """(amount, currency) of the case's reintegration ceiling, or ``None`` when it has none."""
    found = ceiling(case)
    return None if found is None else (found.amount, found.currency)


def _sum(components: QuerySet[Component]) -> Decimal:
    return components.aggregate(total=Sum("budget", default=Decimal(0)))["total"]


def committed_in_plans(case: Case) -> Decimal:
    """What the case's plans hold: every component not cancelled, planned or approved, across its plans."""
    return _sum(Component.objects.filter(plan__case=case).exclude(status=C.CANCELLED))


def approved_in_plans(case: Case) -> Decimal:
    """What approval has already committed (approved, in delivery, delivered) across the case's plans."""
    return _sum(Component.objects.filter(plan__case=case, status__in=APPROVED))


def remaining_for(case: Case) -> Decimal | None:
    """The ceiling less what the plans hold (``None`` without a ceiling)."""
    found = ceiling_for(case)
    return None if found is None else found[0] - committed_in_plans(case)


# ---------------------------------------------------------------- dates


def _moved_on(case: Case, status: str) -> dt.date | None:
    moved = Transition.objects.filter(case=case, to_status=status).order_by("-at", "-pk").first()
    return timezone.localdate(moved.at) if moved else None


def return_date(case: Case) -> dt.date | None:
    """The day the returnee left (the move to "departed"), else the day of arrival; ``None`` before."""
    return _moved_on(case, S.DEPARTED) or _moved_on(case, S.ARRIVED)


def arrival_date(case: Case) -> dt.date | None:
    return _moved_on(case, S.ARRIVED)


@dataclass(frozen=True)
class Deadlines:
    finalise_by: dt.date | None
    deliver_by: dt.date | None
    returned_on: dt.date | None = None


def deadlines(case: Case, rule: Reintegration | None = None) -> Deadlines:
    """Finalise a month after arrival; deliver within the rules' period after the return, within the programme."""
    programme = case.programme
    rule = rule if rule is not None else reintegration_rule(case)
    returned = return_date(case)
    deliver = None
    if programme is not None:
        deliver = rules.deliver_by(returned, rule.use_within_months if rule else None, programme.end)
    return Deadlines(rules.finalise_by(arrival_date(case)), deliver, returned)


# ---------------------------------------------------------------- what the pages show


def plan_total(plan: Plan) -> Decimal:
    return sum((c.budget for c in plan.components.all() if c.status != C.CANCELLED), Decimal(0))


def planned_total(plan: Plan) -> Decimal:
    """What the plan's approval (or its components' approval) would still commit."""
    return sum((c.budget for c in plan.components.all() if c.status == C.PLANNED), Decimal(0))


def is_overdue(day: dt.date | None, *, done: bool) -> bool:
    return day is not None and not done and day < timezone.localdate()


@dataclass
class PlanRow:
    plan: Plan
    total: Decimal
    planned: Decimal
    finalise_overdue: bool
    deliver_overdue: bool
    components: list[dict[str, Any]] = field(default_factory=list)

    @property
    def delivered(self) -> int:
        return sum(1 for item in self.components if item["component"].status == C.DELIVERED)


@dataclass
class Overview:
    case: Case
    ceiling: Ceiling | None
    committed: Decimal
    approved: Decimal
    remaining: Decimal | None
    deadlines: Deadlines
    plans: list[PlanRow]
    rule: Reintegration | None
    # The ceiling's lines as this reader may see them (a top-up for a hidden vulnerability names no one).
    ceiling_lines: list[programme_rules.Line] = field(default_factory=list)

    @property
    def currency(self) -> str:
        if self.ceiling is not None:
            return self.ceiling.currency
        return self.rule.currency if self.rule else ""

    @property
    def over_ceiling(self) -> bool:
        return self.remaining is not None and self.remaining < 0

    @property
    def cash_share_percent(self) -> int:
        return int((self.rule.cash_share_max or 0) * 100) if self.rule else 0

    @property
    def finalise_overdue(self) -> bool:
        approved = any(row.plan.status != Plan.Status.DRAFT for row in self.plans)
        return is_overdue(self.deadlines.finalise_by, done=approved)

    @property
    def deliver_overdue(self) -> bool:
        pending = any(item["component"].status in OPEN for row in self.plans for item in row.components)
        return is_overdue(self.deadlines.deliver_by, done=not pending)


def overview(user: Any, case: Case) -> Overview:
    """The case's plans and figures as its plan page and case card show them."""
    plans = list(plans_of(user, case))
    rule = reintegration_rule(case)
    found = ceiling(case)
    committed = sum((plan_total(p) for p in plans), Decimal(0))
    approved = sum((c.budget for p in plans for c in p.components.all() if c.status in APPROVED), Decimal(0))
    when = deadlines(case, rule)
    rows = []
    for plan in plans:
        open_components = any(c.status in OPEN for c in plan.components.all())
        finalise = plan.finalise_by or when.finalise_by
        deliver = plan.deliver_by or when.deliver_by
        rows.append(
            PlanRow(
                plan=plan,
                total=plan_total(plan),
                planned=planned_total(plan),
                finalise_overdue=is_overdue(finalise, done=plan.status != Plan.Status.DRAFT),
                deliver_overdue=is_overdue(deliver, done=not open_components or plan.status == Plan.Status.CLOSED),
                components=[
                    {"component": c, "overdue": is_overdue(c.due_by, done=c.status not in OPEN)}
                    for c in plan.components.all()
                ],
            )
        )
    remaining = None if found is None else found.amount - committed
    lines: list[programme_rules.Line] = []
    if found is not None:
        from homeward.cases.eligibility import for_reader

        lines, _escorts = for_reader(user, case, programme_rules.Entitlements(found.lines, []))
    return Overview(case, found, committed, approved, remaining, when, rows, rule, lines)


def whose(plan: Plan) -> str:
    from django.utils.translation import gettext as _

    return plan.member.person.full_name if plan.member_id else str(_("the household"))


def agreement_language(plan: Plan) -> tuple[str, str]:
    """The language the agreement is printed in, and the returnee's own language.

    The returnee's (the plan's member, else the principal applicant) where Homeward has a
    translation (``settings.LANGUAGES``); English otherwise.
    """
    from django.conf import settings

    person = plan.member.person if plan.member_id else None
    if person is None:
        principal = next((m for m in plan.case.members.select_related("person") if m.is_principal), None)
        person = principal.person if principal else None
    spoken = str(person.languages[0]) if person is not None and person.languages else ""
    available = {code for code, _name in settings.LANGUAGES}
    return (spoken if spoken in available else "en"), spoken


def plan_summary(case: Case) -> dict[str, Any] | None:
    """What the origin mission needs of the plans in the referral package: components with their kind,
    budget, delivery, status and dates; JSON-serialisable. ``None`` when the case has no plan yet."""
    plans = list(_plans().filter(case=case).order_by("created_at", "pk"))
    if not plans:
        return None
    found = ceiling_for(case)
    return {
        "ceiling": str(found[0]) if found else None,
        "currency": found[1] if found else plans[0].currency,
        "committed": str(sum((plan_total(p) for p in plans), Decimal(0))),
        "plans": [
            {
                "id": p.pk,
                "for": whose(p),
                "status": p.status,
                "currency": p.currency,
                "goals": p.goals,
                "total": str(plan_total(p)),
                "components": [
                    {
                        "kind": c.kind,
                        "kind_label": str(c.get_kind_display()),
                        "description": c.description,
                        "budget": str(c.budget),
                        "delivery": c.delivery,
                        "status": c.status,
                        "due_by": c.due_by.isoformat() if c.due_by else None,
                        "approved_on": c.approved_on.isoformat() if c.approved_on else None,
                    }
                    for c in p.components.all()
                ],
            }
            for p in plans
        ],
    }
