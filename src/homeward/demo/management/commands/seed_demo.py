from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from homeward.demo.seed import DEMO_PASSWORD, seed


class Command(BaseCommand):
    help = "Load the demo missions, users (one per role) and about 300 synthetic cases. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        logins = seed(cases=options["cases"], seed_value=options["seed"])
        print_logins(self.stdout, logins)


def print_logins(out: Any, logins: list[Any]) -> None:
    out.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})\n")
    for login in logins:
        out.write(f"  {login.username:<20} {login.role:<24} {login.mission}\n")
    out.write(
        "Two-factor authentication is optional in the demo (turn it on from your profile); in production,\n"
        "administrators, case supervisors and finance officers must set it up when they first sign in.\n"
    )
