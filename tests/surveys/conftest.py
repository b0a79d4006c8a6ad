"""An arrived case referred to Pakistan, the shipped RSS, and the people who survey.

The Khan family (tests/conftest.py ``case_gr``) is referred to IOM Pakistan, accepted
there by ``reintegration.pk`` and arrived; ``me.gr`` is an M&E officer in Greece and
``admin.gr`` an administrator who loads weight tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.surveys import services
from homeward.surveys.models import Instrument, Questionnaire, Response
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.factories import UserFactory
from tests.money import arrived


@pytest.fixture
def me_gr(gr: Mission) -> User:
    return UserFactory(username="me.gr", roles=[(gr, Role.ME_OFFICER)])


@pytest.fixture
def admin_gr(gr: Mission) -> User:
    return UserFactory(username="admin.gr", roles=[(gr, Role.ADMINISTRATOR)])


@pytest.fixture
def case(case_gr: Case, supervisor_gr: User, pk: Mission, reintegration_pk: User) -> Case:
    return arrived(case_gr, supervisor_gr, pk)


@pytest.fixture
def rss(db: None) -> Instrument:
    instrument = services.current_instrument()
    assert instrument is not None
    return instrument


@pytest.fixture
def travel(db: None) -> Questionnaire:
    services.shipped_ensure()
    return Questionnaire.objects.get(code="travel", version=1)


def best(instrument: Instrument) -> dict[str, str]:
    return {i.code: max(i.options, key=lambda o: -1 if o.value is None else o.value).code
            for i in instrument.parsed.indicators()}  # fmt: skip


def worst(instrument: Instrument) -> dict[str, str]:
    return {i.code: min(i.options, key=lambda o: 2 if o.value is None else o.value).code
            for i in instrument.parsed.indicators()}  # fmt: skip


def record(user: User, case: Case, instrument: Instrument, answers: dict[str, str] | None = None,
           *, kind: str = "baseline", taken_on: dt.date | None = None, **kw: Any) -> Response:  # fmt: skip
    return services.response_record(
        acting_user=user, case=case, instrument=instrument, answers=answers or best(instrument),
        taken_on=taken_on or timezone.localdate(), kind=kind, **kw,
    )  # fmt: skip


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
