"""Health pages: one small page per kind of record (the case card carries the same forms),
the answers to appointments and referrals, committing a cost, and the costs a finance officer pays.

Thin views: a case of another mission is a 404; a user who sees the case but not its
medical facts, a 403; a refusal shows the form again with the errors at their fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.cases import selectors as case_selectors
from homeward.cases import workflow
from homeward.cases.models import Case
from homeward.core.errors import ServiceError
from homeward.health import forms, selectors, services
from homeward.health.models import FitToTravelExam, HealthCost, MedicalAppointment, MedicalReferral
from homeward.partners import selectors as partner_selectors
from homeward.partners.models import Partner


def _case(request: HttpRequest, reference: str) -> Case:
    case = case_selectors.case_for_user(request.user, reference=reference)
    selectors.require_read(request.user, case)
    return case


def _back(case: Case) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.reference]) + "#health-panel")


def _member(case: Case, member_id: int | None) -> Any:
    return next((m for m in case.members.all() if m.pk == member_id), None)


def blank_form(kind: str, case: Case, data: Any = None) -> forms.HealthForm:
    """The form of one kind of record for a case, with its choices (members, providers, budget lines)."""
    members = list(case.members.select_related("person"))
    prefix = f"health-{kind}"
    if kind == "appointment":
        providers = partner_selectors.active_partners([case.host_mission_id], kinds=[Partner.Kind.HEALTH])
        return forms.AppointmentForm(data, members=members, providers=list(providers), prefix=prefix)
    if kind == "cost":
        lines = list(case.programme.budget_lines.all()) if case.programme_id else []
        return forms.CostForm(data, members=members, lines=lines, prefix=prefix)
    form_class = {"referral": forms.ReferralForm, "medicine": forms.MedicineForm, "exam": forms.ExamForm}[kind]
    return form_class(data, members=members, prefix=prefix)


TITLES = {
    "appointment": gettext_lazy("Medical appointment"),
    "referral": gettext_lazy("Medical referral"),
    "medicine": gettext_lazy("Medicine supplied"),
    "exam": gettext_lazy("Fit-to-travel examination"),
    "cost": gettext_lazy("Health cost"),
}


def _record(request: HttpRequest, kind: str, case: Case, d: dict[str, Any]) -> Any:
    member = _member(case, d.pop("member"))
    common = {"acting_user": request.user, "case": case, "member": member}
    if kind == "appointment":
        provider_id = d.pop("provider")
        provider = Partner.objects.filter(pk=provider_id).first() if provider_id else None
        return services.appointment_record(**common, provider=provider, **d)
    if kind == "cost":
        line_id = d.pop("budget_line")
        line = case.programme.budget_lines.filter(pk=line_id).first() if case.programme_id else None
        return services.cost_record(**common, budget_line=line, **d)
    record = {"referral": services.referral_record, "medicine": services.medicine_record, "exam": services.exam_record}
    return record[kind](**common, **d)


@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    case = _case(request, reference)
    if not selectors.may_write(request.user, case):
        raise PermissionDenied(_("Your role does not record health care."))
    form = blank_form(kind, case, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = _record(request, kind, case, dict(form.cleaned_data))
            except ServiceError as error:
                form.add_service_error(error)
                messages.error(request, error.message)
            else:
                messages.success(request, _("Recorded."))
                exam = saved if isinstance(saved, FitToTravelExam) else None
                if exam and exam.is_fit and not selectors.counts_on(exam, workflow.travel_date(case)):
                    messages.warning(request, _("The examination is not valid on the travel date: it does not count."))
                return _back(case)
        else:
            messages.error(request, _("Nothing was saved: check the fields marked."))
    context = {"case": case, "form": form, "kind": kind, "title": TITLES[kind]}
    return render(request, "health/record.html", context, status=400 if form.is_bound else 200)


@require_POST
def appointment_update(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _case(request, reference)
    appointment = selectors.record_of(MedicalAppointment, case, pk)
    form = forms.AppointmentUpdateForm(request.POST, prefix=f"appointment{pk}")
    return _update(request, case, form, services.appointment_update, appointment=appointment)


@require_POST
def referral_update(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _case(request, reference)
    referral = selectors.record_of(MedicalReferral, case, pk)
    form = forms.ReferralUpdateForm(request.POST, prefix=f"referral{pk}")
    return _update(request, case, form, services.referral_update, referral=referral)


@require_POST
def cost_commit(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _case(request, reference)
    cost = selectors.record_of(HealthCost, case, pk)
    form = forms.CommitForm(request.POST, prefix=f"commit{pk}")
    return _update(request, case, form, services.cost_commit, cost=cost)


def _update(request: HttpRequest, case: Case, form: Any, write: Any, **target: Any) -> HttpResponse:
    if form.is_valid():
        try:
            write(acting_user=request.user, **target, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.in_one_line())
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _back(case)


# ---------------------------------------------------------------- paying


@require_http_methods(["GET"])
def costs(request: HttpRequest) -> HttpResponse:
    """Committed health costs to pay: the case, amount and line, never what the care was."""
    rows = list(selectors.costs_to_pay(request.user))
    if not rows and not permissions.has_perm_anywhere(request.user, Perm.PAY):
        raise PermissionDenied(_("Only finance officers pay health costs."))
    return render(request, "health/costs.html", {"rows": rows, "form": forms.PayForm(prefix="pay")})


@require_POST
def cost_pay(request: HttpRequest, pk: int) -> HttpResponse:
    cost = selectors.cost_to_pay(request.user, pk)
    form = forms.PayForm(request.POST, prefix="pay")
    if form.is_valid():
        try:
            services.cost_pay(acting_user=request.user, cost=cost, paid_on=form.cleaned_data["paid_on"])
        except ServiceError as error:
            messages.error(request, error.in_one_line())
        else:
            messages.success(request, _("Paid."))
    else:
        messages.error(request, _("Give the date it was paid."))
    return redirect("health:costs")
