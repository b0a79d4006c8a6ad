"""Every write of reintegration plans and their components.

A plan is drawn up with the migrant (the host mission before departure, the origin
mission after), approved by a supervisor within the case's ceiling (or above it with
a reason), which commits each component's budget in the ledger (``component:<id>``),
and delivered by the origin mission. Cancelling a component, or closing the plan,
releases what is still committed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.models import User
from homeward.accounts.roles import Role
from homeward.assistance import ledger
from homeward.cases import referrals, workflow
from homeward.cases.eligibility import latest_assessment
from homeward.cases.models import Case, CaseMember
from homeward.core import files
from homeward.core.audit import about_case, service
from homeward.core.concurrency import claim_version
from homeward.core.errors import ServiceError
from homeward.reintegration import rules, selectors
from homeward.reintegration.models import Component, Plan
from homeward.work import services as work
from homeward.work.models import Task, TaskKind

C = Component.Status
CENT = Decimal("0.01")
MAX_BUDGET = Decimal("9999999999.99")


@dataclass(frozen=True)
class ComponentInput:
    """A component as typed; the business plan fields matter for a micro-business only."""

    kind: str
    budget: Decimal | None
    description: str = ""
    delivery: str = Component.Delivery.IN_KIND
    due_by: dt.date | None = None
    business_activity: str = ""
    business_location: str = ""
    business_costs: Decimal | None = None
    expected_income: Decimal | None = None
    partnership: bool = False
    partners: str = ""


def component_input_of(component: Component) -> ComponentInput:
    """What a component says now, as input: the starting point of a partial change."""
    return ComponentInput(**{f.name: getattr(component, f.name) for f in fields(ComponentInput)})


# ---------------------------------------------------------------- checks


def _require_planner(user: User, case: Case) -> None:
    if not selectors.may_plan(user, case):
        if selectors.planning_side(case) == workflow.HOST:
            raise PermissionDenied(_("Before departure, a counsellor of the host mission draws up the plan."))
        raise PermissionDenied(
            _("After departure, the origin mission's reintegration officers (or a host supervisor) work on the plan.")
        )


def _require_supervisor(user: User, case: Case) -> None:
    if not selectors.may_approve(user, case):
        raise PermissionDenied(_("Only a supervisor of the host or the origin mission can do this."))


def _require_deliverer(user: User, case: Case) -> None:
    if not selectors.may_deliver(user, case):
        raise PermissionDenied(_("Only the origin mission the case is referred to records the delivery."))


def _require_active_case(case: Case) -> None:
    if workflow.is_exit(case.status):
        raise ServiceError(
            _("The case is %(status)s: its reintegration plan is not worked on.")
            % {"status": case.get_status_display()}
        )


def _require_open_plan(plan: Plan) -> None:
    if plan.status == Plan.Status.CLOSED:
        raise ServiceError(_("This plan is closed."))


def _no_reintegration(case: Case) -> str:
    """Why the case gets no reintegration assistance, in words."""
    assessment = latest_assessment(case)
    outcomes = (assessment.result if assessment else {}).get("outcomes", [])
    needs_office = any(o.get("rule") == "origin_office" for o in outcomes)
    if needs_office and not referrals.missions_for(case).exists():
        return _("No reintegration plan: there is no mission in %(country)s to deliver reintegration.") % {
            "country": case.destination_country.name
        }
    for member in (assessment.result if assessment else {}).get("members", []):
        for outcome in member.get("outcomes", []):
            if outcome.get("rule") == "previous_assistance":
                return _("No reintegration plan: %(name)s — %(reason)s") % {
                    "name": member.get("name", ""),
                    "reason": outcome.get("explanation", ""),
                }
    return _("No reintegration plan: the programme's rules give this case no reintegration assistance.")


def _require_reintegration(case: Case, user: User) -> tuple[Any, selectors.Ceiling]:
    """The case is assessed eligible, with reintegration: the rule and the ceiling it is held to."""
    assessment = latest_assessment(case)
    if assessment is None:
        raise ServiceError(_("The case has not been assessed: a reintegration plan follows the assessment."))
    blocked = workflow.assessed_eligible(case, workflow.Attempt(user))
    if blocked:
        raise ServiceError(blocked)
    rule = selectors.reintegration_rule(case)
    if rule is None:
        raise ServiceError(
            _("%(programme)s gives no reintegration assistance.") % {"programme": assessment.programme.code}
        )
    found = selectors.ceiling(case)
    if found is None:
        raise ServiceError(_no_reintegration(case))
    return rule, found


def _lock_plan(plan: Plan) -> None:
    """Changes to one plan's components are made one after the other (and the plan is read afresh)."""
    plan.refresh_from_db(from_queryset=Plan.objects.select_for_update())


