from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.accounts import services
from homeward.accounts.models import User


class Command(BaseCommand):
    help = "Personal API tokens: `homeward token create USERNAME [--name NAME]` prints a new token once."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for USERNAME and print it.")
        create.add_argument("username")
        create.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']}.")
        # The command line acts as the user itself: the audit log shows who owns the token.
        _token, raw = services.token_create(acting_user=user, user=user, name=options["name"])
        self.stderr.write(f"Token for {user.username}. Copy it now: it will not be shown again.")
        self.stdout.write(raw)
