"""A Greek directory (embassies of Pakistan and Afghanistan, an NGO) and a Romanian one, on 20 November 2026."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.partners.models import Partner
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture
from tests.factories import UserFactory
from tests.partners.helpers import partner

TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _late_november() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def admin_gr(gr: Mission) -> User:
    return UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])


@pytest.fixture
def supervisor_ro(ro: Mission) -> User:
    return UserFactory(username="supervisor.ro", roles=[(ro, Role.CASE_SUPERVISOR)])


@pytest.fixture
def embassy_pk(gr: Mission, supervisor_gr: User) -> Partner:
    return partner(gr, supervisor_gr, "Embassy of Pakistan, Athens", country="PK", city="Athens", phone="+302106729853")


@pytest.fixture
def embassy_af(gr: Mission, supervisor_gr: User) -> Partner:
    return partner(gr, supervisor_gr, "Embassy of Afghanistan, Athens", country="AF", city="Athens")


@pytest.fixture
def ngo_gr(gr: Mission, supervisor_gr: User) -> Partner:
    return partner(gr, supervisor_gr, "JRS Greece", kind=Partner.Kind.NGO, country="GR", role="Refers migrants.")


@pytest.fixture
def embassy_pk_ro(ro: Mission, supervisor_ro: User) -> Partner:
    return partner(ro, supervisor_ro, "Embassy of Pakistan, Bucharest", country="PK", city="Bucharest")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
