"""Personas the work tests need beyond the common ones."""

from __future__ import annotations

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
