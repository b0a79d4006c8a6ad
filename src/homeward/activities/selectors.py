"""Every read of activities, scoped to the user: activities of their missions, people only of cases they see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from homeward.accounts import permissions
from homeward.accounts.roles import Perm
from homeward.activities.models import Activity, Attendance, Enrolment


def read_missions(user: Any) -> set[int]:
    """Missions whose activities a user sees: where they read cases or run the site."""
    return permissions.mission_ids_with(user, Perm.VIEW_CASE) | permissions.mission_ids_with(user, Perm.MANAGE_SITE)


def may_create(user: Any, mission_id: int) -> bool:
    """Supervisors and administrators of the mission set activities up."""
    return permissions.has_perm_in(user, Perm.SUPERVISE, mission_id) or permissions.has_perm_in(
        user, Perm.MANAGE_SITE, mission_id
    )


def may_run(user: Any, activity: Activity) -> bool:
    """Caseworkers of the mission keep the attendance and record completion."""
    return permissions.has_perm_in(user, Perm.CHANGE_CASE, activity.mission_id)


def _taking_place() -> Q:
    return Q(enrolments__status__in=Enrolment.TAKING_PLACE)


def activities_for(user: Any) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(mission_id__in=read_missions(user))
        .select_related("mission", "provider", "programme")
        .annotate(taken=Count("enrolments", filter=_taking_place()))
        .order_by("-starts_on", "pk")
    )


def activity_for(user: Any, pk: int) -> Activity:
    try:
        return activities_for(user).get(pk=pk)
    except Activity.DoesNotExist:
        raise Http404 from None


def enrolments_of(user: Any, activity: Activity) -> list[Enrolment]:
    """The enrolments of the cases the user may see, with their attendance."""
    return list(
        Enrolment.objects.filter(activity=activity)
        .filter(permissions.case_scope(user, prefix="case__"))
        .select_related("member__person", "case")
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.order_by("on")))
        .order_by("member__person__family_name", "member__person__given_names", "pk")
    )


def enrolments_of_case(case: Any) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(case=case).select_related("activity", "member__person").order_by("-enrolled_on", "pk")
    )


def open_activities(case: Any) -> list[Activity]:
    """What a case's people can still join: activities of its host mission that have not ended."""
    return list(
        Activity.objects.filter(mission_id=case.host_mission_id, ends_on__gte=timezone.localdate()).order_by(
            "starts_on"
        )
    )


@dataclass
class Grid:
    """Attendance as dates × people: ``rows`` of (enrolment, [present True/False/None per date])."""

    dates: list[dt.date]
    rows: list[tuple[Enrolment, list[bool | None]]]


def attendance_grid(enrolments: list[Enrolment]) -> Grid:
    """The days on which attendance was taken, as columns (a course does not meet every day)."""
    dates = sorted({a.on for e in enrolments for a in e.attendance.all()})
    rows = []
    for e in enrolments:
        by_day = {a.on: a.present for a in e.attendance.all()}
        rows.append((e, [by_day.get(d) for d in dates]))
    return Grid(dates, rows)


def member_for(user: Any, member_id: int | None) -> Any:
    """A member of a case the user may see, or None."""
    from homeward.cases.models import CaseMember

    if member_id is None:
        return None
    return (
        CaseMember.objects.filter(pk=member_id)
        .filter(permissions.case_scope(user, prefix="case__"))
        .select_related("case", "person")
        .first()
    )


def enrolment_for(user: Any, pk: int) -> Enrolment:
    """An enrolment of a case the user sees, in an activity of their missions, or 404."""
    try:
        return (
            Enrolment.objects.filter(permissions.case_scope(user, prefix="case__"))
            .filter(activity__mission_id__in=read_missions(user))
            .select_related("activity", "member__person")
            .get(pk=pk)
        )
    except Enrolment.DoesNotExist:
        raise Http404 from None
