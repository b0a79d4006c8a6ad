"""Plan pages: the case's plans with their figures and deadlines, a component's page, the agreement.

Each form is shown only to the roles that may use it; a POST from anyone else is a 403,
and a case the user cannot see is a 404.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.cases import selectors as case_selectors
from homeward.cases import workflow
from homeward.cases.models import Case
from homeward.core import files
from homeward.core.errors import ServiceError
from homeward.reintegration import pdf, selectors, services
from homeward.reintegration.forms import (
    AgreementForm,
    ApproveForm,
    CancelForm,
    CloseForm,
    ComponentForm,
    DayForm,
    NeedsForm,
    PlanCreateForm,
)
from homeward.reintegration.models import Component, Plan

C = Component.Status


def _case(request: HttpRequest, reference: str) -> Case:
    return case_selectors.case_for_user(request.user, reference=reference)


def _plan(request: HttpRequest, case: Case, plan_id: int) -> Plan:
    plan = selectors.plan_for_user(request.user, plan_id)
    if plan.case_id != case.pk:
        raise Http404
    return plan


def _say(request: HttpRequest, error: ServiceError) -> None:
    messages.error(request, error.message)
    for problems in error.fields.values():
        for problem in problems:
            if problem != error.message:
                messages.error(request, problem)


def _cash_allowed(rule: Any) -> bool:
    return rule is not None and rule.payment != "in_kind"


def _back(plan_or_case: Any) -> HttpResponse:
    case = plan_or_case.case if isinstance(plan_or_case, Plan) else plan_or_case
    anchor = f"#plan-{plan_or_case.pk}" if isinstance(plan_or_case, Plan) else ""
    response = redirect("reintegration:case_plans", reference=case.reference)
    response["Location"] += anchor
    return response


def _component_actions(user: Any, view: selectors.Overview, component: Component, can_deliver: bool) -> dict[str, Any]:
    plan = component.plan
    case = view.case
    approved_plan = plan.status == Plan.Status.APPROVED
    over = view.ceiling is not None and view.approved + component.budget > view.ceiling.amount
    return {
        "may_approve": approved_plan and component.status == C.PLANNED and selectors.may_approve(user, case),
        "over_if_approved": over,
        "may_start": approved_plan and component.status == C.APPROVED and can_deliver,
        "may_deliver": approved_plan and component.status in (C.APPROVED, C.IN_DELIVERY) and can_deliver
        and case.status in workflow.AFTER_ARRIVAL,
        "may_cancel": plan.status != Plan.Status.CLOSED and component.status in selectors.OPEN
        and selectors.may_cancel(user, component),
    }  # fmt: skip


def _page(request: HttpRequest, case: Case, bound: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    bound = bound or {}
    user = request.user
    view = selectors.overview(user, case)
    active = not workflow.is_exit(case.status)
    can_plan = selectors.may_plan(user, case) and active
    can_approve = selectors.may_approve(user, case)
    can_deliver = selectors.may_deliver(user, case)
    cash_allowed = _cash_allowed(view.rule)
    rows = []
    for row in view.plans:
        plan = row.plan
        pk = plan.pk
        editable = plan.status != Plan.Status.CLOSED
        approve_form = bound.get(f"approve-{pk}") or ApproveForm(prefix=f"approve-{pk}")
        over = view.ceiling is not None and view.approved + row.planned > view.ceiling.amount
        rows.append({
            "row": row,
            "plan": plan,
            "needs_form": (bound.get(f"needs-{pk}") or NeedsForm(prefix=f"needs-{pk}", initial={
                "needs_economic": plan.needs_economic, "needs_social": plan.needs_social,
                "needs_psychosocial": plan.needs_psychosocial, "goals": plan.goals, "version": plan.version,
            })) if can_plan and editable else None,
            "component_form": (bound.get(f"add-{pk}") or ComponentForm(
                prefix=f"add-{pk}", cash_allowed=cash_allowed, currency=plan.currency
            )) if can_plan and editable else None,
            "approve_form": approve_form if can_approve and plan.status == Plan.Status.DRAFT and active else None,
            "show_override": over or "override_reason" in approve_form.errors,
            "close_form": CloseForm(prefix=f"close-{pk}") if can_approve and editable else None,
            "agreement_form": (bound.get(f"agreement-{pk}") or AgreementForm(prefix=f"agreement-{pk}"))
            if (can_plan or can_approve) and plan.status != Plan.Status.DRAFT else None,
            "components": [
                {**item, **_component_actions(user, view, item["component"], can_deliver)} for item in row.components
            ],
        })  # fmt: skip
    create_form = None
    planned = {row.plan.member_id for row in view.plans}
    if can_plan and None not in planned:
        create_form = bound.get("new") or PlanCreateForm(prefix="new", case=case, planned=planned)
        create_form = create_form if create_form.has_choices else None
    return render(
        request,
        "reintegration/case_plans.html",
        {"case": case, "view": view, "rows": rows, "create_form": create_form, "cash_allowed": cash_allowed},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def case_plans(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's plans, ceiling, committed total, remaining balance and deadlines; a new plan is started here."""
    case = _case(request, reference)
    if request.method == "GET":
        return _page(request, case)
    if not selectors.may_plan(request.user, case):
        raise PermissionDenied(_("You may not draw up a plan for this case."))
    planned = set(case.plans.values_list("member_id", flat=True))
    form = PlanCreateForm(request.POST, prefix="new", case=case, planned=planned)
    if form.is_valid():
        try:
            plan = services.plan_create(acting_user=request.user, case=case, member=form.member_obj())
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Plan started: record the needs and goals, and add its components."))
            return _back(plan)
    return _page(request, case, {"new": form})


