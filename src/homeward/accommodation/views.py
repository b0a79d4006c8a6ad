"""Accommodation pages: the occupancy board, a facility and its beds, and the case card's forms.

Thin views: parse a form, call one service, redirect or show the page again with the errors.
Something of another mission is a 404; a write the role may not make, a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accommodation import selectors, services
from homeward.accommodation.forms import CapacityForm, CheckInForm, CheckOutForm, FacilityForm, WaitingForm
from homeward.accommodation.models import Facility
from homeward.accounts.models import Mission
from homeward.cases import selectors as case_selectors
from homeward.core.errors import ServiceError
from homeward.partners import selectors as partner_selectors
from homeward.partners.models import Partner


def _mission_from(request: HttpRequest, missions: list[Mission]) -> Mission:
    code = (request.GET.get("mission") or "").upper()
    return next((m for m in missions if m.code == code), missions[0])


# ---------------------------------------------------------------- the board


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    missions = selectors.board_missions(request.user)
    if not missions:
        raise PermissionDenied(_("Your role does not show accommodation."))
    mission = _mission_from(request, missions)
    today = timezone.localdate()
    facilities = list(selectors.facilities_of(mission, active_only=True))
    sees_people = selectors.sees_people(request.user, mission.pk)
    context = {
        "missions": missions,
        "mission": mission,
        "today": today,
        "boards": selectors.occupancy(facilities, today, request.user),
        "sees_people": sees_people,
        # Who waits is for who reads cases; how many wait is for who keeps the beds too.
        "waiting": selectors.waiting_list(request.user, mission, today) if sees_people else [],
        "waiting_people": selectors.waiting_people(mission),
        "may_manage": selectors.may_manage(request.user, mission.pk),
        "inactive": list(Facility.objects.filter(mission=mission, active=False)),
    }
    return render(request, "accommodation/board.html", context)


# ---------------------------------------------------------------- facilities


def _partners(mission_id: int) -> list[Partner]:
    return list(partner_selectors.active_partners([mission_id]))


def _facility_input(d: dict[str, Any], mission_id: int) -> services.FacilityInput:
    partner = Partner.objects.filter(pk=d["partner"], mission_id=mission_id).first() if d.get("partner") else None
    return services.FacilityInput(name=d["name"], kind=d["kind"], partner=partner, address=d["address"],
                                  notes=d["notes"], active=d["active"])  # fmt: skip


@require_http_methods(["GET", "POST"])
def facility_create(request: HttpRequest) -> HttpResponse:
    missions = [m for m in selectors.board_missions(request.user) if selectors.may_manage(request.user, m.pk)]
    if not missions:
        raise PermissionDenied(_("Your role does not manage this mission's facilities."))
    mission = _mission_from(request, missions)
    form = FacilityForm(request.POST or None, partners=_partners(mission.pk), prefix="facility")
    if request.method == "POST" and form.is_valid():
        try:
            facility = services.facility_create(
                acting_user=request.user, mission=mission, data=_facility_input(form.cleaned_data, mission.pk)
            )
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Facility %(name)s added: now give its beds.") % {"name": facility.name})
            return redirect("accommodation:facility", facility.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "mission": mission, "facility": None}
    return render(request, "accommodation/facility.html", context, status=status)


def _facility_page(request: HttpRequest, facility: Facility, **forms: Any) -> HttpResponse:
    initial = {"name": facility.name, "kind": facility.kind, "partner": facility.partner_id,
               "address": facility.address, "notes": facility.notes, "active": facility.active}  # fmt: skip
    context = {
        "facility": facility,
        "mission": facility.mission,
        "form": forms.get("form")
        or FacilityForm(partners=_partners(facility.mission_id), initial=initial, prefix="facility"),
        "capacity_form": forms.get("capacity_form") or CapacityForm(prefix="capacity"),
        "board": selectors.occupancy([facility], timezone.localdate(), request.user)[0],
    }
    return render(request, "accommodation/facility.html", context, status=400 if forms else 200)


@require_http_methods(["GET", "POST"])
def facility_edit(request: HttpRequest, pk: int) -> HttpResponse:
    facility = selectors.facility_for(request.user, pk)
    if not selectors.may_manage(request.user, facility.mission_id):
        raise PermissionDenied(_("Your role does not manage this mission's facilities."))
    if request.method == "GET":
        return _facility_page(request, facility)
    form = FacilityForm(request.POST, partners=_partners(facility.mission_id), prefix="facility")
    if form.is_valid():
        try:
            services.facility_update(
                acting_user=request.user,
                facility=facility,
                data=_facility_input(form.cleaned_data, facility.mission_id),
            )
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("accommodation:facility", facility.pk)
    return _facility_page(request, facility, form=form)


@require_POST
def capacity_set(request: HttpRequest, pk: int) -> HttpResponse:
    facility = selectors.facility_for(request.user, pk)
    form = CapacityForm(request.POST, prefix="capacity")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.capacity_set(acting_user=request.user, facility=facility, room_type=d["room_type"], beds=d["beds"])
        except ServiceError as error:
            form.add_service_error(error)
            messages.error(request, error.message)
        else:
            messages.success(request, _("Beds saved."))
            return redirect("accommodation:facility", facility.pk)
    return _facility_page(request, facility, capacity_form=form)


# ---------------------------------------------------------------- the case card's forms


def _back(case: Any) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.reference]) + "#accommodation-panel")


def _chosen(case: Any, ids: list[int]) -> list[Any]:
    members = {m.pk: m for m in case.members.all()}
    return [members[i] for i in ids if i in members]


def _facility_of(case: Any, pk: int | None) -> Facility | None:
    return Facility.objects.filter(pk=pk, mission_id=case.host_mission_id).first() if pk else None


@require_POST
def check_in(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_for_user(request.user, reference=reference)
    facilities = list(selectors.facilities_of(case.host_mission, active_only=True))
    form = CheckInForm(request.POST, members=list(case.members.all()), facilities=facilities, prefix="checkin")
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": _form_errors(form)})
        return _back(case)
    d = form.cleaned_data
    facility = _facility_of(case, d["facility"])
    if facility is None:
        raise Http404
    try:
        placed = services.placement_check_in(
            acting_user=request.user, case=case, members=_chosen(case, d["members"]), facility=facility,
            room_type=d["room_type"], checked_in_on=d["checked_in_on"],
            expected_check_out_on=d["expected_check_out_on"], reason=d["reason"],
        )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.in_one_line())
    else:
        messages.success(
            request, _("Checked in at %(facility)s: %(count)d.") % {"facility": facility.name, "count": len(placed)}
        )
    return _back(case)


def _form_errors(form: Any) -> str:
    return " ".join(
        f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}" for k, v in form.errors.items()
    )


@require_POST
def check_out(request: HttpRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_for(request.user, pk)
    form = CheckOutForm(request.POST, prefix=f"checkout-{placement.pk}")
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": _form_errors(form)})
        return _back(placement.case)
    d = form.cleaned_data
    try:
        services.placement_check_out(acting_user=request.user, placement=placement, checked_out_on=d["checked_out_on"],
                                     end_reason=d["end_reason"], note=d["note"])  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.in_one_line())
    else:
        messages.success(request, _("%(name)s checked out.") % {"name": placement.member.person})
    return _back(placement.case)


@require_POST
def waiting_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_selectors.case_for_user(request.user, reference=reference)
    facilities = list(selectors.facilities_of(case.host_mission, active_only=True))
    form = WaitingForm(request.POST, members=list(case.members.all()), facilities=facilities, prefix="waiting")
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: %(errors)s") % {"errors": _form_errors(form)})
        return _back(case)
    d = form.cleaned_data
    try:
        services.waiting_add(acting_user=request.user, case=case, members=_chosen(case, d["members"]),
                             room_type=d["room_type"], facility=_facility_of(case, d["facility"]), note=d["note"])  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.in_one_line())
    else:
        messages.success(request, _("Added to the waiting list."))
    return _back(case)


@require_POST
def waiting_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.waiting_entry_for(request.user, pk)
    try:
        services.waiting_remove(acting_user=request.user, entry=entry)
    except ServiceError as error:
        messages.error(request, error.in_one_line())
    else:
        messages.success(request, _("Taken off the waiting list."))
    return _back(entry.case)
