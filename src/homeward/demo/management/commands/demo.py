from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from homeward.demo.management.commands.seed_demo import print_logins
from homeward.demo.seed import seed


class Command(BaseCommand):
    help = "Create the database, load the demo data, print the logins and serve on http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Prepare the demo but do not serve it.")
        parser.add_argument("--no-worker", action="store_true", help="Serve without the background worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading demo data (the first time takes a little while)…")
        logins = seed()
        print_logins(self.stdout, logins)
        self.stdout.write(f"\nOpen http://{options['addrport']}/ and log in with one of the users above.\n")
        if options["no_serve"]:
            return
        # Exports, imports and reminders run in the background: the demo runs a worker beside the server.
        worker = None
        if not options["no_worker"]:
            command = [sys.executable, "-m", "homeward.cli", "worker", "--no-reload", "--interval", "1"]
            worker = subprocess.Popen(command, env={**os.environ, "HOMEWARD_DEMO": "1"})  # noqa: S603
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
