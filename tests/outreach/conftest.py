"""A Greek programme with a campaign, an M&E officer, and helpers that log calls and record sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from homeward.accounts.models import Mission, User
from homeward.accounts.roles import Role
from homeward.outreach import services
from homeward.outreach.models import Campaign, HotlineCall, InfoSession
from homeward.programmes.models import Programme
from tests.api.conftest import api_as  # noqa: F401 - the JSON client fixture, for test_api
from tests.factories import UserFactory
from tests.journey import programme as journey_programme


@pytest.fixture
def programme(gr: Mission) -> Programme:
    return journey_programme()


@pytest.fixture
def me_gr(gr: Mission) -> User:
    return UserFactory(username="me.gr", roles=[(gr, Role.ME_OFFICER)])


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def campaign(counsellor_gr: User, gr: Mission, programme: Programme) -> Campaign:
    return services.campaign_create(
        acting_user=counsellor_gr,
        mission=gr,
        data=services.CampaignInput(
            programme=programme, name="Spring on the islands", start=days_ago(60), end=days_ago(-30)
        ),
    )


def session(user: User, campaign: Campaign, **overrides: Any) -> InfoSession:
    values: dict[str, Any] = {"held_on": days_ago(10), "venue_kind": "asylum_facility", "venue_name": "Lesvos RIC",
                              "languages": ["ur", "ps"], "women": 4, "men": 11, "girls": 2, "boys": 3,
                              "interpreters": 1}  # fmt: skip
    values.update(overrides)
    return services.session_record(acting_user=user, campaign=campaign, data=services.SessionInput(**values))


def call(user: User, mission: Mission, **overrides: Any) -> HotlineCall:
    values: dict[str, Any] = {
        "received_at": timezone.now() - dt.timedelta(hours=2),
        "caller_kind": "migrant",
        "topic": "return_process",
        "outcome": "appointment_made",
        "language": "ur",
        "interpreter": True,
        "notes": "Wants to go back to Lahore with his wife; passport expired.",
        "caller_name": "Tariq  Mehmood",
        "caller_phone": "690 123 4567",
        "destination_country": "PK",
    }
    values.update(overrides)
    return services.call_log(acting_user=user, mission=mission, data=services.CallInput(**values))