def _lock_case(case: Case) -> None:
    """One approval at a time per case: two plans approved at once must not both fit under the ceiling."""
    Case.objects.select_for_update().filter(pk=case.pk).first()


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def _first_error(errors: dict[str, list[str]], fallback: str) -> str:
    """One problem is said as the message itself; several, as a pointer to the fields."""
    return next(iter(errors.values()))[0] if len(errors) == 1 else fallback


# ---------------------------------------------------------------- plans


@service
def plan_create(
    *,
    acting_user: User,
    case: Case,
    member: CaseMember | None = None,
    needs_economic: str = "",
    needs_social: str = "",
    needs_psychosocial: str = "",
    goals: str = "",
) -> Plan:
    """Start a reintegration plan: for the household, or an individual plan for one member.

    Rule: before departure a counsellor of the host mission, after it the origin mission's
    reintegration officers (a host supervisor at any time); the case is assessed eligible
    and its programme gives it reintegration (refused in words otherwise, e.g. no mission
    in the country of origin); one household plan, or one plan per member, not both; the
    plan is kept in the rules' currency.
    """
    _require_planner(acting_user, case)
    _require_active_case(case)
    rule, _ceiling = _require_reintegration(case, acting_user)
    existing = Plan.objects.filter(case=case)
    if member is not None:
        if member.case_id != case.pk:
            raise ServiceError(_("Choose a member of this case."), {"member": [_("Choose a member of this case.")]})
        if existing.filter(member__isnull=True).exists():
            raise ServiceError(
                _("The household already has a plan: add components for %(name)s to it.")
                % {"name": member.person.full_name},
                {"member": [_("The household already has a plan.")]},
            )
        if existing.filter(member=member).exists():
            message = _("%(name)s already has a plan.") % {"name": member.person.full_name}
            raise ServiceError(message, {"member": [message]})
    elif existing.filter(member__isnull=True).exists():
        raise ServiceError(_("The household already has a plan."), {"member": [_("The household already has a plan.")]})
    elif existing.exists():
        raise ServiceError(
            _("The members have individual plans: add a plan for another member, or work on theirs."),
            {"member": [_("Choose a member without a plan.")]},
        )
    assessment = latest_assessment(case)
    try:
        with transaction.atomic(), about_case(case.pk):
            return Plan.objects.create(
                case=case, member=member, programme=assessment.programme, currency=rule.currency,  # type: ignore[union-attr]
                needs_economic=needs_economic.strip(), needs_social=needs_social.strip(),
                needs_psychosocial=needs_psychosocial.strip(), goals=goals.strip(), prepared_by=acting_user,
            )  # fmt: skip
    except IntegrityError:
        # Two people started the same plan at once: the first one has it.
        raise ServiceError(_("This plan was just started by someone else: open it.")) from None


@service
def plan_update(
    *,
    acting_user: User,
    plan: Plan,
    needs_economic: str,
    needs_social: str,
    needs_psychosocial: str,
    goals: str,
    version: int | None = None,
) -> Plan:
    """Record the needs assessment (economic, social, psychosocial) and the goals.

    Rule: whoever may plan; not on a closed plan; ``version`` (when given) is the one the
    user read, so two people editing at once do not overwrite each other.
    """
    case = plan.case
    _require_planner(acting_user, case)
    _require_active_case(case)
    _require_open_plan(plan)
    claim_version(plan, version)
    _require_open_plan(plan)
    plan.needs_economic = needs_economic.strip()
    plan.needs_social = needs_social.strip()
    plan.needs_psychosocial = needs_psychosocial.strip()
    plan.goals = goals.strip()
    with about_case(case.pk):
        plan.save(update_fields=["needs_economic", "needs_social", "needs_psychosocial", "goals"])
    return plan


def _amount(value: Any, field: str, errors: dict[str, list[str]], *, required: bool, label: str) -> Decimal | None:
    if value is None or value == "":
        if required:
            errors[field] = [_("Give the %(what)s.") % {"what": label}]
        return None
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter an amount.")]
        return None
    if amount < 0:
        errors[field] = [_("An amount cannot be negative.")]
    elif amount > MAX_BUDGET:
        errors[field] = [_("The amount is too large.")]
    return amount