@require_POST
def plan_needs(request: HttpRequest, reference: str, plan_id: int) -> HttpResponse:
    case = _case(request, reference)
    plan = _plan(request, case, plan_id)
    if not selectors.may_plan(request.user, case):
        raise PermissionDenied(_("You may not change this plan."))
    form = NeedsForm(request.POST, prefix=f"needs-{plan.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_update(
                acting_user=request.user, plan=plan, needs_economic=data["needs_economic"],
                needs_social=data["needs_social"], needs_psychosocial=data["needs_psychosocial"],
                goals=data["goals"], version=data["version"],
            )  # fmt: skip
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Needs and goals saved."))
            return _back(plan)
    return _page(request, case, {f"needs-{plan.pk}": form})


@require_POST
def component_add(request: HttpRequest, reference: str, plan_id: int) -> HttpResponse:
    case = _case(request, reference)
    plan = _plan(request, case, plan_id)
    if not selectors.may_plan(request.user, case):
        raise PermissionDenied(_("You may not change this plan."))
    rule = selectors.reintegration_rule(case)
    form = ComponentForm(
        request.POST, prefix=f"add-{plan.pk}", cash_allowed=_cash_allowed(rule), currency=plan.currency
    )
    if form.is_valid():
        try:
            services.component_add(acting_user=request.user, plan=plan, data=form.to_input())
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Component added."))
            return _back(plan)
    else:
        messages.error(request, _("The component was not saved: check the fields marked."))
    return _page(request, case, {f"add-{plan.pk}": form})


