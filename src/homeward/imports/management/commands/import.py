"""``homeward import FILE --mapping NAME --mission CODE --user USERNAME [--programme CODE] [--dry-run]``.

The same check and all-or-nothing import as the page, as a given user (whose
right to register cases in the mission is checked), printing its progress and
every row's problem; the exit code is non-zero when anything is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.accounts.models import Mission, User
from homeward.core.errors import ServiceError
from homeward.imports import checking, selectors, services
from homeward.programmes.models import Programme


class PrintedProgress:
    """Says each stage, and how far it has got every ``step`` units."""

    def __init__(self, command: BaseCommand, step: int = 1000) -> None:
        self.command, self.step, self.done, self.total = command, step, 0, None

    def stage(self, name: str, total: int | None = None) -> None:
        self.done, self.total = 0, total
        self.command.stdout.write(f"{name}{f' ({total})' if total is not None else ''}…")

    def advance(self, by: int = 1) -> None:
        before, self.done = self.done, self.done + by
        if self.done // self.step != before // self.step or self.done == self.total:
            self.command.stdout.write(f"  {self.done}/{self.total}" if self.total else f"  {self.done}")


class Command(BaseCommand):
    help = "Import a spreadsheet tracker (XLSX or CSV) with a saved column mapping: every row or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--mapping", required=True, help="The name of a mapping saved for the mission.")
        parser.add_argument("--mission", required=True, help="The code of the mission the cases go to, e.g. GR.")
        parser.add_argument("--user", required=True, help="The username the import is made as (and audited under).")
        parser.add_argument("--programme", help="The code of the programme the cases belong to.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and import nothing.")
        parser.add_argument(
            "--allow-duplicates", action="store_true", help="Import rows flagged as probably already recorded."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        mission = Mission.objects.filter(code=options["mission"].upper()).first()
        if mission is None:
            raise CommandError(f"No mission {options['mission']!r}.")
        saved = selectors.mapping_named(user, mission, options["mapping"])
        if saved is None:
            raise CommandError(
                f"No mapping {options['mapping']!r} saved for {mission.code} that {user.username} may use."
            )
        programme = None
        if options["programme"]:
            programme = Programme.objects.filter(code=options["programme"]).first()
            if programme is None:
                raise CommandError(f"No programme {options['programme']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            upload = services.upload_create(
                acting_user=user, mission=mission, programme=programme, data=path.read_bytes(), file_name=path.name
            )
            outcome = services.tracker_run(
                acting_user=user,
                upload=upload,
                options=checking.Options(saved.columns, saved.date_order, options["allow_duplicates"]),
                dry_run=options["dry_run"],
                progress=PrintedProgress(self),
            )
        except services.ImportRefused as exc:
            self.stderr.write(exc.message.splitlines()[0])
            for problem in exc.problems:
                if problem.error:
                    self.stderr.write(str(problem))
            raise CommandError("Nothing was imported.") from None
        except (ServiceError, PermissionDenied) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from None
        self.stdout.write(outcome.message)