def _check_due(case: Case, due_by: dt.date | None) -> str | None:
    """A component is due between the return and the end of the programme's validity period."""
    if due_by is None:
        return None
    when = selectors.deadlines(case)
    if when.returned_on is not None and due_by < when.returned_on:
        return _("This component is dated before the return (%(date)s).") % {"date": when.returned_on.isoformat()}
    if when.deliver_by is not None and due_by > when.deliver_by:
        return _("Components are delivered by %(date)s, within the programme's validity period.") % {
            "date": when.deliver_by.isoformat()
        }
    return None


def _cash_share_error(rule: Any, plan: Plan, cash: Decimal, total: Decimal) -> str | None:
    if rule is None or rule.payment != "mixed" or rules.cash_within_share(cash, total, rule.cash_share_max):
        return None
    return _("At most %(share)s%% of a plan is paid in cash: %(cash)s of %(total)s %(currency)s would be.") % {
        "share": int((rule.cash_share_max or 0) * 100),
        "cash": cash,
        "total": total,
        "currency": plan.currency,
    }


def _clean_component(plan: Plan, data: ComponentInput, current: Component | None = None) -> dict[str, Any]:
    """The component's values, or a ServiceError naming every field that is wrong."""
    case = plan.case
    rule = selectors.reintegration_rule(case)
    errors: dict[str, list[str]] = {}
    if data.kind not in Component.Kind.values:
        errors["kind"] = [_("Choose a kind of component from the list.")]
    budget = _amount(data.budget, "budget", errors, required=True, label=_("budget"))
    description = (data.description or "").strip()
    if data.kind == Component.Kind.OTHER and not description:
        errors["description"] = [_("Say what the component is.")]
    if data.delivery not in Component.Delivery.values:
        errors["delivery"] = [_("Choose how it is delivered.")]
    elif data.delivery == Component.Delivery.CASH and (rule is None or rule.payment == "in_kind"):
        errors["delivery"] = [_("This programme pays reintegration in kind only.")]
    elif budget is not None:
        others = [
            c for c in plan.components.all() if c.status != C.CANCELLED and (current is None or c.pk != current.pk)
        ]
        cash = sum((c.budget for c in others if c.delivery == Component.Delivery.CASH), Decimal(0))
        cash += budget if data.delivery == Component.Delivery.CASH else 0
        if problem := _cash_share_error(rule, plan, cash, sum((c.budget for c in others), budget)):
            errors["delivery"] = [problem]
    if problem := _check_due(case, data.due_by):
        errors["due_by"] = [problem]
    business = data.kind == Component.Kind.MICRO_BUSINESS
    values: dict[str, Any] = {
        "kind": data.kind, "description": description, "budget": budget, "delivery": data.delivery,
        "due_by": data.due_by, "business_activity": "", "business_location": "", "business_costs": None,
        "expected_income": None, "partnership": False, "partners": "",
    }  # fmt: skip
    if business:
        needed = _("A micro-business needs its short business plan: activity, location, costs and expected income.")
        for name in ("business_activity", "business_location"):
            values[name] = (getattr(data, name) or "").strip()[:200]
            if not values[name]:
                errors[name] = [needed]
        for name in ("business_costs", "expected_income"):
            if getattr(data, name) in (None, ""):
                errors[name] = [needed]
            else:
                values[name] = _amount(getattr(data, name), name, errors, required=True, label=_("amount"))
        values["partnership"] = bool(data.partnership)
        values["partners"] = (data.partners or "").strip() if data.partnership else ""
        if data.partnership and not values["partners"]:
            errors["partners"] = [_("Name the partners of the business.")]
    if errors:
        raise ServiceError(_first_error(errors, _("The component was not saved: check the fields marked.")), errors)
    return values


@service
def component_add(*, acting_user: User, plan: Plan, data: ComponentInput) -> Component:
    """Add a component to a plan.

    Rule: whoever may plan; a budget of zero or more in the plan's currency; in cash only
    where the programme pays reintegration in cash or mixed (refused "in kind only"
    otherwise), and in a mixed programme the cash components stay within its cash share
    of the plan; due neither before the return nor after the programme's validity period;
    a micro-business with its short business plan, and its partners named. A component
    added to an approved plan needs its own approval.
    """
    case = plan.case
    _require_planner(acting_user, case)
    _require_active_case(case)
    _lock_plan(plan)
    _require_open_plan(plan)
    values = _clean_component(plan, data)
    with about_case(case.pk):
        return Component.objects.create(plan=plan, **values)


