"""Reads of offices and appointments, scoped to the user's missions.

Who reads what:
- appointments (they name people, with their phone and notes): those who register and counsel in the
  office's mission (Perm.REGISTER_CASE: counsellors, supervisors), as triage does for inquiries; an
  appointment of a case, only if they may also read that case. Other roles get a 404;
- booking, rescheduling, marking: those who counsel there (counsellors, supervisors);
- a counsellor's calendar: one's own; a supervisor's, any counsellor of their missions;
- offices and their hours: administrators of the mission manage them; anyone of the mission lists them.
Something of another mission is a 404; a forbidden action, a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.accounts.roles import Perm
from homeward.appointments.models import Appointment, Office
from homeward.cases.models import Case, CaseMember, Relationship
from homeward.outreach.models import HotlineCall
from homeward.triage.models import Inquiry

# Who reads appointments: as for inquiries (triage), those who register cases in the mission. A finance,
# movement or M&E officer reads cases but not who is coming to the office, their phone and the notes.
READ_PERM = Perm.REGISTER_CASE


def read_missions(user: Any) -> set[int]:
    return permissions.mission_ids_with(user, READ_PERM)


def may_read(user: Any, mission_id: int | None) -> bool:
    return permissions.has_perm_in(user, READ_PERM, mission_id)


def book_missions(user: Any) -> set[int]:
    return permissions.mission_ids_with(user, Perm.COUNSEL)


def may_book(user: Any, mission_id: int | None) -> bool:
    return permissions.has_perm_in(user, Perm.COUNSEL, mission_id)


# ---------------------------------------------------------------- offices


def offices_for(user: Any) -> QuerySet[Office]:
    """The offices of every mission the user belongs to, with their hours."""
    missions = set(permissions.roles_by_mission(user))
    return Office.objects.filter(mission_id__in=missions).select_related("mission").prefetch_related("hours")


def offices_managed_by(user: Any) -> QuerySet[Office]:
    return offices_for(user).filter(mission_id__in=permissions.mission_ids_with(user, Perm.MANAGE_SITE))


def office_to_manage(user: Any, pk: int) -> Office:
    """An office the user administers: 404 outside their missions, 403 without the right to manage it."""
    office = offices_for(user).filter(pk=pk).first()
    if office is None:
        raise Http404
    if not permissions.has_perm_in(user, Perm.MANAGE_SITE, office.mission_id):
        raise PermissionDenied(_("Only administrators of the mission manage its offices."))
    return office


def offices_for_booking(user: Any) -> QuerySet[Office]:
    return offices_for(user).filter(mission_id__in=book_missions(user), active=True)


def counsellors_of(mission_ids: set[int] | list[int]) -> QuerySet[User]:
    """Active users who counsel in these missions (counsellors and supervisors)."""
    return permissions.users_with(Perm.COUNSEL, mission_ids)


# ---------------------------------------------------------------- what an appointment is for


def inquiry_for(user: Any, pk: Any) -> Inquiry:
    found = Inquiry.objects.filter(mission_id__in=read_missions(user), pk=_int(pk)).select_related("mission").first()
    if found is None:
        raise Http404
    return found


def call_for(user: Any, pk: Any) -> HotlineCall:
    found = (
        HotlineCall.objects.filter(mission_id__in=read_missions(user), pk=_int(pk)).select_related("mission").first()
    )
    if found is None:
        raise Http404
    return found


def case_for(user: Any, reference: str) -> Case:
    found = (
        Case.objects.filter(permissions.case_scope(user), reference=reference)
        .select_related("host_mission")
        .prefetch_related(_principal())
        .first()
    )
    if found is None:
        raise Http404
    return found


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _principal(prefix: str = "") -> Prefetch:
    return Prefetch(
        f"{prefix}members",
        queryset=CaseMember.objects.filter(relationship=Relationship.PRINCIPAL).select_related("person"),
        to_attr="principal_members",
    )


def source_language(
    *, inquiry: Inquiry | None = None, call: HotlineCall | None = None, case: Case | None = None
) -> str:
    """The language the person asked in (inquiry, call) or the principal applicant's first language (case)."""
    if inquiry is not None:
        return inquiry.language
    if call is not None:
        return call.language
    if case is not None:
        from homeward.cases.selectors import principal_of

        person = principal_of(case)
        return (person.languages or [""])[0] if person else ""
    return ""


