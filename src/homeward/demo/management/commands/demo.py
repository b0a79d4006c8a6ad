from __future__ import annotations

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

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading demo data (the first time takes a little while)…")
        logins = seed()
        print_logins(self.stdout, logins)
        self.stdout.write(f"\nOpen http://{options['addrport']}/ and log in with one of the users above.\n")
        if not options["no_serve"]:
            call_command("runserver", options["addrport"], use_reloader=False)