@service
def component_update(*, acting_user: User, component: Component, data: ComponentInput) -> Component:
    """Change a planned component. Rule: as for adding one; an approved component's budget is committed,
    so it is not changed: it is cancelled (releasing its money) and a new one added."""
    plan = component.plan
    case = plan.case
    _require_planner(acting_user, case)
    _require_active_case(case)
    _lock_plan(plan)
    _require_open_plan(plan)
    component.refresh_from_db()
    if component.status != C.PLANNED:
        raise ServiceError(_("Only a planned component can be changed: cancel it and add a new one."))
    values = _clean_component(plan, data, current=component)
    changed = [name for name, value in values.items() if getattr(component, name) != value]
    for name in changed:
        setattr(component, name, values[name])
    if changed:
        with about_case(case.pk):
            component.save(update_fields=changed)
    return component


def _commit(user: User, plan: Plan, components: list[Component], override_reason: str) -> bool:
    """Hold the components to the ceiling and commit their budgets on the reintegration line.

    Returns whether the ceiling was exceeded (with the supervisor's reason).
    """
    case = plan.case
    rule, found = _require_reintegration(case, user)
    if not found.confirmed:
        raise ServiceError(
            _("The programme's reintegration ceiling is not confirmed yet: nothing can be committed against it.")
        )
    if found.currency != plan.currency:
        raise ServiceError(
            _("The plan is in %(plan)s but the case's ceiling is now in %(ceiling)s: start a new plan.")
            % {"plan": plan.currency, "ceiling": found.currency}
        )
    for component in components:
        if problem := _check_due(case, component.due_by):
            raise ServiceError(f"{component.get_kind_display()}: {problem}", {"due_by": [problem]})
    live = [c for c in plan.components.all() if c.status != C.CANCELLED]
    cash = sum((c.budget for c in live if c.delivery == Component.Delivery.CASH), Decimal(0))
    if problem := _cash_share_error(rule, plan, cash, sum((c.budget for c in live), Decimal(0))):
        raise ServiceError(problem)
    if any(c.delivery == Component.Delivery.CASH for c in components) and rule.payment == "in_kind":
        raise ServiceError(_("This programme pays reintegration in kind only."))
    total = selectors.approved_in_plans(case) + sum((c.budget for c in components), Decimal(0))
    reason = override_reason.strip()
    over = total > found.amount
    if over and not reason:
        raise ServiceError(
            _(
                "Approving this brings the case's plans to %(total)s %(currency)s, above its ceiling of %(ceiling)s %(currency)s: a supervisor's override with a reason is needed."
            )
            % {"total": total, "ceiling": found.amount, "currency": found.currency},
            {"override_reason": [_("Give the reason for exceeding the ceiling.")]},
        )
    line = plan.programme.budget_lines.filter(category="reintegration").first()
    if line is None:
        raise ServiceError(
            _("%(programme)s has no reintegration budget line: nothing can be committed until one is added.")
            % {"programme": plan.programme.code}
        )
    today = timezone.localdate()
    for component in components:
        if component.budget > 0:
            ledger.entry_book(
                acting_user=user, budget_line=line, kind="commitment", amount=component.budget,
                currency=plan.currency, booked_on=today, source=component.source, case=case,
                note=_("%(kind)s, reintegration plan of %(case)s") % {"kind": component.get_kind_display(), "case": case.reference},
                override_reason=reason,
            )  # fmt: skip
        component.status, component.approved_on = C.APPROVED, today
        with about_case(case.pk):
            component.save(update_fields=["status", "approved_on"])
    return over


def _record_override(plan: Plan, reason: str) -> list[str]:
    reason = reason.strip()
    plan.override_reason = f"{plan.override_reason}\n{reason}".strip() if plan.override_reason else reason
    return ["override_reason"]


def _refresh_deadlines(plan: Plan) -> list[str]:
    when = selectors.deadlines(plan.case)
    changed = []
    if when.finalise_by != plan.finalise_by and when.finalise_by is not None:
        plan.finalise_by, changed = when.finalise_by, [*changed, "finalise_by"]
    if when.deliver_by != plan.deliver_by and when.deliver_by is not None:
        plan.deliver_by, changed = when.deliver_by, [*changed, "deliver_by"]
    return changed


