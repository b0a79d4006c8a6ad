from __future__ import annotations

from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.core.errors import ServiceError
from homeward.programmes import catalogue, services


class Command(BaseCommand):
    help = "Load a programme file (YAML or JSON), or a shipped template by name: " + ", ".join(catalogue.names())

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="+", help="a file path or a template name")

    def handle(self, *args: Any, **options: Any) -> None:
        for source in options["source"]:
            try:
                data = catalogue.read(source)
            except (OSError, ValueError, yaml.YAMLError) as exc:
                raise CommandError(f"{source}: cannot read it ({exc}).") from exc
            try:
                programme = services.programme_load(acting_user=None, data=data)
            except ServiceError as exc:
                lines = [f"{source}: {exc.message}"] + [
                    f"  {place}: {'; '.join(msgs)}" for place, msgs in exc.fields.items()
                ]
                raise CommandError("\n".join(lines)) from exc
            unconfirmed = [v for v in programme.rule_versions.all() if "'confirmed': False" in str(v.rules)]
            self.stdout.write(f"Loaded {programme}: {programme.rule_versions.count()} rule version(s).")
            if unconfirmed or programme.budget_lines.filter(confirmed=False).exists():
                self.stdout.write("  Some amounts are placeholders: confirm them before anything is paid against them.")
