"""A Greek programme that schedules visits at 3, 6 and 12 months, the Khan family returned to Pakistan under it,
and the people who follow them up.

The family is entitled under tests/money.py's programme with a monitoring schedule added to
its rules, referred to IOM Pakistan, and confirmed arrived today through the workflow
(``arrive``), which plans the visits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.cases.models import Case
from homeward.programmes.models import Programme
from homeward.reintegration.models import Component, Plan
from tests import journey
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.factories import UserFactory
from tests.money import entitled, money_programme

S = journey.S
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.4 a scan, not a photo"


def png(name: str = "shop.png", content: bytes = PNG, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def with_schedule(programme: Programme, months: list[int] | None) -> Programme:
    """The programme's rules in force, with ``monitoring.visits_after_months`` set (or removed)."""
    version = programme.rule_versions.get()
    rules = dict(version.rules)
    rules["monitoring"] = {"visits_after_months": months} if months else None
    version.rules = rules
    version.save(update_fields=["rules"])
    return programme


@pytest.fixture
def programme(gr: Mission) -> Programme:
    return with_schedule(money_programme(), [3, 6, 12])


@pytest.fixture
def supervisor_pk(pk: Mission) -> User:
    return UserFactory(username="supervisor.pk", roles=[(pk, Role.CASE_SUPERVISOR)])


@pytest.fixture
def me_pk(pk: Mission) -> User:
    return UserFactory(username="me.pk", roles=[(pk, Role.ME_OFFICER)])


@pytest.fixture
def me_ro(ro: Mission) -> User:
    return UserFactory(username="me.ro", roles=[(ro, Role.ME_OFFICER)])


@pytest.fixture
def case(case_gr: Case, counsellor_gr: User, programme: Programme) -> Case:
    """Entitled under the programme; not yet departed."""
    return entitled(case_gr, counsellor_gr, programme)


def arrive(case: Case, user: User, note: str = "", confirmed_by: str = "origin_mission") -> Case:
    """Departed (set directly), then arrived through the workflow, as ``confirmed_by`` confirms it."""
    journey.set_status(case, S.DEPARTED)
    journey.move(case, user, S.ARRIVED, note, confirmed_by=confirmed_by)
    case.refresh_from_db()
    return case


@pytest.fixture
def returned(case: Case, supervisor_gr: User, reintegration_pk: User, pk: Mission) -> Case:
    """Referred to IOM Pakistan, accepted by its reintegration officer, arrived today."""
    journey.referred(case, supervisor_gr, pk)
    return arrive(case, reintegration_pk)


def plan_with_components(case: Case, user: User) -> tuple[Component, Component]:
    """An approved household plan: a micro-business and a vocational training (straight to the tables:
    the plan's own services have their own tests)."""
    plan = Plan.objects.create(case=case, programme=case.programme, currency="EUR", status="approved",
                               prepared_by=user)  # fmt: skip
    shop = Component.objects.create(plan=plan, kind=Component.Kind.MICRO_BUSINESS, budget=Decimal(1200),
                                    status=Component.Status.DELIVERED, business_activity="grocery shop")  # fmt: skip
    course = Component.objects.create(plan=plan, kind=Component.Kind.VOCATIONAL_TRAINING, budget=Decimal(400),
                                      status=Component.Status.IN_DELIVERY)  # fmt: skip
    return shop, course


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def days_ago(days: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=days)
