from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from homeward.core import backup


class Command(BaseCommand):
    help = (
        "Write one encrypted archive of the database and the uploaded files (HOMEWARD_BACKUP_KEY). "
        "PATH is a file or a directory; default: HOMEWARD_BACKUP_DIR. --check PATH reads an archive through "
        "without restoring it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="Where to write the archive (a file name or a directory).")
        parser.add_argument("--check", action="store_true", help="Check an existing archive instead of writing one.")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["check"]:
                if not options["path"]:
                    raise CommandError(_("Name the archive to check: homeward backup --check PATH"))
                manifest = backup.verify(Path(options["path"]))
                rows = sum(t["rows"] for t in manifest["tables"].values())
                self.stdout.write(
                    _(
                        "%(path)s is intact: made %(created)s by Homeward %(version)s; %(tables)s tables, "
                        "%(rows)s rows, %(files)s files, all matching the manifest."
                    )
                    % {
                        "path": options["path"],
                        "created": manifest["created_at"],
                        "version": manifest["app_version"],
                        "tables": len(manifest["tables"]),
                        "rows": rows,
                        "files": len(manifest["files"]),
                    }
                )
                return
            path = Path(options["path"]) if options["path"] else backup.default_path()
            summary = backup.backup(path, using=options["database"])
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _(
                "Wrote %(path)s (%(size)s): %(tables)s tables, %(rows)s rows, %(files)s files (%(file_size)s). "
                "Keep HOMEWARD_BACKUP_KEY and HOMEWARD_ENCRYPTION_KEYS safe and apart from it: a restore needs both."
            )
            % {
                "path": summary.path,
                "size": filesizeformat(summary.archive_bytes),
                "tables": summary.tables,
                "rows": summary.rows,
                "files": summary.files,
                "file_size": filesizeformat(summary.file_bytes),
            }
        )
