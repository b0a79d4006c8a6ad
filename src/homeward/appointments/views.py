"""Appointment pages: booking from an inquiry, a call or a case; a counsellor's week; one appointment with
its outcome; the offices and their hours.

Thin views: parse a form, call one service, redirect or show the page again with the errors.
Something of another mission is a 404; a write the role may not make, a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.accounts import permissions
from homeward.accounts.models import Mission
from homeward.accounts.roles import Perm
from homeward.appointments import hours as office_hours
from homeward.appointments import selectors, services
from homeward.appointments.forms import BookingForm, CancelForm, HoursForm, MarkForm, OfficeForm
from homeward.appointments.models import Appointment, Office
from homeward.cases.selectors import principal_of
from homeward.core.errors import ServiceError
from homeward.core.forms import show_refusal

CHECK_FIELDS = gettext_lazy("Nothing was saved: check the fields marked.")


# ---------------------------------------------------------------- what an appointment is for


def _source(request: HttpRequest) -> dict[str, Any]:
    """The inquiry, call or case named in the query string (?inquiry=<pk>, ?call=<pk>, ?case=<reference>)."""
    if request.GET.get("inquiry"):
        return {"inquiry": selectors.inquiry_for(request.user, request.GET["inquiry"])}
    if request.GET.get("call"):
        return {"call": selectors.call_for(request.user, request.GET["call"])}
    if request.GET.get("case"):
        return {"case": selectors.case_for(request.user, request.GET["case"])}
    return {}


def _inquiry_page(pk: int) -> str:
    """The triage page of an inquiry, by whichever name the triage app gives it; "" if it has none."""
    for name in ("triage:detail", "triage:inquiry"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return ""


def _about(source: dict[str, Any]) -> dict[str, Any]:
    """Who the appointment is for, the source's missions, language and phone, and where to go back to."""
    kind, obj = next(iter(source.items()))
    if kind == "inquiry":
        back = _inquiry_page(obj.pk)
        return {"kind": kind, "obj": obj, "name": obj.name, "label": _("inquiry %(code)s") % {"code": obj.code},
                "missions": {obj.mission_id}, "phone": obj.phone, "back": back}  # fmt: skip
    if kind == "call":
        when = date_format(timezone.localtime(obj.received_at), "SHORT_DATETIME_FORMAT")
        return {"kind": kind, "obj": obj, "name": obj.caller_name or _("hotline caller"),
                "label": _("hotline call of %(when)s") % {"when": when}, "missions": {obj.mission_id},
                "phone": obj.caller_phone, "back": reverse("outreach:hotline") + f"#call-{obj.pk}"}  # fmt: skip
    person = principal_of(obj)
    return {"kind": kind, "obj": obj, "name": person.full_name if person else obj.reference,
            "label": _("case %(reference)s") % {"reference": obj.reference},
            "missions": {m for m in (obj.host_mission_id, obj.referred_to_mission_id) if m},
            "phone": person.phone if person else "", "back": reverse("cases:detail", args=[obj.reference])}  # fmt: skip


def _booking_choices(request: HttpRequest, missions: set[int]) -> tuple[list[Office], list[Any]]:
    offices = list(selectors.offices_for_booking(request.user).filter(mission_id__in=missions))
    if not offices and not (selectors.book_missions(request.user) & missions):
        raise PermissionDenied(_("Your role does not book counselling appointments for this mission."))
    for o in offices:
        o.hours_summary = office_hours.summary(o.hours.all())  # type: ignore[attr-defined]
    counsellors = list(selectors.counsellors_of({o.mission_id for o in offices}))
    return offices, counsellors


def _input(d: dict[str, Any], offices: list[Office], counsellors: list[Any]) -> services.AppointmentInput:
    office = next(o for o in offices if o.pk == d["office"])
    counsellor = next(u for u in counsellors if u.pk == d["counsellor"])
    return services.AppointmentInput(
        office=office, counsellor=counsellor, on=d["on"], start=d["start"], minutes=d["minutes"], mode=d["mode"],
        language=d["language"], phone=d["phone"], video_link=d["video_link"],
        interpreter_needed=d["interpreter_needed"], interpreter=d["interpreter"], notes=d["notes"],
    )  # fmt: skip