def _open_delivery_task(plan: Plan) -> None:
    """The origin mission's reintegration officers deliver by ``deliver_by``; until a mission accepts the
    case, its counsellor holds the task, as with the other origin-side work."""
    case = plan.case
    if case.referred_to_mission_id:
        mission, role, assignee = case.referred_to_mission, Role.REINTEGRATION_OFFICER, None
    else:
        mission, role, assignee = case.host_mission, Role.COUNSELLOR, case.counsellor
    due = _end_of(plan.deliver_by or timezone.localdate())
    work.task_open(case=case, kind=TaskKind.DELIVER_REINTEGRATION, due_at=due, mission=mission, role=role,
                   assignee=assignee, subject=_("plan for %(whom)s") % {"whom": selectors.whose(plan)},
                   subject_key=f"plan:{plan.pk}")  # fmt: skip


def _settle_delivery_task(plan: Plan, user: User) -> None:
    """Every component delivered or cancelled: the delivery task is done."""
    if plan.components.filter(status__in=selectors.OPEN).exists():
        return
    work.task_done_for(case=plan.case, kind=TaskKind.DELIVER_REINTEGRATION, subject_key=f"plan:{plan.pk}", by=user,
                       outcome=_("every component delivered or cancelled"))  # fmt: skip


@service
def plan_approve(*, acting_user: User, plan: Plan, note: str = "", override_reason: str = "") -> Plan:
    """Approve a plan and commit its money.

    Rule: a supervisor of the host or the origin mission; the needs assessment and goals
    recorded; at least one component; the case's plans within its ceiling, or above it
    only with the supervisor's reason (kept on the plan); each component's budget is
    committed on the programme's reintegration budget line (refused without one). Sets
    the deadlines (finalise a month after arrival, deliver within the validity period),
    completes the "finalise the plan" task and opens the delivery task.
    """
    case = plan.case
    _require_supervisor(acting_user, case)
    _require_active_case(case)
    _lock_case(case)
    _lock_plan(plan)
    if plan.status != Plan.Status.DRAFT:
        raise ServiceError(
            _("This plan is already %(status)s: approve new components one by one.")
            % {"status": plan.get_status_display()}
        )
    if not plan.goals.strip() or not (plan.needs_economic or plan.needs_social or plan.needs_psychosocial).strip():
        raise ServiceError(
            _("Record the needs assessment and the goals before the plan is approved."),
            {"goals": [_("Record the goals.")]},
        )
    components = list(plan.components.filter(status=C.PLANNED).order_by("created_at", "pk"))
    if not components:
        raise ServiceError(_("A plan is approved with at least one component."))
    over = _commit(acting_user, plan, components, override_reason)
    update = ["status", "approved_by", "approved_at", "approval_note", *_refresh_deadlines(plan)]
    if over:
        update += _record_override(plan, override_reason)
    plan.status, plan.approved_by, plan.approved_at = Plan.Status.APPROVED, acting_user, timezone.now()
    plan.approval_note = note.strip()
    with about_case(case.pk):
        plan.save(update_fields=update)
    work.task_done_for(case=case, kind=TaskKind.REINTEGRATION_PLAN, by=acting_user, outcome=_("plan approved"))
    _open_delivery_task(plan)
    return plan


@service
def component_approve(*, acting_user: User, component: Component, override_reason: str = "") -> Component:
    """Approve a component added to an approved plan. Rule: as for the plan: a supervisor, within the
    case's ceiling or above it with a reason, its budget committed in the ledger."""
    plan = component.plan
    case = plan.case
    _require_supervisor(acting_user, case)
    _require_active_case(case)
    _lock_case(case)
    _lock_plan(plan)
    component.refresh_from_db()
    if plan.status != Plan.Status.APPROVED:
        raise ServiceError(
            _("Approve the plan itself: its components are approved with it.")
            if plan.status == Plan.Status.DRAFT
            else _("This plan is closed.")
        )
    if component.status != C.PLANNED:
        raise ServiceError(_("This component is already %(status)s.") % {"status": component.get_status_display()})
    over = _commit(acting_user, plan, [component], override_reason)
    update = _refresh_deadlines(plan) + (_record_override(plan, override_reason) if over else [])
    if update:
        with about_case(case.pk):
            plan.save(update_fields=update)
    work.task_done_for(case=case, kind=TaskKind.REINTEGRATION_PLAN, by=acting_user, outcome=_("plan approved"))
    _open_delivery_task(plan)
    return component


