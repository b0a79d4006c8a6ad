from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from homeward.core import backup


class Command(BaseCommand):
    help = (
        "Restore an archive of `homeward backup` into a new installation (an empty database after "
        "`homeward migrate`, an empty files directory), with the same HOMEWARD_BACKUP_KEY and "
        "HOMEWARD_ENCRYPTION_KEYS. All of it, checked against the archive's manifest, or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The archive to restore.")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup.restore(
                Path(options["path"]),
                using=options["database"],
                progress=(lambda message: self.stdout.write(message)) if options["verbosity"] > 1 else None,
            )
        except backup.BackupError as error:
            raise CommandError(_("Nothing was restored. %(reason)s") % {"reason": error}) from None
        self.stdout.write(
            _(
                "Restored %(path)s (made %(created)s by Homeward %(version)s): %(tables)s tables, %(rows)s rows, "
                "%(files)s files (%(file_size)s). Every table's row count and checksum and every file's sha256 "
                "match the archive's manifest."
            )
            % {
                "path": options["path"],
                "created": summary.header.get("created_at", "?"),
                "version": summary.header.get("app_version", "?"),
                "tables": summary.tables,
                "rows": summary.rows,
                "files": summary.files,
                "file_size": filesizeformat(summary.file_bytes),
            }
        )