# ---------------------------------------------------------------- appointments


def appointments_for(user: Any) -> QuerySet[Appointment]:
    """Rule: the office is of a mission the user registers cases in; an appointment of a case, only if the
    user may also read the case (a case since referred elsewhere is no longer theirs to read)."""
    return (
        Appointment.objects.filter(office__mission_id__in=read_missions(user))
        .filter(Q(case__isnull=True) | permissions.case_scope(user, prefix="case__"))
        .select_related("office", "counsellor", "inquiry", "call", "case")
        .prefetch_related(_principal("case__"))
    )


def appointment_for(user: Any, pk: int) -> Appointment:
    found = appointments_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def appointment_to_change(user: Any, pk: int) -> Appointment:
    """An appointment the user may change: 404 outside their missions, 403 if they do not counsel there."""
    appointment = appointment_for(user, pk)
    if not may_book(user, appointment.office.mission_id):
        raise PermissionDenied(_("Your role does not book counselling appointments for this mission."))
    return appointment


def between(qs: QuerySet[Appointment], start: dt.datetime | None, end: dt.datetime | None) -> QuerySet[Appointment]:
    """Appointments that overlap [start, end)."""
    if start is not None:
        qs = qs.filter(ends_at__gt=start)
    if end is not None:
        qs = qs.filter(starts_at__lt=end)
    return qs


def for_case(user: Any, case: Case) -> list[Appointment]:
    """The case's appointments and those of the inquiry or call that became it, soonest first."""
    return list(
        appointments_for(user)
        .filter(Q(case=case) | Q(inquiry__case=case) | Q(call__case=case))
        .order_by("starts_at", "pk")
    )


def listed_for(user: Any, *, mine: bool) -> QuerySet[Appointment]:
    """The user's own appointments (mine), or also those of the counsellors they supervise: the calendar's
    rule, only supervisors see a colleague's appointments. A role that reads no appointments anywhere, a 403."""
    if not read_missions(user):
        raise PermissionDenied(_("Your role keeps no calendar of appointments."))
    qs = appointments_for(user)
    supervised = permissions.mission_ids_with(user, Perm.SUPERVISE)
    if mine or not supervised:
        return qs.filter(counsellor=user)
    return qs.filter(Q(counsellor=user) | Q(counsellor__in=counsellors_of(supervised)))


# ---------------------------------------------------------------- the calendar


def calendar_counsellors(user: Any) -> list[User]:
    """Whose calendars the user may open: their own if they counsel; every counsellor of the missions they supervise."""
    supervised = permissions.mission_ids_with(user, Perm.SUPERVISE)
    people = list(counsellors_of(supervised)) if supervised else []
    if permissions.has_perm_anywhere(user, Perm.COUNSEL) and all(p.pk != user.pk for p in people):
        people.insert(0, user)
    return people


def calendar_counsellor(user: Any, pk: Any) -> User:
    """The counsellor whose calendar is asked for: 404 for no one the user shares a mission with, 403 for a colleague."""
    if pk in (None, ""):
        if not permissions.has_perm_anywhere(user, Perm.COUNSEL):
            raise PermissionDenied(_("Your role keeps no calendar of appointments."))
        return user
    wanted = _int(pk)
    for person in calendar_counsellors(user):
        if person.pk == wanted:
            return person
    shared = set(permissions.roles_by_mission(user))
    if counsellors_of(shared).filter(pk=wanted).exists():
        raise PermissionDenied(_("Only supervisors open a colleague's calendar."))
    raise Http404


def week_of(counsellor: User, user: Any, monday: dt.date) -> list[Appointment]:
    """The counsellor's appointments that user may read, from a day before to a day after the week (time zones)."""
    start = dt.datetime.combine(monday - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(monday + dt.timedelta(days=8), dt.time(), tzinfo=dt.UTC)
    qs = between(appointments_for(user).filter(counsellor=counsellor), start, end)
    return list(qs.order_by("starts_at", "pk"))