def _locked(component: Component) -> Component:
    component.refresh_from_db(from_queryset=Component.objects.select_for_update())
    return component


def _check_day(on: dt.date | None, after: dt.date | None, label: str) -> dt.date:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ServiceError(_("The date cannot be in the future."), {"on": [_("The date cannot be in the future.")]})
    if after is not None and on < after:
        message = _("The date cannot be before %(what)s (%(date)s).") % {"what": label, "date": after.isoformat()}
        raise ServiceError(message, {"on": [message]})
    return on


@service
def component_start_delivery(*, acting_user: User, component: Component, on: dt.date | None = None) -> Component:
    """An approved component goes into delivery. Rule: the origin mission records it, on a day
    neither in the future nor before the approval."""
    case = component.plan.case
    _require_deliverer(acting_user, case)
    _require_active_case(case)
    _locked(component)
    if component.status != C.APPROVED:
        raise ServiceError(
            _("Only an approved component goes into delivery; this one is %(status)s.")
            % {"status": component.get_status_display()}
        )
    component.delivery_started_on = _check_day(on, component.approved_on, _("the approval"))
    component.status = C.IN_DELIVERY
    with about_case(case.pk):
        component.save(update_fields=["status", "delivery_started_on"])
    return component


@service
def component_deliver(*, acting_user: User, component: Component, on: dt.date | None = None) -> Component:
    """A component is delivered. Rule: by the origin mission, once the returnee has arrived, an
    approved or in-delivery component, on a day neither in the future nor before its delivery began.
    The delivery task is done when nothing is left to deliver."""
    plan = component.plan
    case = plan.case
    _require_deliverer(acting_user, case)
    _require_active_case(case)
    if case.status not in workflow.AFTER_ARRIVAL:
        raise ServiceError(_("A component is delivered once the returnee has arrived."))
    _locked(component)
    if component.status not in (C.APPROVED, C.IN_DELIVERY):
        raise ServiceError(
            _("Only an approved component is delivered; this one is %(status)s.")
            % {"status": component.get_status_display()}
        )
    start = component.delivery_started_on or component.approved_on
    on = _check_day(on, start, _("the start of delivery") if component.delivery_started_on else _("the approval"))
    mark_delivered(component, on, acting_user)
    return component


def mark_delivered(component: Component, on: dt.date, by: User) -> None:
    """Record a component delivered on ``on``, refresh the plan's deadlines and settle the delivery
    task. For services that have already checked who may (``component_deliver``; a complete delivery
    the returnee confirmed, in ``assistance.procurement``)."""
    plan = component.plan
    component.status, component.delivered_on = C.DELIVERED, on
    component.delivery_started_on = component.delivery_started_on or on
    with about_case(plan.case_id):
        component.save(update_fields=["status", "delivered_on", "delivery_started_on"])
        updates = _refresh_deadlines(plan)
        if updates:
            plan.save(update_fields=updates)
    _settle_delivery_task(plan, by)
    from homeward.surveys.services import reintegration_satisfaction_due

    reintegration_satisfaction_due(plan=plan)


def _cancel(user: User, component: Component, reason: str, on: dt.date) -> None:
    # Money already on its way (an open order, a cash grant) is settled first, never left orphaned.
    if (
        component.purchase_orders.filter(status="issued").exists()
        or component.grants.filter(status__in=("proposed", "approved")).exists()
    ):
        raise ServiceError(
            _("%(kind)s has an open purchase order or cash grant: cancel those first.")
            % {"kind": component.get_kind_display().capitalize()}
        )
    if component.status != C.PLANNED:
        ledger.entry_release(acting_user=user, source=component.source, booked_on=timezone.localdate(), note=reason)
    component.status, component.cancelled_on, component.cancel_reason = C.CANCELLED, on, reason
    with about_case(component.plan.case_id):
        component.save(update_fields=["status", "cancelled_on", "cancel_reason"])


