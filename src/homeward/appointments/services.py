"""Every write of appointments: offices and their hours, and booking, moving, cancelling and marking appointments.

Who: administrators of a mission (Perm.MANAGE_SITE) keep its offices; those who counsel there
(Perm.COUNSEL: counsellors, supervisors) book and change its appointments.
Times: the person types a local date and time; it is read in the office's time zone, judged
against the office's hours there, and stored in UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Perm
from homeward.appointments import hours as office_hours
from homeward.appointments.models import Appointment, Office, OfficeHours
from homeward.cases.models import Case
from homeward.core import languages as language_codes
from homeward.core.audit import about_case, service
from homeward.core.errors import FieldErrors, ServiceError
from homeward.core.validation import save_changes
from homeward.outreach.models import HotlineCall
from homeward.people.inputs import normalise_phone
from homeward.triage.models import Inquiry

MIN_MINUTES = 15
MAX_MINUTES = 240


def _refuse(name: str, message: str) -> ServiceError:
    return ServiceError(message, {name: [message]})


# ---------------------------------------------------------------- offices


def _require_admin(user: User, mission_id: int) -> None:
    if not permissions.has_perm_in(user, Perm.MANAGE_SITE, mission_id):
        raise PermissionDenied(_("Only administrators of the mission manage its offices."))


@dataclass
class OfficeInput:
    name: str
    time_zone: str
    address: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    languages: list[str] = field(default_factory=list)
    public: bool = True
    active: bool = True


def _check_office(data: OfficeInput) -> dict[str, Any]:
    errors = FieldErrors()
    if not data.name.strip():
        errors.add("name", _("Give the office a name."))
    zone = data.time_zone.strip()
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.add("time_zone", _("“%(zone)s” is not a time zone: write it as Europe/Athens.") % {"zone": zone})
    codes = list(dict.fromkeys(c.strip().lower() for c in data.languages if c.strip()))
    unknown = [c for c in codes if not language_codes.is_known(c)]
    if unknown:
        errors.add("languages", _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)})
    email = data.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", _("“%(email)s” is not an e-mail address.") % {"email": email})
    errors.raise_if_any()
    return {"name": data.name.strip(), "time_zone": zone, "address": data.address.strip(), "city": data.city.strip(),
            "phone": data.phone.strip(), "email": email, "languages": codes, "public": data.public,
            "active": data.active}  # fmt: skip


@service
def office_create(*, acting_user: User, mission: Mission, data: OfficeInput) -> Office:
    """Open an office. Rule: an administrator of the mission; a real IANA time zone; known ISO 639 languages."""
    _require_admin(acting_user, mission.pk)
    office = Office(mission=mission, **_check_office(data))
    office.save()
    return office


@service
def office_update(*, acting_user: User, office: Office, data: OfficeInput) -> Office:
    """Change an office; the same rules as opening one. Booked appointments keep their UTC times."""
    _require_admin(acting_user, office.mission_id)
    save_changes(office, _check_office(data))
    return office


@service
def office_hours_set(*, acting_user: User, office: Office, week: dict[int, list[office_hours.Period]]) -> Office:
    """Replace an office's opening hours. Rules: each period closes after it opens; the periods of a
    day do not overlap (back to back is fine); a day left out is closed."""
    _require_admin(acting_user, office.mission_id)
    errors = FieldErrors()
    for weekday in range(7):
        periods = week.get(weekday, [])
        name = office_hours.weekday_name(weekday)
        for opens, closes in periods:
            if closes <= opens:
                errors.add(f"day_{weekday}", _("%(day)s: %(opens)s–%(closes)s closes before it opens.") % {
                    "day": name, "opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"})  # fmt: skip
        clash = office_hours.overlapping(periods)
        if clash and f"day_{weekday}" not in errors:
            errors.add(f"day_{weekday}", _("%(day)s: %(opens)s–%(closes)s overlaps another period.") % {
                "day": name, "opens": f"{clash[0]:%H:%M}", "closes": f"{clash[1]:%H:%M}"})  # fmt: skip
    errors.raise_if_any()
    # Row by row, not in bulk: the audit log hears of each period removed and added.
    office.hours.all().delete()
    for weekday in range(7):
        for opens, closes in sorted(week.get(weekday, [])):
            OfficeHours.objects.create(office=office, weekday=weekday, opens=opens, closes=closes)
    return office


# ---------------------------------------------------------------- appointments: checks


@dataclass
class AppointmentInput:
    """A booking as typed: ``on`` and ``start`` are the office's local date and time."""

    office: Office
    counsellor: User
    on: dt.date
    start: dt.time
    minutes: int
    mode: str = Appointment.Mode.IN_PERSON
    language: str = ""
    phone: str = ""
    video_link: str = ""
    interpreter_needed: bool = False
    interpreter: str = ""
    notes: str = ""


