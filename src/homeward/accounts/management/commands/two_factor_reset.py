"""``homeward two_factor_reset USERNAME --reason "…"``: for a user who lost both the phone and the recovery codes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homeward.accounts import services
from homeward.accounts.models import User
from homeward.core.errors import ServiceError


class Command(BaseCommand):
    help = "Remove USERNAME's authenticator and recovery codes (both lost): they set up two-factor again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why, for the audit log (e.g. the ticket number)")

    def handle(self, *args: Any, username: str, reason: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username}.")
        try:
            # Run on the server by an operator: the audit entry is on the user, with the reason.
            services.two_factor_reset(acting_user=user, user=user, reason=reason)
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Two-factor authentication of {username} reset: they set it up again at the next sign-in.")