def _when(appointment: Appointment) -> str:
    start = appointment.local_start
    return f"{date_format(start.date(), 'SHORT_DATE_FORMAT')} {start:%H:%M}"


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    source = _source(request)
    if not source:
        messages.info(request, _("Book an appointment from an inquiry, a hotline call or a case."))
        return redirect("appointments:calendar")
    about = _about(source)
    offices, counsellors = _booking_choices(request, about["missions"])
    language = selectors.source_language(**source)
    kwargs = {"offices": offices, "counsellors": counsellors, "language": language}
    if request.method == "POST":
        form = BookingForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                appointment = services.appointment_book(
                    acting_user=request.user, data=_input(form.cleaned_data, offices, counsellors), **source
                )
            except ServiceError as error:
                show_refusal(request, form, error)
            else:
                messages.success(request, _("Appointment booked for %(when)s at %(office)s.") % {
                    "when": _when(appointment), "office": appointment.office.name})  # fmt: skip
                return redirect(about["back"] or reverse("appointments:calendar"))
        else:
            messages.error(request, CHECK_FIELDS)
    else:
        me = request.user.pk if any(u.pk == request.user.pk for u in counsellors) else None
        form = BookingForm(initial={"language": language, "phone": about["phone"], "counsellor": me,
                                    "office": offices[0].pk if len(offices) == 1 else None}, **kwargs)  # fmt: skip
    context = {"form": form, "about": about, "offices": offices, "action": request.get_full_path()}
    return render(request, "appointments/book.html", context, status=400 if form.is_bound else 200)


# ---------------------------------------------------------------- the calendar


def _monday(raw: str | None) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    counsellor = selectors.calendar_counsellor(request.user, request.GET.get("counsellor"))
    monday = _monday(request.GET.get("week"))
    week = selectors.week_of(counsellor, request.user, monday)
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        days.append({"date": day, "appointments": [a for a in week if a.local_start.date() == day]})

    def link(d: dt.date) -> str:
        query = {"week": d.isoformat()}
        if counsellor.pk != request.user.pk:
            query["counsellor"] = str(counsellor.pk)
        return f"{reverse('appointments:calendar')}?{urlencode(query)}"

    context = {
        "counsellor": counsellor, "monday": monday, "sunday": monday + dt.timedelta(days=6), "days": days,
        "choices": selectors.calendar_counsellors(request.user), "previous": link(monday - dt.timedelta(days=7)),
        "next": link(monday + dt.timedelta(days=7)), "this_week": link(timezone.localdate()),
    }  # fmt: skip
    return render(request, "appointments/calendar.html", context)


# ---------------------------------------------------------------- one appointment


def _detail_page(request: HttpRequest, appointment: Appointment, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    may_change = selectors.may_book(request.user, appointment.office.mission_id)
    booked = appointment.status == Appointment.Status.BOOKED
    context = {
        "appointment": appointment,
        "may_change": may_change and booked,
        "started": appointment.starts_at <= timezone.now(),
        "mark_form": bound.get("mark") or MarkForm(),
        "cancel_form": bound.get("cancel") or CancelForm(),
        "reminders": list(appointment.reminders.all()[:10]),
    }
    return render(request, "appointments/detail.html", context, status=400 if bound else 200)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.appointment_for(request.user, pk))


