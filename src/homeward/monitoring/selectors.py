"""Every read of monitoring, scoped to the user: a case's visits, one visit or photo, the closure, the card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from homeward.accounts import permissions
from homeward.cases.models import Case
from homeward.monitoring.models import Closure, Visit, VisitFinding, VisitPhoto

V = Visit.Status


def _visits() -> QuerySet[Visit]:
    return Visit.objects.select_related("visited_by").prefetch_related(
        Prefetch(
            "component_findings",
            queryset=VisitFinding.objects.select_related("component__plan__member__person").order_by(
                "component__plan__created_at", "component__created_at", "pk"
            ),
        ),
        Prefetch("photos", queryset=VisitPhoto.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")),
    )


def visits_of(user: Any, case: Case) -> QuerySet[Visit]:
    """The case's visits, scheduled ones by date then those made outside the schedule; none for a user
    who may not see the case."""
    if not permissions.can_view_case(user, case):
        return Visit.objects.none()
    return _visits().filter(case=case)


def visit_for_user(user: Any, visit_id: int) -> Visit:
    """One visit of a case the user may see, or 404."""
    visit = (
        _visits()
        .select_related("case", "case__host_mission", "case__referred_to_mission", "case__programme")
        .filter(permissions.case_scope(user, prefix="case__"), pk=visit_id)
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def photo_for_user(user: Any, photo_id: int) -> VisitPhoto:
    """One photo of a visit of a case the user may see, or 404."""
    photo = (
        VisitPhoto.objects.select_related("visit__case")
        .filter(permissions.case_scope(user, prefix="visit__case__"), pk=photo_id)
        .first()
    )
    if photo is None:
        raise Http404
    return photo


def closure_of(user: Any, case: Case) -> Closure | None:
    if not permissions.can_view_case(user, case):
        return None
    return Closure.objects.select_related("closed_by").filter(case=case).first()


def is_overdue(visit: Visit, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return visit.status == V.PLANNED and visit.scheduled_for is not None and visit.scheduled_for < today


@dataclass(frozen=True)
class Summary:
    next_visit: Visit | None
    done: int
    missed: int
    overdue: int
    planned: int
    closure: Closure | None


def summary(user: Any, case: Case) -> Summary:
    """What the case card shows: the next visit due, how many were done, missed or are overdue, the closure."""
    visits = list(visits_of(user, case).select_related(None).prefetch_related(None))
    today = timezone.localdate()
    planned = sorted(
        (v for v in visits if v.status == V.PLANNED and v.scheduled_for is not None), key=lambda v: v.scheduled_for
    )
    return Summary(
        next_visit=planned[0] if planned else None,
        done=sum(v.status == V.DONE for v in visits),
        missed=sum(v.status == V.MISSED for v in visits),
        overdue=sum(is_overdue(v, today) for v in visits),
        planned=len(planned),
        closure=closure_of(user, case),
    )
