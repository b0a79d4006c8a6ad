"""``homeward privacy anonymise [--dry-run]`` anonymises now the persons whose every case ended longer ago
than its programme's retention period (the worker does it daily); ``--dry-run`` only counts them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeward.privacy import tasks


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["anonymise", "schedule"])
        parser.add_argument("--dry-run", action="store_true", help="Say how many persons are due; change nothing.")

    def handle(self, *args: Any, action: str, dry_run: bool = False, **options: Any) -> None:
        if action == "schedule":
            queued = tasks.ensure_anonymisation_scheduled()
            self.stdout.write("Daily anonymisation queued." if queued else "Daily anonymisation already queued.")
            return
        due = tasks.run(dry_run=dry_run)
        ids = ", ".join(str(p.pk) for p in due) or "none"
        verb = "due for anonymisation" if dry_run else "anonymised"
        self.stdout.write(f"{len(due)} persons {verb} (ids: {ids}).")