@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_to_change(request.user, pk)
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            services.appointment_mark(acting_user=request.user, appointment=appointment, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect("appointments:detail", appointment.pk)
    else:
        messages.error(request, CHECK_FIELDS)
    return _detail_page(request, appointment, {"mark": form})


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_to_change(request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.appointment_cancel(acting_user=request.user, appointment=appointment, **form.cleaned_data)
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Appointment cancelled."))
            return redirect("appointments:detail", appointment.pk)
    else:
        messages.error(request, CHECK_FIELDS)
    return _detail_page(request, appointment, {"cancel": form})


@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.appointment_to_change(request.user, pk)
    offices, counsellors = _booking_choices(request, {appointment.office.mission_id})
    kwargs = {"offices": offices, "counsellors": counsellors, "language": appointment.language}
    if request.method == "POST":
        form = BookingForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.appointment_reschedule(
                    acting_user=request.user, appointment=appointment,
                    data=_input(form.cleaned_data, offices, counsellors),
                )  # fmt: skip
            except ServiceError as error:
                show_refusal(request, form, error)
            else:
                messages.success(request, _("Appointment moved."))
                return redirect("appointments:detail", appointment.pk)
        else:
            messages.error(request, CHECK_FIELDS)
    else:
        start = appointment.local_start
        form = BookingForm(initial={
            "office": appointment.office_id, "counsellor": appointment.counsellor_id, "on": start.date(),
            "start": start.time(), "minutes": appointment.minutes, "mode": appointment.mode,
            "language": appointment.language, "phone": appointment.phone, "video_link": appointment.video_link,
            "interpreter_needed": appointment.interpreter_needed, "interpreter": appointment.interpreter,
            "notes": appointment.notes}, **kwargs)  # fmt: skip
    context = {"form": form, "appointment": appointment, "offices": offices,
               "action": reverse("appointments:reschedule", args=[appointment.pk])}  # fmt: skip
    return render(request, "appointments/reschedule.html", context, status=400 if form.is_bound else 200)


# ---------------------------------------------------------------- offices


def _admin_missions(request: HttpRequest) -> list[Mission]:
    return list(Mission.objects.filter(pk__in=permissions.mission_ids_with(request.user, Perm.MANAGE_SITE)))


def _office_input(d: dict[str, Any]) -> services.OfficeInput:
    return services.OfficeInput(**{k: v for k, v in d.items() if k != "mission"})


def _offices_page(request: HttpRequest, form: OfficeForm | None = None) -> HttpResponse:
    missions = _admin_missions(request)
    if not missions:
        raise PermissionDenied(_("Only administrators of the mission manage its offices."))
    offices = [{"office": o, "hours": office_hours.summary(o.hours.all())}
               for o in selectors.offices_managed_by(request.user)]  # fmt: skip
    context = {"offices": offices, "form": form or OfficeForm(missions=missions)}
    return render(request, "appointments/offices.html", context, status=400 if form else 200)


@require_http_methods(["GET", "POST"])
def offices(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _offices_page(request)
    missions = _admin_missions(request)
    if not missions:
        raise PermissionDenied(_("Only administrators of the mission manage its offices."))
    form = OfficeForm(request.POST, missions=missions)
    if form.is_valid():
        mission = next(m for m in missions if m.pk == form.cleaned_data["mission"])
        try:
            office = services.office_create(
                acting_user=request.user, mission=mission, data=_office_input(form.cleaned_data)
            )
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Office %(name)s added: now give its opening hours.") % {"name": office.name})
            return redirect("appointments:office", office.pk)
    else:
        messages.error(request, CHECK_FIELDS)
    return _offices_page(request, form)


def _office_page(request: HttpRequest, office: Office, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    edit_form = bound.get("office") or OfficeForm(
        missions=[office.mission],
        initial={"mission": office.mission_id, "name": office.name, "address": office.address, "city": office.city,
                 "phone": office.phone, "email": office.email, "time_zone": office.time_zone,
                 "languages": ", ".join(office.languages), "public": office.public, "active": office.active},
    )  # fmt: skip
    hours_form = bound.get("hours") or HoursForm(initial=HoursForm.initial_for(office.hours.all()))
    context = {"office": office, "edit_form": edit_form, "hours_form": hours_form,
               "summary": office_hours.summary(office.hours.all())}  # fmt: skip
    return render(request, "appointments/office.html", context, status=400 if bound else 200)


@require_http_methods(["GET", "POST"])
def office(request: HttpRequest, pk: int) -> HttpResponse:
    office = selectors.office_to_manage(request.user, pk)
    if request.method == "GET":
        return _office_page(request, office)
    form = OfficeForm(request.POST, missions=[office.mission])
    if form.is_valid():
        try:
            services.office_update(acting_user=request.user, office=office, data=_office_input(form.cleaned_data))
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Office saved."))
            return redirect("appointments:office", office.pk)
    else:
        messages.error(request, CHECK_FIELDS)
    return _office_page(request, office, {"office": form})


@require_POST
def office_hours_edit(request: HttpRequest, pk: int) -> HttpResponse:
    office = selectors.office_to_manage(request.user, pk)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.office_hours_set(acting_user=request.user, office=office, week=form.cleaned_data["week"])
        except ServiceError as error:
            show_refusal(request, form, error)
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("appointments:office", office.pk)
    else:
        messages.error(request, CHECK_FIELDS)
    return _office_page(request, office, {"hours": form})
