"""Partners in a mission's directory, made directly: the tests of the services make them through the services."""

from __future__ import annotations

from typing import Any

from homeward.accounts.models import Mission, User
from homeward.partners.models import Partner


def partner(mission: Mission, by: User, name: str, *, kind: str = Partner.Kind.EMBASSY, country: str = "PK",
            **details: Any) -> Partner:  # fmt: skip
    return Partner.objects.create(mission=mission, created_by=by, name=name, kind=kind, country=country, **details)