@require_POST
def plan_approve(request: HttpRequest, reference: str, plan_id: int) -> HttpResponse:
    case = _case(request, reference)
    plan = _plan(request, case, plan_id)
    if not selectors.may_approve(request.user, case):
        raise PermissionDenied(_("Only a supervisor of the host or the origin mission can approve a plan."))
    form = ApproveForm(request.POST, prefix=f"approve-{plan.pk}")
    if form.is_valid():
        try:
            services.plan_approve(acting_user=request.user, plan=plan, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Plan approved: its components' budgets are committed."))
            return _back(plan)
    return _page(request, case, {f"approve-{plan.pk}": form})


@require_POST
def plan_close(request: HttpRequest, reference: str, plan_id: int) -> HttpResponse:
    case = _case(request, reference)
    plan = _plan(request, case, plan_id)
    if not selectors.may_approve(request.user, case):
        raise PermissionDenied(_("Only a supervisor of the host or the origin mission can close a plan."))
    form = CloseForm(request.POST, prefix=f"close-{plan.pk}")
    if form.is_valid():
        try:
            services.plan_close(acting_user=request.user, plan=plan, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            _say(request, error)
        else:
            messages.success(request, _("Plan closed; what was still committed is released."))
    return _back(plan)


@require_GET
def agreement_pdf(request: HttpRequest, reference: str, plan_id: int) -> HttpResponse:
    case = _case(request, reference)
    plan = _plan(request, case, plan_id)
    response = HttpResponse(pdf.agreement_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="reintegration-agreement-{case.reference}-{plan.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def agreement_upload(request: HttpRequest, reference: str, plan_id: int) -> HttpResponse:
    case = _case(request, reference)
    plan = _plan(request, case, plan_id)
    if not (selectors.may_plan(request.user, case) or selectors.may_approve(request.user, case)):
        raise PermissionDenied(_("You may not file the agreement of this plan."))
    form = AgreementForm(request.POST, request.FILES, prefix=f"agreement-{plan.pk}")
    if form.is_valid():
        try:
            services.plan_attach_agreement(acting_user=request.user, plan=plan, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Signed agreement uploaded."))
            return _back(plan)
    return _page(request, case, {f"agreement-{plan.pk}": form})


@require_GET
def agreement_scan(request: HttpRequest, reference: str, plan_id: int) -> Any:
    """The signed agreement, only to users who can see the case (404 otherwise)."""
    case = _case(request, reference)
    plan = _plan(request, case, plan_id)
    extension = files.ALLOWED_TYPES.get(plan.agreement_scan_content_type, "")
    return files.serve_private(
        plan.agreement_scan,
        plan.agreement_scan_content_type,
        f"reintegration-agreement-{case.reference}-signed{extension}",
    )


# ---------------------------------------------------------------- one component


def _component_page(request: HttpRequest, component: Component, form: ComponentForm | None = None,
                    status: int = 200) -> HttpResponse:  # fmt: skip
    case = case_selectors.case_for_user(request.user, pk=component.plan.case_id)
    plan = component.plan
    view = selectors.overview(request.user, case)
    can_edit = (
        selectors.may_plan(request.user, case)
        and component.status == C.PLANNED
        and plan.status != Plan.Status.CLOSED
        and not workflow.is_exit(case.status)
    )
    if can_edit and form is None:
        form = ComponentForm(
            initial=asdict(services.component_input_of(component)),
            cash_allowed=_cash_allowed(view.rule),
            currency=plan.currency,
        )
    return render(
        request,
        "reintegration/component.html",
        {
            "case": case,
            "plan": plan,
            "component": component,
            "view": view,
            "whose": selectors.whose(plan),
            "form": form if can_edit else None,
            "actions_item": {
                "component": component,
                **_component_actions(request.user, view, component, selectors.may_deliver(request.user, case)),
            },
            "overdue": selectors.is_overdue(component.due_by, done=component.status not in selectors.OPEN),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def component(request: HttpRequest, component_id: int) -> HttpResponse:
    """A component: its budget, business plan and status with dates; changed here while it is planned."""
    found = selectors.component_for_user(request.user, component_id)
    if request.method == "GET":
        return _component_page(request, found)
    case = found.plan.case
    if not selectors.may_plan(request.user, case):
        raise PermissionDenied(_("You may not change this plan."))
    form = ComponentForm(
        request.POST, cash_allowed=_cash_allowed(selectors.reintegration_rule(case)), currency=found.plan.currency
    )
    if form.is_valid():
        try:
            services.component_update(acting_user=request.user, component=found, data=form.to_input())
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Component saved."))
            return redirect("reintegration:component", component_id=found.pk)
    else:
        messages.error(request, _("The component was not saved: check the fields marked."))
    return _component_page(request, found, form)


ACTIONS = {"approve", "start", "deliver", "cancel"}


@require_POST
def component_action(request: HttpRequest, component_id: int, action: str) -> HttpResponse:
    """Approve, start delivering, deliver or cancel a component; back to the page the form was on."""
    if action not in ACTIONS:
        raise Http404
    found = selectors.component_for_user(request.user, component_id)
    case = found.plan.case
    allowed = {
        "approve": selectors.may_approve(request.user, case),
        "start": selectors.may_deliver(request.user, case),
        "deliver": selectors.may_deliver(request.user, case),
        "cancel": selectors.may_cancel(request.user, found),
    }[action]
    if not allowed:
        raise PermissionDenied(_("Your role may not do this to a component."))
    try:
        if action == "approve":
            services.component_approve(
                acting_user=request.user, component=found, override_reason=request.POST.get("override_reason", "")
            )
            done = _("Component approved: its budget is committed.")
        elif action == "cancel":
            form = CancelForm(request.POST)
            if not form.is_valid():
                raise ServiceError(_("Say why the component is cancelled."), {"reason": [_("Give a reason.")]})
            services.component_cancel(acting_user=request.user, component=found, **form.cleaned_data)
            done = _("Component cancelled; what was committed for it is released.")
        else:
            day = DayForm(request.POST)
            on = day.cleaned_data.get("on") if day.is_valid() else None
            if not day.is_valid():
                raise ServiceError(_("Enter a valid date."), {"on": [_("Enter a valid date.")]})
            if action == "start":
                services.component_start_delivery(acting_user=request.user, component=found, on=on)
                done = _("Delivery started.")
            else:
                services.component_deliver(acting_user=request.user, component=found, on=on)
                done = _("Component delivered.")
    except ServiceError as error:
        _say(request, error)
    else:
        messages.success(request, done)
    if request.POST.get("next") == "component":
        return redirect("reintegration:component", component_id=found.pk)
    return _back(found.plan)
