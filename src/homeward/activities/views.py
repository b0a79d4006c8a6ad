"""Activity pages: the list (and setting one up), one activity with its attendance grid and
sheet, completion and dropping out, and enrolling a case's member from the case page.

Thin views: an activity of another mission is a 404; a write the role may not make, a 403.
Everything works without JavaScript: the attendance sheet is a plain form of checkboxes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Perm
from homeward.activities import selectors, services
from homeward.activities.forms import ActivityForm, CompleteForm, EnrolForm, SheetForm
from homeward.activities.models import Activity, Enrolment
from homeward.cases import selectors as case_selectors
from homeward.core.errors import ServiceError
from homeward.partners import selectors as partner_selectors
from homeward.partners.models import Partner
from homeward.programmes.models import Programme

# ---------------------------------------------------------------- the list


def _create_missions(request: HttpRequest) -> list[Mission]:
    ids = permissions.mission_ids_with(request.user, Perm.SUPERVISE) | permissions.mission_ids_with(
        request.user, Perm.MANAGE_SITE
    )
    return list(Mission.objects.filter(pk__in=ids))


def _activity_form(request: HttpRequest, data: Any = None) -> ActivityForm | None:
    missions = _create_missions(request)
    if not missions:
        return None
    programmes = list(Programme.objects.filter(missions__in=missions).distinct())
    providers = list(partner_selectors.active_partners(m.pk for m in missions))
    return ActivityForm(data, missions=missions, programmes=programmes, providers=providers, prefix="activity")


def _list_page(request: HttpRequest, form: ActivityForm | None = None) -> HttpResponse:
    if not selectors.read_missions(request.user):
        raise PermissionDenied(_("Your role does not show activities."))
    context = {"activities": list(selectors.activities_for(request.user)), "form": form or _activity_form(request)}
    return render(request, "activities/list.html", context, status=400 if form else 200)


@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@require_POST
def activity_create(request: HttpRequest) -> HttpResponse:
    form = _activity_form(request, request.POST)
    if form is None:
        raise PermissionDenied(_("Only a case supervisor or an administrator of the mission sets up activities."))
    if form.is_valid():
        d = dict(form.cleaned_data)
        mission = Mission.objects.get(pk=d.pop("mission"))
        programme_id, provider_id = d.pop("programme"), d.pop("provider")
        programme = Programme.objects.filter(pk=programme_id).first() if programme_id else None
        provider = Partner.objects.filter(pk=provider_id).first() if provider_id else None
        try:
            activity = services.activity_create(
                acting_user=request.user, mission=mission, programme=programme, provider=provider, **d
            )
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Activity %(title)s set up.") % {"title": activity.title})
            return redirect("activities:detail", activity.pk)
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _list_page(request, form)


# ---------------------------------------------------------------- one activity


def _sheet_day(activity: Activity, raw: str | None) -> dt.date:
    """The day the sheet opens on: the one asked for, else today kept within the activity's dates."""
    try:
        if raw:
            return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    return min(max(timezone.localdate(), activity.starts_on), activity.ends_on)


def _detail_page(request: HttpRequest, activity: Activity, sheet: SheetForm | None = None) -> HttpResponse:
    enrolments = selectors.enrolments_of(request.user, activity)
    runs = selectors.may_run(request.user, activity)
    on = _sheet_day(activity, request.GET.get("on"))
    taking_place = [e for e in enrolments if e.status in Enrolment.TAKING_PLACE]
    marked = {e.pk for e in taking_place for a in e.attendance.all() if a.on == on and a.present}
    if sheet is None and runs and taking_place:
        sheet = SheetForm(initial={"on": on, "present": sorted(marked)}, enrolments=taking_place)
    context = {
        "activity": activity,
        "enrolments": enrolments,
        "grid": selectors.attendance_grid(enrolments),
        "runs": runs,
        "sheet": sheet,
        "sheet_rows": [(e, str(e.pk) in {str(p) for p in (sheet["present"].value() or [])}) for e in taking_place]
        if sheet
        else [],
        "complete_form": CompleteForm(initial={"completed_on": min(timezone.localdate(), activity.ends_on)}),
    }
    return render(request, "activities/detail.html", context, status=400 if sheet and sheet.is_bound else 200)


@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.activity_for(request.user, pk))


@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_for(request.user, pk)
    if not selectors.may_run(request.user, activity):
        raise PermissionDenied(_("Only caseworkers of the mission keep the attendance of its activities."))
    enrolments = [e for e in selectors.enrolments_of(request.user, activity) if e.status in Enrolment.TAKING_PLACE]
    form = SheetForm(request.POST, enrolments=enrolments)
    if form.is_valid():
        notes = {e.pk: request.POST.get(f"note-{e.pk}", "") for e in enrolments}
        try:
            services.attendance_record(
                acting_user=request.user, activity=activity, on=form.cleaned_data["on"],
                present=form.cleaned_data["present"], notes=notes,
            )  # fmt: skip
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Attendance saved."))
            on = form.cleaned_data["on"].isoformat()
            return redirect(reverse("activities:detail", args=[activity.pk]) + f"?on={on}#attendance")
    else:
        messages.error(request, _("Nothing was saved: check the fields marked."))
    return _detail_page(request, activity, form)


def _enrolment(request: HttpRequest, pk: int) -> Enrolment:
    return selectors.enrolment_for(request.user, pk)


@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment(request, pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_complete(acting_user=request.user, enrolment=enrolment, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, error.in_one_line())
        else:
            messages.success(request, _("Completion recorded."))
    else:
        messages.error(request, _("Give the date it was completed."))
    return redirect(reverse("activities:detail", args=[enrolment.activity_id]) + "#enrolments")


@require_POST
def drop(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = _enrolment(request, pk)
    try:
        services.enrolment_drop(acting_user=request.user, enrolment=enrolment)
    except ServiceError as error:
        messages.error(request, error.in_one_line())
    else:
        messages.success(request, _("Recorded as dropped out."))
    return redirect(reverse("activities:detail", args=[enrolment.activity_id]) + "#enrolments")


# ---------------------------------------------------------------- from the case page


@require_POST
def case_enrol(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_for_user(request.user, reference=reference)
    members = list(case.members.all())
    form = EnrolForm(request.POST, activities=selectors.open_activities(case), members=members, prefix="enrol")
    if form.is_valid():
        activity = Activity.objects.get(pk=form.cleaned_data["activity"])
        member = next(m for m in members if m.pk == form.cleaned_data["member"])
        try:
            services.enrol(acting_user=request.user, activity=activity, member=member)
        except ServiceError as error:
            messages.error(request, error.in_one_line())
        else:
            messages.success(request, _("Enrolled in %(activity)s.") % {"activity": activity.title})
    else:
        messages.error(request, _("Nothing was saved: choose an activity and a member."))
    return redirect(reverse("cases:detail", args=[case.reference]) + "#activities-panel")
