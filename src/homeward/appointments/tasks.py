"""The worker's side of appointments: the recurring reminder sweep (``homeward worker``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from homeward.core.tasks import ensure_queued


@task()
def send_appointment_reminders() -> dict[str, Any]:
    """Send the appointment reminders due now, then come back after HOMEWARD_REMINDER_MINUTES (as task reminders do)."""
    from homeward.appointments import reminders
    from homeward.work.reminders import reminder_interval

    try:
        return reminders.sweep().as_dict()
    finally:
        # A failed sweep (a gateway down) must not end the chain of reminders.
        ensure_appointment_reminders_scheduled(run_after=timezone.now() + reminder_interval())


def ensure_appointment_reminders_scheduled(*, run_after: Any = None) -> bool:
    """Queue a sweep (now, or at ``run_after``) unless one is already waiting; True when one was queued."""
    return ensure_queued(send_appointment_reminders, run_after=run_after)
