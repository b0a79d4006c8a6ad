"""Background work, run by ``homeward worker`` from the database-backed queue (django-tasks)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from homeward.core.tasks import ensure_queued, waiting
from homeward.work import reminders


@task()
def send_reminders() -> dict[str, Any]:
    """Send the task reminders due now, then come back in ``HOMEWARD_REMINDER_MINUTES``."""
    try:
        return reminders.sweep().as_dict()
    finally:
        # Even a failed sweep (a mail server down) must not end the chain of reminders.
        ensure_reminders_scheduled(run_after=timezone.now() + reminders.reminder_interval())


def pending_reminders() -> Any:
    """The queued sweeps not yet started (a running or crashed one does not count)."""
    return waiting(send_reminders)


def ensure_reminders_scheduled(*, run_after: Any = None) -> bool:
    """Queue a sweep (now, or at ``run_after``) unless one is already waiting; True when one was queued."""
    return ensure_queued(send_reminders, run_after=run_after)


@task()
def escalate_referral(referral_id: int) -> bool:
    """At a referral's answer deadline: if still unanswered, the host mission's supervisors follow it up."""
    from homeward.cases.referrals import referral_escalate

    return referral_escalate(referral_id)
