"""Reminders by e-mail of open tasks due within a day or overdue.

Run by the background worker (``tasks.send_reminders``, ``homeward worker``)
every ``HOMEWARD_REMINDER_MINUTES`` (default 60). A task is reminded once when
it comes within 24 hours of its due time, and once more if it becomes overdue
after that reminder. Each reminder is claimed with a conditional UPDATE before
anything is sent, so two workers sweeping at once never send the same one twice.

The e-mails name tasks and case references only, never the people in the
cases: an inbox is not a place for a returnee's name.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from homeward.accounts import permissions
from homeward.accounts.models import Membership, User
from homeward.work.models import Task

logger = logging.getLogger(__name__)

INTERVAL_ENV = "HOMEWARD_REMINDER_MINUTES"
BASE_URL_ENV = "HOMEWARD_BASE_URL"
DEFAULT_MINUTES = 60
AHEAD = dt.timedelta(hours=24)


def reminder_interval() -> dt.timedelta:
    """How long the worker waits between sweeps; a bad value stops it with the variable's name."""
    raw = os.environ.get(INTERVAL_ENV, "").strip()
    if not raw:
        return dt.timedelta(minutes=DEFAULT_MINUTES)
    try:
        minutes = int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{INTERVAL_ENV} must be a whole number of minutes between reminder sweeps, not {raw!r}"
        ) from None
    if minutes < 1:
        raise ImproperlyConfigured(f"{INTERVAL_ENV} must be at least 1 (minutes between reminder sweeps), not {raw!r}")
    return dt.timedelta(minutes=minutes)


def _base_url() -> str:
    raw = os.environ.get(BASE_URL_ENV, "").strip().rstrip("/")
    if raw and not raw.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{BASE_URL_ENV} must start with http:// or https://, not {raw!r}")
    return raw


def needs_reminder(now: dt.datetime) -> Q:
    """Open, due within 24 hours (or overdue), and not reminded since it came due soon or went overdue."""
    return Q(status=Task.Status.OPEN, due_at__lte=now + AHEAD) & (
        Q(reminded_at__isnull=True) | Q(due_at__lte=now, reminded_at__lt=F("due_at"))
    )


@dataclass
class Sweep:
    tasks: int = 0  # reminders claimed (and so marked) by this sweep
    emails: int = 0
    without_email: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tasks": self.tasks,
            "emails": self.emails,
            "without_email": self.without_email,
            "failed": self.failed,
        }


def _claim(task: Task, now: dt.datetime) -> bool:
    """Mark the task reminded if it still needs it; True when this sweep won it."""
    return Task.objects.filter(pk=task.pk).filter(needs_reminder(now)).update(reminded_at=now) == 1


def _recipients(tasks: list[Task]) -> dict[int, tuple[User, list[Task]]]:
    """Each user's tasks: their own, and the unassigned ones of a role they hold in the task's mission."""
    users: dict[int, User] = {}
    queued = [t for t in tasks if t.assignee_id is None]
    holders: dict[tuple[int, str], list[User]] = {}
    if queued:
        match = Q(pk__in=[])
        for t in queued:
            match |= Q(mission_id=t.mission_id, role=t.role)
        for membership in Membership.objects.filter(match, user__is_active=True).select_related("user"):
            user = users.setdefault(membership.user_id, membership.user)
            holders.setdefault((membership.mission_id, membership.role), []).append(user)
    found: dict[int, tuple[User, list[Task]]] = {}
    for task in tasks:
        if task.assignee_id is not None:
            candidates = [users.setdefault(task.assignee_id, task.assignee)] if task.assignee.is_active else []
        else:
            candidates = holders.get((task.mission_id, task.role), [])
        for user in candidates:
            # Someone who has since left the case's missions is not told about it.
            if task.case_id is not None and not permissions.can_view_case(user, task.case):
                continue
            found.setdefault(user.pk, (user, []))[1].append(task)
    return found


def _message(user: User, tasks: list[Task], now: dt.datetime) -> tuple[str, str]:
    language = user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        subject = ngettext(
            "Homeward: %(count)s task due soon or overdue",
            "Homeward: %(count)s tasks due soon or overdue",
            len(tasks),
        ) % {"count": len(tasks)}
        lines = [
            {
                "due": timezone.localtime(task.due_at),
                "overdue": task.due_at < now,
                "kind": task.get_kind_display(),
                "reference": task.case.reference if task.case_id else "",
                "queued": task.assignee_id is None,
                "role": task.get_role_display(),
                "mission": task.mission.code,
            }
            for task in tasks
        ]
        body = render_to_string(
            "work/email/reminder.txt",
            {"user": user, "lines": lines, "url": _base_url() + reverse("work:mine")},
        )
    return subject, body


def sweep(*, now: dt.datetime | None = None) -> Sweep:
    """Send the reminders that are due now: one e-mail per user listing their tasks."""
    now = now or timezone.now()
    result = Sweep()
    candidates = list(
        Task.objects.filter(needs_reminder(now)).select_related("case", "mission", "assignee").order_by("due_at", "pk")
    )
    before = {t.pk: t.reminded_at for t in candidates}
    claimed = [t for t in candidates if _claim(t, now)]
    result.tasks = len(claimed)
    told: set[int] = set()
    failed: set[int] = set()
    for user, tasks in _recipients(claimed).values():
        if not user.email:
            # Marked all the same: an address added later does not bring back old reminders.
            result.without_email.append(user.username)
            logger.warning("No e-mail address for %s: %s task reminders not sent", user.username, len(tasks))
            continue
        subject, body = _message(user, tasks, now)
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:
            logger.exception("Reminder to %s failed", user.username)
            result.failed.append(user.username)
            failed.update(t.pk for t in tasks)
            continue
        result.emails += 1
        told.update(t.pk for t in tasks)
    # A reminder nobody received is given back, so the next sweep tries again.
    for pk in failed - told:
        Task.objects.filter(pk=pk, reminded_at=now).update(reminded_at=before[pk])
    return result
