"""A case's monitoring page: the schedule, each visit with its findings and photos, recording a visit,
a visit missed, photos added, the closure; and the photo download.

Thin views: parse a form, call one service, redirect or show the page again with
the errors. A case the user may not see is a 404; an action the role may not take, a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from homeward.cases import selectors as case_selectors
from homeward.cases import workflow
from homeward.cases.models import Case
from homeward.core import files
from homeward.core.errors import ServiceError
from homeward.monitoring import policy, selectors, services
from homeward.monitoring.forms import (
    NOT_CHECKED,
    UNSCHEDULED,
    CloseForm,
    FindingForm,
    MissedForm,
    MonitoringForm,
    PhotosForm,
    RecordForm,
)
from homeward.monitoring.models import Visit, VisitFinding

V = Visit.Status


def _case(request: HttpRequest, reference: str) -> Case:
    return case_selectors.case_for_user(request.user, reference=reference)


def _back(case: Case, visit: Visit | None = None) -> HttpResponse:
    anchor = f"#visit-{visit.pk}" if visit is not None else ""
    return redirect(reverse("monitoring:case_monitoring", args=[case.reference]) + anchor)


def _photos(request: HttpRequest, field: str = "photos") -> list[services.PhotoInput]:
    caption = request.POST.get("caption", "")
    return [services.PhotoInput(f, caption) for f in request.FILES.getlist(field)]


# ---------------------------------------------------------------- the page


def _form(bound: dict[Any, Any], action: str, visit: Visit, form_class: type[MonitoringForm]) -> MonitoringForm:
    """The form sent for ``action`` on ``visit`` with its errors, or a fresh one."""
    return bound.get((action, visit.pk)) or form_class(prefix=f"{action}{visit.pk}")


def _page(request: HttpRequest, case: Case, bound: dict[Any, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    user = request.user
    visits = list(selectors.visits_of(user, case))
    today = timezone.localdate()
    open_case = case.status in workflow.AFTER_ARRIVAL
    may_record = open_case and policy.may_record(user, case)
    planned = [v for v in visits if v.status == V.PLANNED]
    rows = [
        {
            "visit": v,
            "overdue": selectors.is_overdue(v, today),
            "missed_form": _form(bound, "missed", v, MissedForm) if may_record and v.status == V.PLANNED else None,
            "photos_form": _form(bound, "photos", v, PhotosForm) if may_record and v.status == V.DONE else None,
        }
        for v in visits
    ]
    record_form = finding_forms = None
    if may_record:
        record_form = bound.get("record") or RecordForm(prefix="record", planned=planned)
        finding_forms = bound.get("findings") or [FindingForm(component=c) for c in services.case_components(case)]
    may_close = open_case and policy.may_close(user, case)
    context = {
        "case": case,
        "rows": rows,
        "counts": {status: sum(v.status == status for v in visits) for status in V.values},
        "overdue": sum(r["overdue"] for r in rows),
        "arrived_on": services.arrived_on(case),
        "schedule": services.schedule_months(case, services.arrived_on(case) or today),
        "record_form": record_form,
        "finding_forms": finding_forms,
        "close_form": (bound.get("close") or CloseForm(prefix="close")) if may_close else None,
        "closure": selectors.closure_of(user, case),
    }
    return render(request, "monitoring/case_monitoring.html", context, status=400 if bound else 200)


@require_GET
def case_monitoring(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, _case(request, reference))


def _failed(request: HttpRequest, form: MonitoringForm, error: ServiceError | None) -> None:
    if error is not None:
        form.add_service_error(error)
        messages.error(request, error.message)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))


# ---------------------------------------------------------------- record a visit


def _finding_inputs(forms: list[FindingForm]) -> list[services.FindingInput]:
    rows = []
    for form in forms:
        d = form.cleaned_data
        if d["delivered"] == NOT_CHECKED:
            continue
        rows.append(services.FindingInput(
            component_id=form.component.pk, delivered=d["delivered"], in_use=d["in_use"],
            business_running=d["business_running"] or VisitFinding.Running.NOT_APPLICABLE, note=d["note"],
        ))  # fmt: skip
    return rows


@require_POST
def visit_record(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not policy.may_record(request.user, case):
        raise PermissionDenied(_("Your role does not record monitoring visits of this case."))
    planned = list(Visit.objects.filter(case=case, status=V.PLANNED))
    form = RecordForm(request.POST, request.FILES, prefix="record", planned=planned)
    finding_forms = [FindingForm(request.POST, component=c) for c in services.case_components(case)]
    error = None
    if form.is_valid() and all(f.is_valid() for f in finding_forms):
        d = form.cleaned_data
        visit = next((v for v in planned if str(v.pk) == d["visit"]), None) if d["visit"] != UNSCHEDULED else None
        try:
            visit = services.visit_record(
                acting_user=request.user, visit=visit, case=case if visit is None else None,
                visited_on=d["visited_on"], mode=d["mode"], met=d["met"], findings=d["findings"], risks=d["risks"],
                follow_up=d["follow_up"], components=_finding_inputs(finding_forms),
                photos=[services.PhotoInput(f, d["caption"]) for f in d["photos"]],
            )  # fmt: skip
        except ServiceError as caught:
            error = caught
        else:
            messages.success(request, _("Visit recorded."))
            return _back(case, visit)
    _failed(request, form, error)
    return _page(request, case, {"record": form, "findings": finding_forms})


# ---------------------------------------------------------------- a visit missed, photos added


def _visit_action(request: HttpRequest, visit_id: int, action: str) -> HttpResponse:
    visit = selectors.visit_for_user(request.user, visit_id)
    case = visit.case
    if not policy.may_record(request.user, case):
        raise PermissionDenied(_("Your role does not record monitoring visits of this case."))
    form_class = MissedForm if action == "missed" else PhotosForm
    form = form_class(request.POST, request.FILES, prefix=f"{action}{visit.pk}")
    error = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "missed":
                services.visit_missed(acting_user=request.user, visit=visit, note=d["note"])
                done = _("Visit recorded as missed.")
            else:
                photos = [services.PhotoInput(f, d["caption"]) for f in d["photos"]]
                services.visit_add_photos(acting_user=request.user, visit=visit, photos=photos)
                done = _("Photos added.")
        except ServiceError as caught:
            error = caught
        else:
            messages.success(request, done)
            return _back(case, visit)
    _failed(request, form, error)
    return _page(request, _case(request, case.reference), {(action, visit.pk): form})


@require_POST
def visit_missed(request: HttpRequest, visit_id: int) -> HttpResponse:
    return _visit_action(request, visit_id, "missed")


@require_POST
def visit_photos(request: HttpRequest, visit_id: int) -> HttpResponse:
    return _visit_action(request, visit_id, "photos")


@require_GET
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    """A visit's photo, only to users who may see the case (404 otherwise)."""
    found = selectors.photo_for_user(request.user, photo_id)
    extension = files.ALLOWED_TYPES.get(found.content_type, "")
    return files.serve_private(
        found.file, found.content_type, f"visit-{found.visit.case.reference}-{found.pk}{extension}"
    )


# ---------------------------------------------------------------- closure


@require_POST
def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if not policy.may_close(request.user, case):
        raise PermissionDenied(_("Only a supervisor of the case's missions closes it."))
    form = CloseForm(request.POST, prefix="close")
    error = None
    if form.is_valid():
        try:
            services.case_close(
                acting_user=request.user, case=case, reason=form.cleaned_data["reason"],
                summary=form.cleaned_data["summary"],
            )  # fmt: skip
        except ServiceError as caught:
            error = caught
        else:
            messages.success(request, _("Case closed."))
            return _back(case)
    _failed(request, form, error)
    return _page(request, _case(request, reference), {"close": form})
