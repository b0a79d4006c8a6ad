"""Personas the work tests need beyond the common ones."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from tests.api.conftest import api_as  # noqa: F401 - the API client fixture, shared
from tests.factories import UserFactory


@pytest.fixture
def movement2_gr(gr: Mission) -> User:
    """A second movement officer of GR: holds the same role as movement_gr."""
    return UserFactory(username="movement2.gr", roles=[(gr, Role.MOVEMENT_OFFICER)])


@pytest.fixture
def counsellor2_gr(gr: Mission) -> User:
    return UserFactory(username="counsellor2.gr", roles=[(gr, Role.COUNSELLOR)])


@pytest.fixture
def keep_signals() -> Iterator[None]:
    """db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back afterwards."""
    names = [s for s in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, s)]
    saved = {name: signal.getsignal(getattr(signal, name)) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(getattr(signal, name), handler)
