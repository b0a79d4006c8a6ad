"""Personas, so that permission tests read like sentences."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest
from django.utils import translation

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from tests.factories import MissionFactory, UserFactory, family_of_three, register_case


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Each test starts in English: a request in Greek must not leak into the next test."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _shipped_rows(request: pytest.FixtureRequest) -> None:
    """A transactional test empties every table when it ends, the rows data migrations ship included (the
    vulnerability taxonomy): each one starts as a freshly migrated installation does."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from homeward.people.taxonomy import load_shipped

    load_shipped(apps)


@pytest.fixture
def gr(db: None) -> Mission:
    return MissionFactory(code="GR", name="IOM Greece", country="GR")


@pytest.fixture
def ro(db: None) -> Mission:
    return MissionFactory(code="RO", name="IOM Romania", country="RO")


@pytest.fixture
def pk(db: None) -> Mission:
    return MissionFactory(code="PK", name="IOM Pakistan", country="PK", kind=Mission.Kind.ORIGIN)


def _persona(username: str, mission: Mission, role: str) -> User:
    return UserFactory(username=username, roles=[(mission, role)])


@pytest.fixture
def counsellor_gr(gr: Mission) -> User:
    return _persona("counsellor.gr", gr, Role.COUNSELLOR)


@pytest.fixture
def counsellor_ro(ro: Mission) -> User:
    return _persona("counsellor.ro", ro, Role.COUNSELLOR)


@pytest.fixture
def supervisor_gr(gr: Mission) -> User:
    return _persona("supervisor.gr", gr, Role.CASE_SUPERVISOR)


@pytest.fixture
def finance_gr(gr: Mission) -> User:
    return _persona("finance.gr", gr, Role.FINANCE_OFFICER)


@pytest.fixture
def movement_gr(gr: Mission) -> User:
    return _persona("movement.gr", gr, Role.MOVEMENT_OFFICER)


@pytest.fixture
def reintegration_pk(pk: Mission) -> User:
    return _persona("reintegration.pk", pk, Role.REINTEGRATION_OFFICER)


@pytest.fixture
def viewer(gr: Mission) -> User:
    return _persona("viewer", gr, Role.PROGRAMME_VIEWER)


@pytest.fixture
def case_gr(counsellor_gr: User, gr: Mission) -> Case:
    """A registered family of three (Khan) in Greece."""
    return register_case(counsellor_gr, gr, family_of_three("Khan"), counsellor=counsellor_gr)


@pytest.fixture
def case_ro(counsellor_ro: User, ro: Mission) -> Case:
    """A family of three (Popal) in Romania."""
    return register_case(counsellor_ro, ro, family_of_three("Popal"), counsellor=counsellor_ro)


@pytest.fixture
def keep_signals() -> Iterator[None]:
    """db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back afterwards."""
    names = [s for s in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, s)]
    saved = {name: signal.getsignal(getattr(signal, name)) for name in names}
    yield
    for name, handler in saved.items():
        signal.signal(getattr(signal, name), handler)