def local_to_utc(office: Office, on: dt.date, start: dt.time) -> dt.datetime:
    """The UTC instant of a local date and time at the office; a time skipped by a clock change is refused."""
    zone = ZoneInfo(office.time_zone)
    local = dt.datetime.combine(on, start.replace(second=0, microsecond=0), tzinfo=zone)
    instant = local.astimezone(dt.UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise _refuse("start", _("%(time)s does not exist on %(date)s in %(zone)s: the clocks change then.") % {
            "time": f"{start:%H:%M}", "date": on.isoformat(), "zone": office.time_zone})  # fmt: skip
    return instant


def _when(appointment: Appointment, zone: ZoneInfo) -> str:
    start, end = appointment.starts_at.astimezone(zone), appointment.ends_at.astimezone(zone)
    return _("%(date)s %(start)s–%(end)s") % {
        "date": date_format(start.date(), "SHORT_DATE_FORMAT"), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}  # fmt: skip


def _check_counsellor(errors: FieldErrors, office: Office, counsellor: User) -> None:
    if not counsellor.is_active or not permissions.has_perm_in(counsellor, Perm.COUNSEL, office.mission_id):
        errors.add("counsellor", _("%(name)s does not counsel at %(mission)s.") % {
            "name": counsellor.get_full_name() or counsellor.username, "mission": office.mission.code})  # fmt: skip


def _check_source(user: User, office: Office, inquiry: Inquiry | None, call: HotlineCall | None,
                  case: Case | None) -> None:  # fmt: skip
    """Rule: exactly one of inquiry, call or case, of the office's mission and visible to the user."""
    given = [s for s in (inquiry, call, case) if s is not None]
    if len(given) != 1:
        raise _refuse("__all__", _("An appointment is for one inquiry, one hotline call or one case."))
    readers = permissions.mission_ids_with(user, Perm.VIEW_CASE)
    if inquiry is not None:
        if inquiry.mission_id not in readers or inquiry.mission_id != office.mission_id:
            raise _refuse("office", _("Choose an office of the inquiry's mission."))
        if not inquiry.is_open:
            raise _refuse("__all__", _("This inquiry is closed or became a case: book from the case instead."))
    if call is not None and (call.mission_id not in readers or call.mission_id != office.mission_id):
        raise _refuse("office", _("Choose an office of the call's mission."))
    if case is not None and (
        not permissions.can_view_case(user, case)
        or office.mission_id not in {case.host_mission_id, case.referred_to_mission_id}
    ):
        raise _refuse("office", _("Choose an office of the case's mission."))


def _check_times(errors: FieldErrors, data: AppointmentInput) -> tuple[dt.datetime, dt.datetime] | None:
    """Rules: 15 to 240 minutes; not in the past; inside one opening period of that weekday, in the office's zone."""
    if data.minutes is None or not MIN_MINUTES <= data.minutes <= MAX_MINUTES:
        errors.add("minutes", _("An appointment lasts %(min)s to %(max)s minutes.") % {
            "min": MIN_MINUTES, "max": MAX_MINUTES})  # fmt: skip
        return None
    try:
        starts_at = local_to_utc(data.office, data.on, data.start)
    except ServiceError as exc:
        errors.add("start", exc.message)
        return None
    ends_at = starts_at + dt.timedelta(minutes=data.minutes)
    if starts_at <= timezone.now():
        errors.add("on", _("That time has passed: choose a later one."))
        return None
    zone = ZoneInfo(data.office.time_zone)
    local_start, local_end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    weekday = local_start.weekday()
    periods = office_hours.by_day(data.office.hours.all())[weekday]
    if local_end.date() != local_start.date() or not office_hours.fits(periods, local_start.time(), local_end.time()):
        message = _("%(start)s–%(end)s is outside the office's hours. %(hours)s") % {
            "start": f"{local_start:%H:%M}", "end": f"{local_end:%H:%M}",
            "hours": office_hours.say_day(weekday, periods)}  # fmt: skip
        errors.add("start", message)
        return None
    return starts_at, ends_at


def _check_mode(errors: FieldErrors, office: Office, data: AppointmentInput) -> dict[str, str]:
    phone, link = "", ""
    if data.mode not in Appointment.Mode.values:
        errors.add("mode", _("Choose from the list."))
    elif data.mode == Appointment.Mode.PHONE:
        if not data.phone.strip():
            errors.add("phone", _("Give the number to call."))
        else:
            try:
                phone = normalise_phone(data.phone, office.mission.country.code)
            except ValueError as exc:
                errors.add("phone", str(exc))
    elif data.mode == Appointment.Mode.VIDEO:
        link = data.video_link.strip()
        try:
            URLValidator(schemes=["https"])(link)
        except ValidationError:
            errors.add("video_link", _("Give the video call's link, starting with https://."))
    return {"phone": phone, "video_link": link}


def _clashes(errors: FieldErrors, zone: ZoneInfo, starts_at: dt.datetime, ends_at: dt.datetime, *,
             counsellor: User, source: dict[str, Any], exclude: int | None) -> None:  # fmt: skip
    """Rules: no other booked appointment of the counsellor (at any office) or of the same inquiry,
    call or case overlaps; one ending as the next starts is fine."""
    booked = Appointment.objects.filter(
        status=Appointment.Status.BOOKED, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(pk=exclude)
    mine = booked.filter(counsellor=counsellor).select_related("office").first()
    if mine is not None:
        errors.add("start", _("%(name)s already has an appointment %(when)s at %(office)s.") % {
            "name": counsellor.get_full_name() or counsellor.username, "when": _when(mine, zone),
            "office": mine.office.name})  # fmt: skip
    theirs = booked.filter(**source).first()
    if theirs is not None:
        errors.add("start", _("This person already has an appointment %(when)s.") % {"when": _when(theirs, zone)})


def _lock(counsellor: User, source: dict[str, Any]) -> None:
    """Lock the counsellor's row (and the inquiry, call or case) before looking for overlaps: two bookings
    at once for the same counsellor then run one after the other, and the second sees the first."""
    User.objects.select_for_update().filter(pk=counsellor.pk).first()
    obj = next(iter(source.values()))
    type(obj).objects.select_for_update(of=("self",)).filter(pk=obj.pk).first()


def _values(user: User, data: AppointmentInput, source: dict[str, Any], exclude: int | None = None) -> dict[str, Any]:
    office = data.office
    errors = FieldErrors()
    if not office.active:
        errors.add("office", _("This office is closed for good."))
    _check_counsellor(errors, office, data.counsellor)
    language = data.language.strip().lower()
    if not language:
        errors.add("language", _("Which language will the appointment be in?"))
    elif not language_codes.is_known(language):
        errors.add("language", _("Unknown language code: %(codes)s.") % {"codes": language})
    contact = _check_mode(errors, office, data)
    times = _check_times(errors, data)
    if times is not None and "counsellor" not in errors:
        _lock(data.counsellor, source)
        _clashes(errors, ZoneInfo(office.time_zone), *times, counsellor=data.counsellor, source=source, exclude=exclude)
    errors.raise_if_any()
    assert times is not None  # noqa: S101 - raise_if_any() raised otherwise
    return {"office": office, "counsellor": data.counsellor, "starts_at": times[0], "ends_at": times[1],
            "mode": data.mode, "language": language, **contact, "interpreter_needed": data.interpreter_needed,
            "interpreter": data.interpreter.strip() if data.interpreter_needed else "",
            "notes": data.notes.strip()}  # fmt: skip


def _require_booker(user: User, mission_id: int) -> None:
    if not permissions.has_perm_in(user, Perm.COUNSEL, mission_id):
        raise PermissionDenied(_("Your role does not book counselling appointments for this mission."))


def _case_id(appointment: Appointment) -> int | None:
    return appointment.get_additional_data().get("case_id")  # type: ignore[return-value]


# ---------------------------------------------------------------- appointments: writes


@service
def appointment_book(
    *,
    acting_user: User,
    data: AppointmentInput,
    inquiry: Inquiry | None = None,
    call: HotlineCall | None = None,
    case: Case | None = None,
) -> Appointment:
    """Book a counselling appointment.

    Rules: the user counsels in the office's mission and sees the inquiry, call or case (exactly one),
    which is of that mission; the counsellor counsels there too; 15–240 minutes, not in the past,
    inside one opening period of the office that weekday in its time zone; no overlap with the
    counsellor's other booked appointments (any office) nor with the same person's. Booking for a
    new inquiry marks it assigned, and gives it the counsellor if it has none.
    """
    _require_booker(acting_user, data.office.mission_id)
    _check_source(acting_user, data.office, inquiry, call, case)
    source = {k: v for k, v in {"inquiry": inquiry, "call": call, "case": case}.items() if v is not None}
    appointment = Appointment(**_values(acting_user, data, source), **source, booked_by=acting_user)
    with about_case(_case_id(appointment)):
        appointment.save()
    if inquiry is not None:
        _assign_inquiry(inquiry, data.counsellor, acting_user)
    return appointment


def _assign_inquiry(inquiry: Inquiry, counsellor: User, acting_user: User) -> None:
    """A booking for a new inquiry assigns it, by triage's rule: to oneself, or by a supervisor to anyone.
    The triage app owns inquiries; only these two fields move here, as a booking implies them."""
    may_assign = counsellor.pk == acting_user.pk or permissions.has_perm_in(
        acting_user, Perm.ASSIGN_CASE, inquiry.mission_id
    )
    inquiry = Inquiry.objects.get(pk=inquiry.pk)
    changed = []
    if inquiry.assigned_to_id is None and may_assign:
        inquiry.assigned_to = counsellor
        changed.append("assigned_to")
        if inquiry.status == Inquiry.Status.NEW:
            inquiry.status = Inquiry.Status.ASSIGNED
            changed.append("status")
    if changed:
        inquiry.save(update_fields=[*changed, "updated_at"])


def _require_booked(appointment: Appointment) -> None:
    if appointment.status != Appointment.Status.BOOKED:
        raise _refuse("__all__", _("This appointment is already %(status)s.") % {
            "status": appointment.get_status_display()})  # fmt: skip


def _fresh(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update(of=("self",)).select_related("office__mission").get(pk=appointment.pk)


@service
def appointment_reschedule(*, acting_user: User, appointment: Appointment, data: AppointmentInput) -> Appointment:
    """Move a booked appointment (time, office, counsellor, how); the same rules as booking it.
    A reminder already sent goes out again for the new time."""
    appointment = _fresh(appointment)
    _require_booker(acting_user, appointment.office.mission_id)
    _require_booked(appointment)
    if data.office.mission_id != appointment.office.mission_id:
        raise _refuse("office", _("Choose an office of the same mission."))
    source = {appointment.source_kind: getattr(appointment, appointment.source_kind)}
    values = _values(acting_user, data, source, exclude=appointment.pk)
    changed = [name for name, value in values.items() if getattr(appointment, name) != value]
    for name in changed:
        setattr(appointment, name, values[name])
    if {"starts_at", "ends_at"} & set(changed):
        appointment.reminded_at = None
        changed.append("reminded_at")
    if changed:
        with about_case(_case_id(appointment)):
            appointment.save(update_fields=changed)
    return appointment


@service
def appointment_cancel(*, acting_user: User, appointment: Appointment, reason: str) -> Appointment:
    """Cancel a booked appointment. Rule: a reason is given."""
    appointment = _fresh(appointment)
    _require_booker(acting_user, appointment.office.mission_id)
    _require_booked(appointment)
    if not reason.strip():
        raise _refuse("reason", _("Say why the appointment is cancelled."))
    appointment.status = Appointment.Status.CANCELLED
    appointment.cancel_reason = reason.strip()
    return _marked(acting_user, appointment, ["status", "cancel_reason"])


@service
def appointment_mark(*, acting_user: User, appointment: Appointment, outcome: str, note: str = "") -> Appointment:
    """Record that the person came or did not. Rule: a booked appointment, once its start time has passed."""
    appointment = _fresh(appointment)
    _require_booker(acting_user, appointment.office.mission_id)
    if outcome not in (Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW):
        raise _refuse("outcome", _("Choose from the list."))
    _require_booked(appointment)
    if timezone.now() < appointment.starts_at:
        raise _refuse("outcome", _("The appointment has not started yet: mark it once its time has come."))
    appointment.status = outcome
    fields = ["status"]
    if note.strip():
        appointment.notes = "\n".join(filter(None, [appointment.notes, note.strip()]))
        fields.append("notes")
    return _marked(acting_user, appointment, fields)


@service
def appointments_cancel_for(
    *, inquiry: Inquiry | None = None, case: Case | None = None, reason: str, acting_user: User
) -> int:
    """Cancel the booked appointments still to come of an inquiry being closed or a case leaving the workflow,
    so no one is reminded of, or waited for at, an appointment that no longer has a purpose.

    Called by triage (inquiry_close) and cases.journey (a way out) inside their transaction, once they
    have checked the user may make that move: the move decides, so no permission of its own here.
    A case's appointments include those of the inquiry or hotline call that became it. Appointments
    already past stay booked, to be marked. Row by row, so the audit log hears of each. Returns how many.
    """
    if (inquiry is None) == (case is None):
        raise TypeError("appointments_cancel_for() takes an inquiry or a case")
    whose = Q(inquiry=inquiry) if inquiry is not None else Q(case=case) | Q(inquiry__case=case) | Q(call__case=case)
    booked = Appointment.objects.filter(status=Appointment.Status.BOOKED, starts_at__gt=timezone.now())
    ids = list(booked.filter(whose).values_list("pk", flat=True))
    # Locked by id, then checked again: one being marked or moved at this moment waits, then is seen as it is.
    locked = list(booked.select_for_update(of=("self",)).select_related("inquiry", "call").filter(pk__in=ids))
    for appointment in locked:
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancel_reason = reason.strip()
        _marked(acting_user, appointment, ["status", "cancel_reason"])
    return len(locked)


def _marked(user: User, appointment: Appointment, fields: list[str]) -> Appointment:
    appointment.marked_by = user
    appointment.marked_at = timezone.now()
    with about_case(_case_id(appointment)):
        appointment.save(update_fields=[*fields, "marked_by", "marked_at"])
    return appointment
