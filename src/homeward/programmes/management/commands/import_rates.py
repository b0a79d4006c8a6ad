from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.core.errors import ServiceError
from homeward.programmes import services


class Command(BaseCommand):
    help = "Import exchange rates from a CSV file: currency,quote,date,rate[,source]. One bad row imports nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = Path(options["file"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{options['file']}: cannot read it ({exc}).") from exc
        try:
            count = services.rates_import(acting_user=None, text=text)
        except ServiceError as exc:
            lines = [exc.message] + [f"  {row}: {'; '.join(msgs)}" for row, msgs in exc.fields.items()]
            raise CommandError("\n".join(lines)) from exc
        self.stdout.write(f"Imported {count} exchange rate(s).")
