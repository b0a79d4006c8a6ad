from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.accounts import services
from homeward.accounts.models import ApiToken, User
from homeward.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Personal API tokens: `homeward token create USERNAME [--name NAME] [--scope read|write] [--days N]` "
        "prints a new token once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token for USERNAME and print it.")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        create.add_argument(
            "--scope",
            choices=ApiToken.Scope.values,
            default=ApiToken.Scope.WRITE,
            help="read: GET only (default write)",
        )
        create.add_argument(
            "--days",
            type=int,
            default=ApiToken.DEFAULT_DAYS,
            help=f"valid for (default {ApiToken.DEFAULT_DAYS}, at most {ApiToken.MAX_DAYS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']}.")
        # The command line acts as the user itself: the audit log shows who owns the token.
        try:
            token, raw = services.token_create(
                acting_user=user, user=user, name=options["name"], scope=options["scope"], days=options["days"]
            )
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stderr.write(
            f"Token for {user.username} ({token.scope}, expires {token.expires_at:%Y-%m-%d %H:%M %Z}). "
            "Copy it now: it will not be shown again."
        )
        self.stdout.write(raw)
