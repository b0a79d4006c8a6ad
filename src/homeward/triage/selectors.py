"""Reads of triage, scoped to the user's missions.

Who reads inquiries: the caseworkers who register cases (counsellors, supervisors) in the
inquiry's mission. An inquiry of another mission is a 404; a user with no such role
anywhere is refused the queue (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case as Cases
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from homeward.accounts import permissions
from homeward.accounts.models import User
from homeward.accounts.roles import Perm
from homeward.triage.models import ContactAttempt, Inquiry

# Who works the triage queue: those who may register the case an inquiry becomes.
READ_PERM = Perm.REGISTER_CASE

Status = Inquiry.Status
# The queue's filters: key → what it keeps. "mine" needs the user, so it is built in ``_filter``.
FILTERS = ("open", "new", "mine", "contacted", "converted", "closed")
# Closed and converted inquiries are history: the newest is the one asked about.
HISTORY = {"converted", "closed"}


def triage_missions(user: Any) -> set[int]:
    return permissions.mission_ids_with(user, READ_PERM)


def may_triage(user: Any, mission_id: int | None) -> bool:
    return permissions.has_perm_in(user, READ_PERM, mission_id)


def inquiries_for(user: Any) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(mission_id__in=triage_missions(user)).select_related(
        "mission", "assigned_to", "case", "closed_by"
    )


def inquiry_for(user: Any, pk: int) -> Inquiry:
    """The inquiry if it is of one of the user's triage missions, else a 404."""
    found = inquiries_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _filter(user: Any, key: str) -> Q:
    return {
        "open": Q(status__in=Inquiry.OPEN),
        "new": Q(status=Status.NEW),
        "mine": Q(status__in=Inquiry.OPEN, assigned_to=user),
        "contacted": Q(status=Status.CONTACTED),
        "converted": Q(status=Status.CONVERTED),
        "closed": Q(status=Status.CLOSED),
    }[key]


def _search(text: str) -> Q:
    """By acknowledgement code, or by name: every word must be in the given or family name."""
    words = text.split()
    if not words:
        return Q()
    by_name = Q()
    for word in words:
        by_name &= Q(given_names__icontains=word) | Q(family_name__icontains=word)
    return Q(code=text.strip().upper()) | by_name


@dataclass
class Queue:
    rows: list[Inquiry]
    counts: dict[str, int]
    status: str
    query: str
    several_missions: bool


def queue(user: Any, *, status: str = "open", query: str = "", limit: int = 200) -> Queue:
    """The triage queue: new inquiries first, the longest waiting first; closed and converted ones newest first."""
    missions = triage_missions(user)
    if not missions:
        raise PermissionDenied(_("Your role does not show inquiries."))
    status = status if status in FILTERS else "open"
    rows = inquiries_for(user).filter(_filter(user, status) & _search(query))
    if status in HISTORY:
        rows = rows.order_by("-submitted_at", "-pk")
    else:
        # New before assigned and contacted: nobody has looked at those yet.
        untouched = Cases(When(status=Status.NEW, then=Value(0)), default=Value(1), output_field=IntegerField())
        rows = rows.order_by(untouched, "submitted_at", "pk")
    return Queue(list(rows[:limit]), status_counts(user), status, query, len(missions) > 1)


def status_counts(user: Any) -> dict[str, int]:
    """How many inquiries each filter of the queue holds (one query)."""
    return Inquiry.objects.filter(mission_id__in=triage_missions(user)).aggregate(
        **{key: Count("pk", filter=_filter(user, key)) for key in FILTERS}
    )


def new_count(user: Any) -> int:
    missions = triage_missions(user)
    if not missions:
        return 0
    return Inquiry.objects.filter(mission_id__in=missions, status=Status.NEW).count()


def attempts_of(inquiry: Inquiry) -> QuerySet[ContactAttempt]:
    return inquiry.attempts.select_related("by")


def counsellors_of(mission_id: int) -> QuerySet[User]:
    """Who may be given an inquiry of the mission: the active users who counsel there."""
    return permissions.users_with(Perm.COUNSEL, [mission_id])


def inquiry_of_case(case: Any) -> Inquiry | None:
    return Inquiry.objects.filter(case_id=case.pk).first()
