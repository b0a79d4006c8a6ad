from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.core.errors import ServiceError
from homeward.surveys import services


class Command(BaseCommand):
    help = (
        "Load survey files (YAML or JSON): an RSS instrument with its weight tables, a weight table "
        "(e.g. an organisation's official weighting), satisfaction questionnaires. --shipped loads Homeward's own."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="survey file paths")
        parser.add_argument("--shipped", action="store_true", help="load the shipped instrument and questionnaires")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(f) for f in options["files"]] + (services.shipped_paths() if options["shipped"] else [])
        if not paths:
            raise CommandError("Name a survey file, or --shipped.")
        for path in paths:
            try:
                data = services.parse_text(path.read_bytes())
            except OSError as exc:
                raise CommandError(f"{path}: cannot read it ({exc}).") from exc
            except ServiceError as exc:
                raise CommandError(f"{path}: {exc.message}") from exc
            try:
                loaded = services.survey_load(acting_user=None, data=data)
            except ServiceError as exc:
                lines = [f"{path}: {exc.message}"] + [f"  {place}: {'; '.join(m)}" for place, m in exc.fields.items()]
                raise CommandError("\n".join(lines)) from exc
            self.stdout.write(f"{path.name}: loaded {loaded}.")