@service
def component_cancel(*, acting_user: User, component: Component, reason: str, on: dt.date | None = None) -> Component:
    """Cancel a component, saying why. Rule: a planned one by whoever plans, an approved one by a
    supervisor (it releases the money still committed for it, ``ledger.entry_release``); a delivered
    component is not cancelled."""
    plan = component.plan
    _locked(component)
    if component.status in (C.DELIVERED, C.CANCELLED):
        raise ServiceError(
            _("This component is %(status)s: it is not cancelled.") % {"status": component.get_status_display()}
        )
    if not selectors.may_cancel(acting_user, component):
        raise PermissionDenied(_("Only a supervisor cancels an approved component: it releases its money."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the component is cancelled."), {"reason": [_("Give a reason.")]})
    _cancel(acting_user, component, reason, _check_day(on, None, ""))
    if plan.status == Plan.Status.APPROVED:
        from homeward.surveys.services import reintegration_satisfaction_due

        _settle_delivery_task(plan, acting_user)
        reintegration_satisfaction_due(plan=plan)
    return component


@service
def plan_close(*, acting_user: User, plan: Plan, reason: str = "") -> Plan:
    """Close a plan. Rule: a supervisor of the host or the origin mission; nothing still in delivery;
    components not delivered are cancelled, and whatever is still committed for the plan (a delivered
    component paid below its budget too) is released."""
    case = plan.case
    _require_supervisor(acting_user, case)
    _lock_plan(plan)
    _require_open_plan(plan)
    components = list(plan.components.select_for_update().order_by("pk"))
    if any(c.status == C.IN_DELIVERY for c in components):
        raise ServiceError(_("A component is still in delivery: record its delivery or cancel it first."))
    why = (reason or "").strip() or _("the plan was closed")
    today = timezone.localdate()
    for component in components:
        if component.status in (C.PLANNED, C.APPROVED):
            _cancel(acting_user, component, why, today)
        elif component.status == C.DELIVERED:
            ledger.entry_release(acting_user=acting_user, source=component.source, booked_on=today, note=why)
    plan.status = Plan.Status.CLOSED
    with about_case(case.pk):
        plan.save(update_fields=["status"])
    work.tasks_settle(case=case, kinds={TaskKind.DELIVER_REINTEGRATION}, status=Task.Status.DONE, by=acting_user,
                      outcome=why)  # fmt: skip
    return plan


@service
def plan_attach_agreement(*, acting_user: User, plan: Plan, file: Any, signed_on: dt.date | None) -> Plan:
    """Keep the signed reintegration agreement with the plan.

    Rule: whoever may plan, or a supervisor; an approved plan; signed on a day neither in
    the future nor before the approval; a PDF, JPEG or PNG within the size limit
    (``core.files.check_upload``). A new scan replaces the previous one.
    """
    case = plan.case
    if not (selectors.may_plan(acting_user, case) or selectors.may_approve(acting_user, case)):
        raise PermissionDenied(_("You may not file the agreement of this plan."))
    _lock_plan(plan)
    if plan.status == Plan.Status.DRAFT:
        raise ServiceError(_("The agreement is signed once the plan is approved."))
    errors: dict[str, list[str]] = {}
    approved_on = timezone.localdate(plan.approved_at) if plan.approved_at else None
    if signed_on is None:
        errors["signed_on"] = [_("Give the date it was signed.")]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = [_("The date of signature cannot be in the future.")]
    elif approved_on is not None and signed_on < approved_on:
        errors["signed_on"] = [
            _("The plan was approved on %(date)s: it cannot have been signed before.")
            % {"date": approved_on.isoformat()}
        ]
    content_type = ""
    if file is None:
        errors["file"] = [_("Choose the scan of the signed agreement.")]
    else:
        try:
            content_type = files.check_upload(file)
        except ServiceError as error:
            errors.update(error.fields)
    if errors:
        raise ServiceError(_first_error(errors, _("The scan was not saved: check the fields marked.")), errors)
    previous = plan.agreement_scan.name if plan.agreement_scan else ""
    with about_case(case.pk):
        plan.agreement_scan.save(files.stored_name("agreement", content_type), file, save=False)
        plan.agreement_scan_content_type = content_type
        plan.agreement_signed_on = signed_on
        plan.agreement_language = selectors.agreement_language(plan)[0]
        plan.save(
            update_fields=["agreement_scan", "agreement_scan_content_type", "agreement_signed_on", "agreement_language"]
        )
    if previous:
        storage = plan.agreement_scan.storage
        # The replaced scan goes only once the new one is committed.
        transaction.on_commit(lambda: storage.delete(previous))
    return plan
