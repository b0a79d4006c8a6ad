"""``homeward worker``: the background worker (reminders and any other queued work).

It makes sure a reminder sweep is queued, then runs django-tasks-db's
``db_worker`` with the options given here (the same as ``db_worker``'s).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from homeward.appointments.tasks import ensure_appointment_reminders_scheduled
from homeward.core.idempotency import ensure_sweep_scheduled
from homeward.jobs.tasks import ensure_expiry_scheduled
from homeward.privacy.tasks import ensure_anonymisation_scheduled
from homeward.work import reminders
from homeward.work.tasks import ensure_reminders_scheduled


class Command(DbWorkerCommand):
    help = "Run the background worker: task reminders and other queued work (options as db_worker)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            reminders.reminder_interval()  # a bad HOMEWARD_REMINDER_MINUTES stops here, with its name
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if ensure_reminders_scheduled():
            self.stdout.write("Queued a reminder sweep.")
        if ensure_expiry_scheduled():
            self.stdout.write("Queued a sweep of old job files.")
        if ensure_appointment_reminders_scheduled():
            self.stdout.write("Queued an appointment reminder sweep.")
        if ensure_anonymisation_scheduled():
            self.stdout.write("Queued the daily anonymisation of persons past retention.")
        if ensure_sweep_scheduled():
            self.stdout.write("Queued the hourly sweep of expired idempotency keys.")
        for name in ("settings", "pythonpath", "traceback", "no_color", "force_color", "skip_checks"):
            options.pop(name, None)
        call_command("db_worker", *args, stdout=self.stdout, stderr=self.stderr, **options)
