from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Homeward in production with gunicorn (run `homeward migrate` first after each upgrade)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("HOMEWARD_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("HOMEWARD_WORKERS", "3")))
        parser.add_argument("--check-config", action="store_true", help="Load the configuration and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.core.management import call_command
        from gunicorn.app.wsgiapp import run

        # Static files are served by WhiteNoise from STATIC_ROOT; collecting is quick and idempotent.
        call_command("collectstatic", interactive=False, verbosity=0)

        sys.argv = [
            "gunicorn",
            "homeward.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("HOMEWARD_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]  # fmt: skip
        if options["check_config"]:
            sys.argv.append("--check-config")
        run()
